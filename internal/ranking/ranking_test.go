package ranking_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/ranking/rankingtest"
)

// The fixture in testdata/catalog is built for these tests: each scoring rule has a framework
// that shows it. Expected texts are assembled from the catalog the test loads.
func load(t testing.TB) (*catalog.Catalog, *ranking.Model) {
	t.Helper()
	c, err := catalog.LoadDir("testdata/catalog")
	if err != nil {
		t.Fatal(err)
	}
	return c, ranking.Compile(c)
}

func TestEveryAnswerGivesAWellFormedRanking(t *testing.T) {
	c, m := load(t)
	for _, a := range answerSets(c) {
		t.Run(fmt.Sprint(a), func(t *testing.T) {
			r := m.Rank(a)
			if got, want := sortedIDs(r), frameworkIDs(c); !slices.Equal(got, want) {
				t.Fatalf("shortlist holds %v, want every framework once: %v", got, want)
			}
			for i, e := range r.Shortlist {
				if i > 0 && e.Score > r.Shortlist[i-1].Score {
					t.Errorf("%s (%d) ranks below %s (%d)", e.ID, e.Score, r.Shortlist[i-1].ID, r.Shortlist[i-1].Score)
				}
				if e.Score < 0 || e.Score > 100 {
					t.Errorf("%s scores %d, want 0..100", e.ID, e.Score)
				}
				if n := len(e.Reasons); n < 2 || n > 4 {
					t.Errorf("%s has %d reasons, want 2..4: %v", e.ID, n, e.Reasons)
				}
				f, _ := c.Framework(e.ID)
				if e.Name != f.Name || e.Website != f.Website || e.Summary != f.Summary || e.Emerging != f.Emerging {
					t.Errorf("%s: entry %+v does not carry the catalog's facts", e.ID, e)
				}
				if len(e.Languages) != len(f.Languages) {
					t.Errorf("%s: languages %v, want one label per language of %v", e.ID, e.Languages, f.Languages)
				}
			}
			if len(r.Checklist) != len(c.Checklist.Items) {
				t.Errorf("checklist has %d items, want %d", len(r.Checklist), len(c.Checklist.Items))
			}
			if n := len(r.POC); n == 0 || n > len(c.Checklist.POC) {
				t.Errorf("plan has %d steps, want 1..%d", n, len(c.Checklist.POC))
			}
		})
	}
}

func TestRankingIsDeterministicAndIgnoresAnswerOrder(t *testing.T) {
	_, m := load(t)
	a := m.Rank(catalog.Answers{"languages": {"python", "go"}, "workload": {"io", "cpu"}, "deadline": {"weeks"}})
	b := m.Rank(catalog.Answers{"deadline": {"weeks"}, "workload": {"cpu", "io"}, "languages": {"go", "python"}})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same answers in another order ranked differently")
	}
	if again := m.Rank(catalog.Answers{"languages": {"python", "go"}, "workload": {"io", "cpu"}, "deadline": {"weeks"}}); !reflect.DeepEqual(a, again) {
		t.Fatal("the same answers ranked differently the second time")
	}
}

func TestEqualScoresKeepCatalogOrder(t *testing.T) {
	_, m := load(t)
	// Gamma and Delta are alike in everything the scoring reads; Gamma comes first in the catalog.
	for _, a := range []catalog.Answers{{}, {"languages": {"ruby"}}, {"deadline": {"weeks"}, "workload": {"crud"}}} {
		r := m.Rank(a)
		g, d := position(t, r, "gamma"), position(t, r, "delta")
		if r.Shortlist[g].Score != r.Shortlist[d].Score || d != g+1 {
			t.Errorf("%v: gamma at %d, delta at %d (%d, %d), want them adjacent and equal, gamma first",
				a, g, d, r.Shortlist[g].Score, r.Shortlist[d].Score)
		}
	}
}

func TestUnknownIdsAreNeutral(t *testing.T) {
	_, m := load(t)
	want := m.Rank(catalog.Answers{"deadline": {"weeks"}})
	got := m.Rank(catalog.Answers{"deadline": {"weeks", "someday"}, "colour": {"red"}})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("unknown questions or options changed the ranking:\n got %+v\nwant %+v", got.Shortlist, want.Shortlist)
	}
}

