package ranking_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/ranking/rankingtest"
)

// otherAnswers lists, as the follow-ups document them, every single answer given differently:
// another option of a one-choice question, one option more or less of a several-choice one (an
// exclusive option alone, replacing the others), answered or not; never a cleared answer.
func otherAnswers(c *catalog.Catalog, a catalog.Answers) []catalog.Answers {
	var out []catalog.Answers
	for _, q := range c.Questions {
		had := a[q.ID]
		for _, o := range q.Options {
			var ids []string
			switch {
			case q.Kind == catalog.One || o.Exclusive:
				ids = []string{o.ID}
			case slices.Contains(had, o.ID):
				ids = slices.DeleteFunc(slices.Clone(had), func(id string) bool { return id == o.ID })
			default:
				for _, id := range had {
					if x, _ := q.Option(id); !x.Exclusive {
						ids = append(ids, id)
					}
				}
				ids = append(ids, o.ID)
			}
			if len(ids) == 0 || catalog.SameOptions(ids, had) {
				continue
			}
			alt := maps.Clone(a)
			alt[q.ID] = ids
			out = append(out, alt)
		}
	}
	return out
}

// leadOf is the sibling group leader of a ranking's first entry: the choice that leads.
func leadOf(r ranking.Result) string { return r.Shortlist[0].ID }

// placeOf is where the framework id stands among the distinct choices of r: its own place, or
// that of the entry standing for it.
func placeOf(r ranking.Result, id string) int {
	for i, e := range r.Shortlist {
		if e.ID == id {
			if e.SiblingOf != "" {
				return placeOf(r, e.SiblingOf)
			}
			return r.Place(i)
		}
	}
	return 0
}

func scoreOf(r ranking.Result, id string) int {
	for _, e := range r.Shortlist {
		if e.ID == id {
			return e.Score
		}
	}
	return -1
}

func TestFirmnessNamesExactlyTheAnswersThatChangeTheTopPick(t *testing.T) {
	c, m := load(t)
	for _, a := range rankingtest.Profiles(c, 3, 40) {
		t.Run(fmt.Sprint(a), func(t *testing.T) {
			r := m.Rank(a)
			f := m.Firmness(a)
			alts := otherAnswers(c, a)
			if f.Tried != len(alts) {
				t.Errorf("tried %d answers, want %d", f.Tried, len(alts))
			}
			flips := 0
			for _, alt := range alts {
				ar := m.Rank(alt)
				if lead := leadOf(ar); lead != leadOf(r) && placeOf(ar, leadOf(r)) != 1 {
					flips++
				}
			}
			if len(f.Flips) != flips {
				t.Errorf("%d flips, want %d", len(f.Flips), flips)
			}
			for i, fl := range f.Flips {
				ar := m.Rank(withChange(a, fl.Change))
				if got := ar.Shortlist[0].Name; got != fl.Leader || ar.Shortlist[0].Score != fl.Score {
					t.Errorf("%s: %s leads with %d, flip says %s with %d", fl.Change.Text(), got, ar.Shortlist[0].Score, fl.Leader, fl.Score)
				}
				if i > 0 && fl.Lead > f.Flips[i-1].Lead {
					t.Errorf("flips not by lead: %d after %d", fl.Lead, f.Flips[i-1].Lead)
				}
			}
			if len(f.Flips) == 0 && !strings.HasPrefix(f.Text(), "No single answer") {
				t.Errorf("no flips, but %q", f.Text())
			}
		})
	}
}

func withChange(a catalog.Answers, c ranking.Change) catalog.Answers {
	out := maps.Clone(a)
	out[c.QuestionID] = c.Options
	return out
}

