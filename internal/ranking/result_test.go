package ranking_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// choices returns the ids of a result's first n choices.
func choices(r ranking.Result, n int) []string {
	var ids []string
	for _, i := range r.Choices(n) {
		ids = append(ids, r.Shortlist[i].ID)
	}
	return ids
}

func TestWithNoAnswersConfidenceIsLowAndTheChoicesSpanStyles(t *testing.T) {
	c, m := load(t)
	r := m.Rank(catalog.Answers{})
	if r.Confidence.Level != ranking.Low || r.Confidence.Coverage != 0 || r.Confidence.Answered != 0 || r.Confidence.Questions != len(c.Questions) {
		t.Errorf("confidence = %+v, want low with nothing covered out of %d questions", r.Confidence, len(c.Questions))
	}
	for _, e := range r.Shortlist {
		if e.Confidence.Level != ranking.Low {
			t.Errorf("%s: confidence %+v, want low", e.ID, e.Confidence)
		}
	}
	styles := map[string]bool{}
	for _, f := range c.Frameworks {
		styles[strings.TrimSpace(strings.Split(f.Style, ",")[0])] = true
	}
	top := r.Choices(len(styles))
	seen := map[string]string{}
	for _, i := range top {
		e := r.Shortlist[i]
		if other, ok := seen[e.Style]; ok {
			t.Errorf("%s and %s are both %q among the first %d choices %v", other, e.ID, e.Style, len(styles), choices(r, len(styles)))
		}
		seen[e.Style] = e.ID
	}
	if len(seen) != len(styles) {
		t.Errorf("the first choices %v cover styles %v, want all of %v", choices(r, len(styles)), seen, styles)
	}
}

// Few answers that all point one way make a clear pick: medium, with the leader first, not a
// broad list; the same answers with the threshold off stay low.
func TestAClearLeadOnFewAnswersIsMediumConfidence(t *testing.T) {
	c, m := load(t)
	few := catalog.Answers{"languages": {"ruby"}, "team": {"large"}}
	r := m.Rank(few)
	cf, levels := r.Confidence, c.Checklist.Confidence
	if cf.Coverage >= levels.MediumCoverage || cf.Margin < levels.ClearMargin {
		t.Fatalf("%+v: the fixture should give this low coverage and a lead of at least %d", cf, levels.ClearMargin)
	}
	if cf.Level != ranking.Medium || r.Choices(3)[0] != 0 {
		t.Errorf("confidence %+v, choices %v: want medium with %s first", cf, choices(r, 3), r.Shortlist[0].ID)
	}
	off := *c
	off.Checklist.Confidence.ClearMargin = 0
	if got := ranking.Compile(&off).Rank(few).Confidence.Level; got != ranking.Low {
		t.Errorf("with clear_margin 0, confidence is %s, want low", got)
	}
}

func TestAFullDecisiveProfileIsHighConfidence(t *testing.T) {
	c, m := load(t)
	every := catalog.Answers{"languages": {"go"}, "deadline": {"long_term"}, "workload": {"cpu"}, "compliance": {"standard"}, "team": {"large"}, "batteries": {"minimal"},
		"hiring": {"no"}, "libraries": {"lean"}, "vendoring": {"open"}}
	if len(every) != len(c.Questions) {
		t.Fatalf("the profile answers %d of the fixture's %d questions", len(every), len(c.Questions))
	}
	r := m.Rank(every)
	if r.Shortlist[0].ID != "alpha" {
		t.Fatalf("top pick is %s; the fixture expects alpha", r.Shortlist[0].ID)
	}
	want := r.Shortlist[0].Score - r.Shortlist[1].Score
	if c := r.Confidence; c.Level != ranking.High || c.Coverage != 1 || c.Answered != len(every) || c.Margin != want {
		t.Errorf("confidence = %+v, want high, full coverage, %d answered, margin %d", c, len(every), want)
	}
	// A partial profile covers part of the decision: between nothing and everything.
	p := m.Rank(catalog.Answers{"workload": {"cpu"}})
	if c := p.Confidence.Coverage; c <= 0 || c >= 1 {
		t.Errorf("one answer covers %g of the decision, want strictly between 0 and 1", c)
	}
}