func TestTheTeamsLanguageCountsForAndAgainst(t *testing.T) {
	c, m := load(t)
	langs, _ := c.Question(catalog.LanguagesQuestion)
	plain := m.Rank(catalog.Answers{})
	for _, o := range langs.Options {
		if o.Exclusive {
			continue
		}
		t.Run(o.ID, func(t *testing.T) {
			r := m.Rank(catalog.Answers{catalog.LanguagesQuestion: {o.ID}})
			for _, f := range c.Frameworks {
				e := entry(t, r, f.ID)
				if slices.Contains(f.Languages, o.ID) {
					if !hasReason(e, o.Reason, true) {
						t.Errorf("%s: reasons %v lack %q", f.ID, e.Reasons, o.Reason)
					}
					if before := entry(t, plain, f.ID); e.Score <= before.Score {
						t.Errorf("%s scores %d when the team knows %s, %d otherwise", f.ID, e.Score, o.Label, before.Score)
					}
					continue
				}
				want := "your team doesn't know " + orList(e.Languages) + " yet: budget for training"
				if !hasReason(e, want, false) {
					t.Errorf("%s: reasons %v lack %q against it", f.ID, e.Reasons, want)
				}
			}
		})
	}
	t.Run("none of them is no language at all", func(t *testing.T) {
		none := m.Rank(catalog.Answers{catalog.LanguagesQuestion: {"none"}})
		for _, e := range none.Shortlist {
			for _, r := range e.Reasons {
				if strings.Contains(r.Text, "your team") {
					t.Errorf("%s: %q, but the team named no language", e.ID, r.Text)
				}
			}
		}
	})
	t.Run("the framework's first language the team knows gives the reason", func(t *testing.T) {
		f, _ := c.Framework("epsilon") // in two languages
		first, second := option(t, c, catalog.LanguagesQuestion, f.Languages[0]), option(t, c, catalog.LanguagesQuestion, f.Languages[1])
		e := entry(t, m.Rank(catalog.Answers{catalog.LanguagesQuestion: {second.ID, first.ID}}), f.ID)
		if !hasReason(e, first.Reason, true) || slices.Contains(reasonTexts(e), second.Reason) {
			t.Errorf("epsilon's reasons %v, want %q and not %q", e.Reasons, first.Reason, second.Reason)
		}
	})
}

// Each answer a recommendation lists gives each of its picks the recommendation's reason, with the
// seeds behind it, and a framework it does not pick never gets that reason.
func TestTheSourcesPicksAreRecommendedWithTheirSeeds(t *testing.T) {
	c, m := load(t)
	for _, rec := range c.Weights.Recommendations {
		for qid, opts := range rec.When {
			for _, oid := range opts {
				t.Run(rec.ID+"/"+qid+"="+oid, func(t *testing.T) {
					r := m.Rank(catalog.Answers{qid: {oid}})
					for _, f := range c.Frameworks {
						e := entry(t, r, f.ID)
						got := recommendationReasons(e, rec.Reason)
						if !slices.Contains(rec.Picks, f.ID) {
							if len(got) > 0 {
								t.Errorf("%s is not a pick but has %v", f.ID, got)
							}
							continue
						}
						want := []ranking.Reason{{Text: rec.Reason, Positive: true, Sources: rec.Sources}}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("%s: recommendation reasons %+v, want %+v (all reasons %+v)", f.ID, got, want, e.Reasons)
						}
					}
				})
			}
		}
	}
}

// The fixture's "rapid" recommendation lists two answers ("weeks" and "crud") for one situation:
// giving both credits beta once, exactly as a catalog where only "weeks" calls for it, in score
// and in reasons.
func TestTwoCorrelatedAnswersCreditARecommendationOnce(t *testing.T) {
	c, m := load(t)
	i := slices.IndexFunc(c.Weights.Recommendations, func(r catalog.Recommendation) bool { return r.ID == "rapid" })
	if i < 0 {
		t.Fatal("the fixture has no rapid recommendation")
	}
	rapid := c.Weights.Recommendations[i]
	if !slices.Contains(rapid.When["deadline"], "weeks") || !slices.Contains(rapid.When["workload"], "crud") || !slices.Contains(rapid.Picks, "beta") {
		t.Fatalf("the fixture's rapid recommendation = %+v, want weeks and crud calling for beta", rapid)
	}
	single, _ := load(t)
	single.Weights.Recommendations[i].When = map[string][]string{"deadline": {"weeks"}}
	a := catalog.Answers{"deadline": {"weeks"}, "workload": {"crud"}}
	got, want := m.Rank(a), ranking.Compile(single).Rank(a)
	if !reflect.DeepEqual(creditsOnly(got.Shortlist), creditsOnly(want.Shortlist)) {
		t.Errorf("weeks and crud together rank as\n%+v\nwant as with weeks alone calling for rapid\n%+v", got.Shortlist, want.Shortlist)
	}
	if n := len(recommendationReasons(entry(t, got, "beta"), rapid.Reason)); n != 1 {
		t.Errorf("beta gives the rapid reason %d times, want once: %+v", n, entry(t, got, "beta").Reasons)
	}
}