func TestWhyNotSaysWhereAFrameworkStandsAndTheBestSingleLever(t *testing.T) {
	c, m := load(t)
	for _, a := range rankingtest.Profiles(c, 5, 25) {
		r := m.Rank(a)
		for _, f := range c.Frameworks {
			t.Run(fmt.Sprint(f.ID, a), func(t *testing.T) {
				w, ok := m.WhyNot(a, f.ID)
				if !ok {
					t.Fatal("not found")
				}
				if w.Place != placeOf(r, f.ID) || w.Behind != r.Shortlist[0].Score-scoreOf(r, f.ID) || w.Top.ID != r.Shortlist[0].ID {
					t.Errorf("place %d behind %d top %s; want %d, %d, %s", w.Place, w.Behind, w.Top.ID, placeOf(r, f.ID), r.Shortlist[0].Score-scoreOf(r, f.ID), r.Shortlist[0].ID)
				}
				for i, cost := range w.Costs {
					if cost.Points < 1 || i > 0 && cost.Points > w.Costs[i-1].Points {
						t.Errorf("costs not positive and largest first: %+v", w.Costs)
					}
				}
				best := w.Place
				for _, alt := range otherAnswers(c, a) {
					best = min(best, placeOf(m.Rank(alt), f.ID))
				}
				switch {
				case w.Lever == nil && best < w.Place:
					t.Errorf("no lever, but an answer puts it at #%d", best)
				case w.Lever != nil:
					ar := m.Rank(withChange(a, w.Lever.Change))
					if got := placeOf(ar, f.ID); got != w.Lever.Place || got != best || scoreOf(ar, f.ID) != w.Lever.Score || w.Lever.Leads != (got == 1) {
						t.Errorf("lever %s: #%d with %d, lever says #%d with %d (best #%d)", w.Lever.Change.Text(), got, scoreOf(ar, f.ID), w.Lever.Place, w.Lever.Score, best)
					}
				}
			})
		}
	}
}

func TestMovementFollowsTheLeadingChoices(t *testing.T) {
	c, m := load(t)
	profiles := rankingtest.Profiles(c, 7, 30)
	for i := 1; i < len(profiles); i++ {
		before, after := profiles[i-1], profiles[i]
		mv := m.Movement(before, after)
		rb, ra := m.Rank(before), m.Rank(after)
		if mv.TopChanged != (placeOf(ra, leadOf(rb)) != 1) {
			t.Errorf("%v → %v: top changed %v, %s then %s", before, after, mv.TopChanged, leadOf(rb), leadOf(ra))
		}
		for _, mo := range mv.Moves {
			if mo.From != scoreOf(rb, mo.ID) || mo.To != scoreOf(ra, mo.ID) || mo.FromPlace != placeOf(rb, mo.ID) || mo.ToPlace != placeOf(ra, mo.ID) {
				t.Errorf("%s: %d→%d #%d→#%d, ranks say %d→%d #%d→#%d", mo.ID, mo.From, mo.To, mo.FromPlace, mo.ToPlace, scoreOf(rb, mo.ID), scoreOf(ra, mo.ID), placeOf(rb, mo.ID), placeOf(ra, mo.ID))
			}
			if mo.FromPlace > ranking.MovementTop && mo.ToPlace > ranking.MovementTop {
				t.Errorf("%s is followed though outside the first %d before and after", mo.ID, ranking.MovementTop)
			}
		}
		for _, ch := range mv.Changes {
			if catalog.SameOptions(before[ch.QuestionID], after[ch.QuestionID]) {
				t.Errorf("%s listed as changed", ch.QuestionID)
			}
		}
	}
}

func TestCompareSetsTwoFrameworksOnTheHeaviestCriteria(t *testing.T) {
	c, m := load(t)
	for _, a := range rankingtest.Profiles(c, 9, 20) {
		r := m.Rank(a)
		x, y := c.Frameworks[0], c.Frameworks[len(c.Frameworks)-1]
		cmp, ok := m.Compare(a, x.ID, y.ID)
		if !ok {
			t.Fatal("not found")
		}
		if cmp.A.Score != scoreOf(r, x.ID) || cmp.B.Score != scoreOf(r, y.ID) || cmp.PlaceA != placeOf(r, x.ID) || cmp.PlaceB != placeOf(r, y.ID) {
			t.Errorf("%v: scores or places differ from the ranking", a)
		}
		for i, row := range cmp.Rows {
			if row.A != x.Ratings[row.Criterion] || row.B != y.Ratings[row.Criterion] {
				t.Errorf("%s: ratings %d, %d, catalog %d, %d", row.Criterion, row.A, row.B, x.Ratings[row.Criterion], y.Ratings[row.Criterion])
			}
			if i > 0 && row.Share > cmp.Rows[i-1].Share {
				t.Errorf("rows not heaviest first")
			}
		}
		lead := cmp.A.Name
		if cmp.B.Score > cmp.A.Score {
			lead = cmp.B.Name
		}
		if cmp.A.Score != cmp.B.Score && !strings.HasPrefix(cmp.Verdict, "For your answers "+lead+" leads") {
			t.Errorf("verdict %q does not name the leader %s", cmp.Verdict, lead)
		}
	}
	if _, ok := m.Compare(catalog.Answers{}, "alpha", "nope"); ok {
		t.Error("a comparison with an unknown framework")
	}
}