func TestSiblingsAreOneChoiceWithAlternatives(t *testing.T) {
	c, m := load(t)
	// Gamma and Delta share every rating and their language.
	r := m.Rank(catalog.Answers{"languages": {"ruby"}})
	if got := []string{r.Shortlist[0].ID, r.Shortlist[1].ID}; !slices.Equal(got, []string{"gamma", "delta"}) {
		t.Fatalf("top two = %v; the fixture expects gamma, delta", got)
	}
	gamma, delta := r.Shortlist[0], r.Shortlist[1]
	if !slices.Equal(gamma.Alternatives, []string{"Delta"}) || delta.SiblingOf != "gamma" || gamma.SiblingOf != "" || len(delta.Alternatives) != 0 {
		t.Errorf("gamma alternatives %v sibling of %q; delta alternatives %v sibling of %q; want Delta as gamma's alternative",
			gamma.Alternatives, gamma.SiblingOf, delta.Alternatives, delta.SiblingOf)
	}
	if got := choices(r, 3); slices.Contains(got, "delta") || got[0] != "gamma" {
		t.Errorf("choices = %v, want gamma standing for delta", got)
	}
	// The margin is over the next distinct choice, not over the sibling.
	if want := gamma.Score - r.Shortlist[2].Score; gamma.Confidence.Margin != want || want == 0 {
		t.Errorf("gamma's margin = %d, want %d over %s", gamma.Confidence.Margin, want, r.Shortlist[2].ID)
	}
	// A sibling has no place of its own, so the next different choice is 2, not 3.
	if got := []int{r.Place(0), r.Place(1), r.Place(2), r.Place(3)}; !slices.Equal(got, []int{1, 0, 2, 3}) || r.Shortlist[3].SiblingOf != "" {
		t.Errorf("places of %s %s %s %s = %v, want 1 0 2 3", r.Shortlist[0].ID, r.Shortlist[1].ID, r.Shortlist[2].ID, r.Shortlist[3].ID, got)
	}
	// Every framework stays in the shortlist: the choices and the rest cover it once.
	all := append(r.Choices(3), r.Rest(r.Choices(3))...)
	slices.Sort(all)
	if len(all) != len(c.Frameworks) || slices.Compact(all)[len(all)-1] != len(c.Frameworks)-1 {
		t.Errorf("choices and rest = %v, want every shortlist index once", all)
	}
}

func TestThePlanPairsTheTopPickWithAGenuinelyDifferentChoice(t *testing.T) {
	_, m := load(t)
	tests := []struct {
		name    string
		answers catalog.Answers
		first   string
		skipped string // the runner-up the plan must not pair with first
		second  string // empty: the next choice presented
	}{
		{"a sibling is not an alternative", catalog.Answers{"languages": {"ruby"}}, "Gamma", "Delta", ""},
		{"a framework that runs on the pick is not an alternative",
			catalog.Answers{"languages": {"go"}, "deadline": {"long_term"}, "workload": {"cpu"}}, "Alpha", "Epsilon", "Gamma"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := m.Rank(tt.answers)
			if r.Shortlist[0].Name != tt.first || r.Shortlist[1].Name != tt.skipped {
				t.Fatalf("top two = %s, %s; the fixture expects %s, %s", r.Shortlist[0].Name, r.Shortlist[1].Name, tt.first, tt.skipped)
			}
			second := tt.second
			if second == "" {
				second = r.Shortlist[r.Choices(2)[1]].Name
			}
			want := "Build the same small service in " + tt.first + " and in " + second + "."
			if second == tt.skipped {
				t.Errorf("the plan pairs %s with %s", tt.first, second)
			}
			if r.POC[0] != want {
				t.Errorf("plan opens with %q, want %q", r.POC[0], want)
			}
		})
	}
}

func TestTheChecklistDoesNotTickWhatThePickContradicts(t *testing.T) {
	c, m := load(t)
	byID := func(r ranking.Result) map[string]ranking.CheckItem {
		items := map[string]ranking.CheckItem{}
		for _, it := range r.Checklist {
			items[it.ID] = it
		}
		return items
	}
	t.Run("the team's language", func(t *testing.T) {
		// A Ruby team whose CPU-bound, long-term work makes Alpha (Go) the pick.
		r := m.Rank(catalog.Answers{"languages": {"ruby"}, "deadline": {"long_term"}, "workload": {"cpu"}})
		if r.Shortlist[0].ID != "alpha" {
			t.Fatalf("top pick is %s; the fixture expects alpha", r.Shortlist[0].ID)
		}
		it := byID(r)["skills"]
		want := "Your team knows Ruby; Alpha is Go: plan for retraining and hiring."
		if it.Settled || !it.Conflict || it.Text != want {
			t.Errorf("skills = %+v, want open and in conflict: %q", it, want)
		}
		if r.Checklist[0].ID != "skills" {
			t.Errorf("first item is %s, want the contradicted skills item first", r.Checklist[0].ID)
		}
	})
	t.Run("a rating below what the answer asks", func(t *testing.T) {
		// Shipping in weeks asks for speed of delivery; a Go team's pick rates below 4 on it.
		r := m.Rank(catalog.Answers{"languages": {"go"}, "deadline": {"weeks"}, "workload": {"cpu"}})
		top, _ := c.Framework(r.Shortlist[0].ID)
		if top.Ratings["dev_speed"] >= c.Checklist.SuitsRating {
			t.Fatalf("%s rates %d on dev_speed; the case needs a pick below %d", top.ID, top.Ratings["dev_speed"], c.Checklist.SuitsRating)
		}
		it := byID(r)["timeline"]
		if it.Settled || !it.Conflict || !strings.Contains(it.Text, "Within weeks") || !strings.Contains(it.Text, top.Name+" rates") {
			t.Errorf("timeline = %+v, want open, in conflict, naming the answer and %s's rating", it, top.Name)
		}
		if it := byID(r)["skills"]; !it.Settled {
			t.Errorf("skills = %+v, want settled: %s is in Go", it, top.Name)
		}
	})
	t.Run("an answer that asks for nothing more", func(t *testing.T) {
		r := m.Rank(catalog.Answers{"languages": {"go"}, "deadline": {"long_term"}})
		if it := byID(r)["timeline"]; !it.Settled {
			t.Errorf("timeline = %+v, want settled: a long-term build asks nothing of speed of delivery", it)
		}
	})
}