// The property behind the test above, over many generated profiles: whatever answers are given,
// the ranking is the one of a catalog where each recommendation that applies is called for by one
// given answer only, so no recommendation is credited twice; and no entry gives a recommendation's
// reason more than once.
func TestNoRecommendationIsCountedTwice(t *testing.T) {
	c, m := load(t)
	once, _ := load(t) // Compile reads the conditions, so one copy serves every profile
	for n, a := range generatedProfiles(c, 500) {
		for i, rec := range c.Weights.Recommendations {
			once.Weights.Recommendations[i].When = firstGiven(c, rec.When, a)
		}
		got, want := m.Rank(a), ranking.Compile(once).Rank(a)
		if !reflect.DeepEqual(creditsOnly(got.Shortlist), creditsOnly(want.Shortlist)) {
			t.Fatalf("profile %d %v: ranked\n%+v\nwant as with one answer per recommendation\n%+v", n, a, got.Shortlist, want.Shortlist)
		}
		for _, e := range got.Shortlist {
			for _, rec := range c.Weights.Recommendations {
				if k := len(recommendationReasons(e, rec.Reason)); k > 1 {
					t.Errorf("profile %d %v: %s gives %q %d times", n, a, e.ID, rec.Reason, k)
				}
			}
		}
	}
}

func TestAnswersAreExplainedThroughTheCriterionTheyMove(t *testing.T) {
	c, m := load(t)
	weeks := option(t, c, "deadline", "weeks")
	speed := criterion(t, c, "dev_speed")
	r := m.Rank(catalog.Answers{"deadline": {"weeks"}})
	for _, id := range []string{"beta", "alpha"} {
		f, _ := c.Framework(id)
		rating := f.Ratings[speed.ID]
		want, positive := fmt.Sprintf("%s: %s %d/5", weeks.Reason, speed.Label, rating), true
		if rating < 3 {
			want, positive = fmt.Sprintf("%s, but %s is %d/5", weeks.Reason, speed.Label, rating), false
		}
		if e := entry(t, r, id); !hasReason(e, want, positive) {
			t.Errorf("%s: reasons %v lack %q (positive %v)", id, e.Reasons, want, positive)
		}
	}
	// Two answers that move Alpha through performance are one reason.
	cpu, io := option(t, c, "workload", "cpu"), option(t, c, "workload", "io")
	e := entry(t, m.Rank(catalog.Answers{"workload": {"io", "cpu"}}), "alpha")
	perf := criterion(t, c, "performance")
	want := fmt.Sprintf("%s and %s: %s 5/5", cpu.Reason, io.Reason, perf.Label)
	if !hasReason(e, want, true) {
		t.Errorf("alpha: reasons %v lack %q", e.Reasons, want)
	}
}

func TestWithNothingSaidTheStrongestCriteriaAreTheReasons(t *testing.T) {
	c, m := load(t)
	for _, e := range m.Rank(catalog.Answers{}).Shortlist {
		f, _ := c.Framework(e.ID)
		// The two criteria with the highest weight × rating, catalog order among equals.
		strength := func(cr catalog.Criterion) float64 { return c.Weights.Base[cr.ID] * float64(f.Ratings[cr.ID]) }
		crit := slices.Clone(c.Criteria)
		slices.SortStableFunc(crit, func(a, b catalog.Criterion) int { return cmp.Compare(strength(b), strength(a)) })
		var want []string
		for _, cr := range crit[:2] {
			format := "%s %d/5"
			if f.Ratings[cr.ID] <= 3 { // not good: a reason against
				format = "%s is %d/5"
			}
			want = append(want, fmt.Sprintf(format, cr.Label, f.Ratings[cr.ID]))
		}
		if got := reasonTexts(e); !slices.Equal(got, want) {
			t.Errorf("%s: reasons %v, want %v", e.ID, got, want)
		}
	}
}

func TestReasonsAreTheStrongestFirst(t *testing.T) {
	c, m := load(t)
	// For Beta, knowing Python is worth the language bonus (0.15, and 0.05 more for a long-term
	// build, of a 0..1 fit); the long-term deadline doubles the weight of performance, half the
	// total weight now, on which Beta's 2/5 falls 3/4 short of the best: 0.375.
	e := entry(t, m.Rank(catalog.Answers{"languages": {"python"}, "deadline": {"long_term"}}), "beta")
	python, long := option(t, c, "languages", "python"), option(t, c, "deadline", "long_term")
	perf := criterion(t, c, "performance")
	want := []ranking.Reason{
		{Text: fmt.Sprintf("%s, but %s is 2/5", long.Reason, perf.Label), Positive: false, Criterion: perf.ID, Sources: []string{"s2"}},
		{Text: python.Reason, Positive: true},
	}
	if !reflect.DeepEqual(e.Reasons, want) {
		t.Errorf("beta's reasons = %v, want %v", e.Reasons, want)
	}
}

func TestEveryReasonSaysSomething(t *testing.T) {
	c, m := load(t)
	for _, a := range answerSets(c) {
		for _, e := range m.Rank(a).Shortlist {
			texts := reasonTexts(e)
			if slices.Contains(texts, "") || len(slices.Compact(slices.Sorted(slices.Values(texts)))) != len(texts) {
				t.Errorf("%v: %s has an empty or repeated reason: %v", a, e.ID, texts)
			}
		}
	}
}

func TestWatchoutsThatHitTheAnswersComeFirstAndCost(t *testing.T) {
	c, m := load(t)
	alpha, _ := c.Framework("alpha")
	var general []ranking.Watchout // alpha's caveats with no condition, in catalog order
	texts := map[string]string{}   // alpha's conditional watchouts by their first word
	for _, w := range alpha.Watchouts {
		if w.Conditional() {
			texts[strings.Fields(w.Text)[0]] = w.Text
		} else {
			general = append(general, ranking.Watchout{Text: w.Text})
		}
	}
	plain := entry(t, m.Rank(catalog.Answers{"workload": {"cpu"}}), "alpha")
	if !slices.Equal(plain.Watchouts, general) {
		t.Errorf("with no watchout hit, alpha's watchouts = %v, want the general caveats %v", plain.Watchouts, general)
	}
	// "Slow to build with." (weeks, 0.05), "Audit tooling is thin." (regulated, 0.1) and "Minimal
	// core…" (weeks, 0.04) apply: the more severe first, whatever the catalog order, then the
	// general caveats.
	both := catalog.Answers{"workload": {"cpu"}, "deadline": {"weeks"}, "compliance": {"regulated"}}
	hit := entry(t, m.Rank(both), "alpha")
	want := append([]ranking.Watchout{
		{Text: texts["Audit"], Triggered: true}, {Text: texts["Slow"], Triggered: true}, {Text: texts["Minimal"], Triggered: true},
	}, general...)
	if !slices.Equal(hit.Watchouts, want) {
		t.Errorf("alpha's watchouts = %v, want %v", hit.Watchouts, want)
	}
	// The same catalog without the penalties scores alpha higher for the same answers.
	free, _ := load(t)
	for i := range free.Frameworks[0].Watchouts {
		free.Frameworks[0].Watchouts[i].Penalty = 0
	}
	if unpenalised := entry(t, ranking.Compile(free).Rank(both), "alpha"); hit.Score >= unpenalised.Score {
		t.Errorf("alpha scores %d with its watchouts' penalties, %d without", hit.Score, unpenalised.Score)
	}
}