func TestThePlanAndVerifyTextsFollowTheAnswers(t *testing.T) {
	_, m := load(t)
	tests := []struct {
		name       string
		answers    catalog.Answers
		want, not  []string
		loadVerify string
	}{
		{"nothing said", catalog.Answers{}, []string{"Load-test both"}, []string{"computation", "audit"}, "Load-test it."},
		{"CPU-bound and regulated", catalog.Answers{"workload": {"cpu", "io"}, "compliance": {"regulated"}},
			[]string{"Time the heaviest computation in both.", "Add an audit-log slice to both.", "Load-test both"}, nil, "Time the heaviest computation on "},
		{"shipping in weeks", catalog.Answers{"deadline": {"weeks"}}, nil, []string{"Load-test", "audit"}, "Load-test it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := m.Rank(tt.answers)
			plan := strings.Join(r.POC, "\n")
			for _, w := range tt.want {
				if !strings.Contains(plan, w) {
					t.Errorf("plan lacks %q:\n%s", w, plan)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(plan, n) {
					t.Errorf("plan has %q:\n%s", n, plan)
				}
			}
			for _, it := range r.Checklist {
				if it.ID == "load" && !strings.HasPrefix(it.Text, tt.loadVerify) {
					t.Errorf("load item says %q, want it to start %q", it.Text, tt.loadVerify)
				}
			}
		})
	}
}

// Over every combination of one option per question (and none), answering one more question
// never lowers the coverage, the level follows the thresholds (a clear lead lifts low coverage to
// medium), and the choices are distinct.
func TestConfidenceGrowsWithEveryAnswer(t *testing.T) {
	c, m := load(t)
	profiles := []catalog.Answers{{}}
	for _, q := range c.Questions {
		var next []catalog.Answers
		for _, a := range profiles {
			next = append(next, a)
			for _, o := range q.Options {
				b := maps.Clone(a)
				b[q.ID] = []string{o.ID}
				next = append(next, b)
			}
		}
		profiles = next
	}
	levels := c.Checklist.Confidence
	for _, a := range profiles {
		r := m.Rank(a)
		cf := r.Confidence
		if wantLow := cf.Coverage < levels.MediumCoverage && cf.Margin < levels.ClearMargin; wantLow != (cf.Level == ranking.Low) {
			t.Errorf("%v: %+v, want low exactly below coverage %g without a lead of %d", a, cf, levels.MediumCoverage, levels.ClearMargin)
		}
		if cf.Level == ranking.High && (cf.Coverage < levels.HighCoverage || cf.Margin < levels.HighMargin) {
			t.Errorf("%v: %+v is high below the thresholds", a, cf)
		}
		for _, i := range r.Choices(len(r.Shortlist)) {
			if e := r.Shortlist[i]; e.SiblingOf != "" {
				t.Errorf("%v: %s is a choice and a sibling of %s", a, e.ID, e.SiblingOf)
			}
		}
		for _, q := range c.Questions {
			if len(a[q.ID]) > 0 {
				continue
			}
			b := maps.Clone(a)
			b[q.ID] = []string{q.Options[0].ID}
			if more := m.Rank(b).Confidence.Coverage; more < cf.Coverage {
				t.Errorf("%v: answering %s lowers coverage from %g to %g", a, q.ID, cf.Coverage, more)
			}
		}
	}
}