func TestChecklistIsSettledByAnswersThePickAgreesWith(t *testing.T) {
	c, m := load(t)
	// Beta (Python, speed of delivery 5) leads: it agrees with both answers.
	a := catalog.Answers{"deadline": {"weeks"}, "languages": {"go", "python"}}
	r := m.Rank(a)
	top, _ := c.Framework(r.Shortlist[0].ID)
	if top.ID != "beta" {
		t.Fatalf("top pick is %s; the fixture expects beta", top.ID)
	}
	for i, it := range c.Checklist.Items {
		got := r.Checklist[i]
		if got.ID != it.ID || got.Title != it.Title {
			t.Errorf("item %d = %+v, want %s %q", i, got, it.ID, it.Title)
		}
		want, settled := it.Verify, false
		if q, ok := c.Question(it.Question); ok && len(a[q.ID]) > 0 {
			want, settled = "You said: "+strings.Join(q.Labels(a[q.ID]), ", ")+".", true
		}
		if it.Criterion != "" {
			cr := criterion(t, c, it.Criterion)
			want += fmt.Sprintf(" %s rates %d/5 on %s.", top.Name, top.Ratings[cr.ID], cr.Label)
		}
		if got.Text != want || got.Settled != settled || got.Conflict {
			t.Errorf("%s: %q (settled %v, conflict %v), want %q (settled %v)", it.ID, got.Text, got.Settled, got.Conflict, want, settled)
		}
	}
}

func TestTheSituationListsTheAnswersInQuestionOrder(t *testing.T) {
	c, m := load(t)
	r := m.Rank(catalog.Answers{"workload": {"crud", "cpu"}, "languages": {"python"}, "colour": {"red"}})
	var got []string
	for _, f := range r.Situation {
		got = append(got, f.QuestionID+"="+strings.Join(f.Answers, "+"))
	}
	want := []string{"languages=Python", "workload=" + option(t, c, "workload", "cpu").Label + "+" + option(t, c, "workload", "crud").Label}
	if !slices.Equal(got, want) {
		t.Errorf("situation = %v, want %v", got, want)
	}
}

func TestThePlanNamesTheTopTwo(t *testing.T) {
	_, m := load(t)
	r := m.Rank(catalog.Answers{"deadline": {"weeks"}})
	// The second is the next choice the result presents (siblings folded, styles spread when
	// little is known).
	choices := r.Choices(len(r.Shortlist))
	want := "Build the same small service in " + r.Shortlist[choices[0]].Name + " and in " + r.Shortlist[choices[1]].Name + "."
	if len(r.POC) == 0 || r.POC[0] != want {
		t.Errorf("plan = %q, want it to open with %q", r.POC, want)
	}
}

func TestAResultSharesNothingWithTheModel(t *testing.T) {
	_, m := load(t)
	a := catalog.Answers{"deadline": {"weeks"}, "languages": {"go"}, "workload": {"cpu"}} // two recommendations apply
	want := m.Rank(a)
	scribble := m.Rank(a)
	for i := range scribble.Shortlist {
		e := &scribble.Shortlist[i]
		for j := range e.Languages {
			e.Languages[j] = "x"
		}
		for j := range e.Watchouts {
			e.Watchouts[j].Text = "x"
		}
		for j := range e.Reasons {
			e.Reasons[j].Text = "x"
			for k := range e.Reasons[j].Sources {
				e.Reasons[j].Sources[k] = "x"
			}
		}
	}
	for i := range scribble.Situation {
		scribble.Situation[i].Answers[0] = "x"
	}
	if got := m.Rank(a); !reflect.DeepEqual(got, want) {
		t.Error("changing one result changed the next")
	}
}

func TestOneModelRanksForManyGoroutines(t *testing.T) {
	c, m := load(t)
	sets := answerSets(c)
	want := make([]ranking.Result, len(sets))
	for i, a := range sets {
		want[i] = m.Rank(a)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, a := range sets {
				if got := m.Rank(a); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%v ranked differently on another goroutine", a)
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkRankFullAnswers ranks the shipped catalog with one answer to every question (two to
// questions that take several), the most work a finished conversation asks of Rank. The answers
// are read from the catalog, so any retune of config/ runs here unchanged. Budget: 200 µs.
func BenchmarkRankFullAnswers(b *testing.B) {
	m, a := fullAnswers(b)
	b.ReportAllocs()
	for b.Loop() {
		m.Rank(a)
	}
}

// BenchmarkFirmnessFullAnswers is the firmness every result is shown with, on the same answers:
// one standing per single answer given differently.
func BenchmarkFirmnessFullAnswers(b *testing.B) {
	m, a := fullAnswers(b)
	b.ReportAllocs()
	for b.Loop() {
		m.Firmness(a)
	}
}

// fullAnswers is the shipped catalog's model and one answer to every question (two to those that
// take several).
func fullAnswers(b *testing.B) (*ranking.Model, catalog.Answers) {
	c, err := catalog.LoadDir("../../config")
	if err != nil {
		b.Fatal(err)
	}
	a := catalog.Answers{}
	for _, q := range c.Questions {
		n := 1
		if q.Kind == catalog.Several {
			n = 2
		}
		for _, o := range q.Options[:n] {
			a[q.ID] = append(a[q.ID], o.ID)
		}
	}
	return ranking.Compile(c), a
}

// answerSets is no answer, each single answer, and every option of each question at once.
func answerSets(c *catalog.Catalog) []catalog.Answers {
	sets := []catalog.Answers{{}}
	for _, q := range c.Questions {
		all := catalog.Answers{}
		for _, o := range q.Options {
			sets = append(sets, catalog.Answers{q.ID: {o.ID}})
			all[q.ID] = append(all[q.ID], o.ID)
		}
		sets = append(sets, all)
	}
	return sets
}

func frameworkIDs(c *catalog.Catalog) []string {
	var ids []string
	for _, f := range c.Frameworks {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return ids
}

func sortedIDs(r ranking.Result) []string {
	var ids []string
	for _, e := range r.Shortlist {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	return ids
}

func position(t *testing.T, r ranking.Result, id string) int {
	t.Helper()
	i := slices.IndexFunc(r.Shortlist, func(e ranking.Entry) bool { return e.ID == id })
	if i < 0 {
		t.Fatalf("%s is not in the shortlist", id)
	}
	return i
}

func entry(t *testing.T, r ranking.Result, id string) ranking.Entry {
	t.Helper()
	return r.Shortlist[position(t, r, id)]
}

func option(t *testing.T, c *catalog.Catalog, qid, oid string) *catalog.Option {
	t.Helper()
	q, ok := c.Question(qid)
	if !ok {
		t.Fatalf("no question %q", qid)
	}
	o, ok := q.Option(oid)
	if !ok {
		t.Fatalf("no option %q of %q", oid, qid)
	}
	return o
}

func criterion(t *testing.T, c *catalog.Catalog, id string) catalog.Criterion {
	t.Helper()
	i := slices.IndexFunc(c.Criteria, func(cr catalog.Criterion) bool { return cr.ID == id })
	if i < 0 {
		t.Fatalf("no criterion %q", id)
	}
	return c.Criteria[i]
}

func hasReason(e ranking.Entry, text string, positive bool) bool {
	return slices.ContainsFunc(e.Reasons, func(r ranking.Reason) bool { return r.Text == text && r.Positive == positive })
}

// recommendationReasons returns the entry's reasons that read text.
func recommendationReasons(e ranking.Entry, text string) []ranking.Reason {
	var out []ranking.Reason
	for _, r := range e.Reasons {
		if r.Text == text {
			out = append(out, r)
		}
	}
	return out
}

// generatedProfiles returns n sets of answers from rankingtest.Profiles, in some of which an
// answer also names an unknown option, which ranking must treat as neutral.
func generatedProfiles(c *catalog.Catalog, n int) []catalog.Answers {
	rng := rand.New(rand.NewPCG(11, 3))
	profiles := rankingtest.Profiles(c, 3, n)
	for _, a := range profiles {
		for _, q := range c.Questions {
			if len(a[q.ID]) > 0 && rng.IntN(10) == 0 {
				a[q.ID] = append(a[q.ID], "no-such-option")
			}
		}
	}
	return profiles
}

// firstGiven returns the part of a recommendation's condition that names the first given answer
// (in catalog order), or a condition no answer meets when none was given.
func firstGiven(c *catalog.Catalog, when map[string][]string, a catalog.Answers) map[string][]string {
	for _, q := range c.Questions {
		for _, o := range q.Options {
			if slices.Contains(when[q.ID], o.ID) && slices.Contains(a[q.ID], o.ID) {
				return map[string][]string{q.ID: {o.ID}}
			}
		}
	}
	return nil
}

func reasonTexts(e ranking.Entry) []string {
	var texts []string
	for _, r := range e.Reasons {
		texts = append(texts, r.Text)
	}
	return texts
}

func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// creditsOnly drops each entry's confidence: its coverage weighs questions by how much they can
// move the ranking, which a catalog with narrower recommendations changes by design, while the
// credit the answers give stays what these tests compare.
func creditsOnly(entries []ranking.Entry) []ranking.Entry {
	out := slices.Clone(entries)
	for i := range out {
		out[i].Confidence = ranking.Confidence{}
	}
	return out
}
