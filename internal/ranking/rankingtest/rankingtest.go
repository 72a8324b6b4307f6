// Package rankingtest holds what the ranking's property tests share, here and in the shipped
// config's acceptance suite: a seeded generator of answer sets, the criteria weights as
// docs/CONFIG.md states the model, computed independently of the ranking's own code, and the
// check that reasons never contradict themselves.
package rankingtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// Profiles returns n random answer sets over the catalog's questions, the same for the
// same seed: each question is answered with probability 1/2, a several-choice one with a random
// subset of its options (or its exclusive option alone).
func Profiles(c *catalog.Catalog, seed uint64, n int) []catalog.Answers {
	rng := rand.New(rand.NewPCG(seed, 11))
	out := make([]catalog.Answers, 0, n)
	for range n {
		a := catalog.Answers{}
		for _, q := range c.Questions {
			if rng.IntN(2) == 0 {
				continue
			}
			if q.Kind == catalog.One {
				a[q.ID] = []string{q.Options[rng.IntN(len(q.Options))].ID}
				continue
			}
			for _, o := range q.Options {
				if !o.Exclusive && rng.IntN(2) == 0 {
					a[q.ID] = append(a[q.ID], o.ID)
				}
			}
			if len(a[q.ID]) == 0 {
				a[q.ID] = []string{q.Options[len(q.Options)-1].ID}
			}
		}
		out = append(out, a)
	}
	return out
}

// Weights is each criterion's weight for the answers as docs/CONFIG.md states the model: the
// base plus the implied deltas, unless an answer prefers the criterion, in which case the
// preference plus the implied weight clamped to explicit_shade of it. explicit holds the
// criteria an answer prefers.
func Weights(c *catalog.Catalog, a catalog.Answers) (weights map[string]float64, explicit map[string]bool) {
	implied, preferred := map[string]float64{}, map[string]float64{}
	for id, w := range c.Weights.Base {
		implied[id] = w
	}
	for _, q := range c.Questions {
		for _, o := range q.Options {
			if !slices.Contains(a[q.ID], o.ID) {
				continue
			}
			for id, d := range o.Weights {
				implied[id] += d
			}
			for id, d := range o.Prefers {
				preferred[id] += d
			}
		}
	}
	weights, explicit = map[string]float64{}, map[string]bool{}
	for _, cr := range c.Criteria {
		w := implied[cr.ID]
		if p := preferred[cr.ID]; p != 0 {
			sign, shade := math.Copysign(1, p), c.Weights.ExplicitShade
			w = p + sign*math.Max(-shade.Against*math.Abs(p), math.Min(shade.With*math.Abs(p), sign*w))
			explicit[cr.ID] = true
		}
		weights[cr.ID] = w
	}
	return weights, explicit
}

// CheckReasons checks every reason of every entry for the profiles (issue 11, fault 9): its sign
// agrees with the rating it cites, it ends with that criterion and rating, it names answers that
// moved that criterion its way, it is no near-zero side effect, and no criterion is cited twice in
// one entry.
func CheckReasons(t testing.TB, c *catalog.Catalog, m *ranking.Model, profiles []catalog.Answers) {
	t.Helper()
	for _, a := range profiles {
		weights, explicit := Weights(c, a)
		total := 0.0
		for _, w := range weights {
			total += math.Abs(w)
		}
		for _, e := range m.Rank(a).Shortlist {
			f, _ := c.Framework(e.ID)
			seen := map[string]bool{}
			for _, rs := range e.Reasons {
				if rs.Criterion == "" {
					continue
				}
				if seen[rs.Criterion] {
					t.Errorf("%v: %s cites %s twice: %v", a, e.ID, rs.Criterion, e.Reasons)
				}
				seen[rs.Criterion] = true
				i := slices.IndexFunc(c.Criteria, func(cr catalog.Criterion) bool { return cr.ID == rs.Criterion })
				if i < 0 {
					t.Fatalf("%v: %s: %q cites an unknown criterion %q", a, e.ID, rs.Text, rs.Criterion)
				}
				cr := c.Criteria[i]
				rating, w := f.Ratings[cr.ID], weights[cr.ID]
				good := (float64(rating) - 1) / 4
				if w < 0 {
					good = 1 - good
				}
				if rs.Positive != (good > 0.5) {
					t.Errorf("%v: %s: %q (positive %v) cites %d/5 on %s, weight %g", a, e.ID, rs.Text, rs.Positive, rating, cr.ID, w)
				}
				cited := fmt.Sprintf("%s %d/5", cr.Label, rating)
				if !rs.Positive {
					cited = fmt.Sprintf("%s is %d/5", cr.Label, rating)
				}
				if !strings.HasSuffix(rs.Text, cited) {
					t.Errorf("%v: %s: %q does not end with its criterion and rating %q", a, e.ID, rs.Text, cited)
				}
				because, fromAnswers := strings.CutSuffix(rs.Text, map[bool]string{true: ": ", false: ", but "}[rs.Positive]+cited)
				if !fromAnswers {
					continue // a fallback: the strongest criterion, citing no answer
				}
				effect := math.Abs(w) * (good - 0.5) / total
				if !rs.Positive {
					effect = math.Abs(w) * (1 - good) / total
				}
				if effect < c.Weights.Reasons.MinEffect {
					t.Errorf("%v: %s: %q is a side effect of %.3f", a, e.ID, rs.Text, effect)
				}
				if n := movers(c, a, cr.ID, w, explicit[cr.ID], because); n == 0 {
					t.Errorf("%v: %s: %q names no answer that moved %s its way", a, e.ID, rs.Text, cr.ID)
				}
			}
		}
	}
}

// movers counts the given answers named in because, failing if one of them did not move the
// criterion in the direction of its weight w (by preference when explicit).
func movers(c *catalog.Catalog, a catalog.Answers, criterion string, w float64, explicit bool, because string) int {
	n := 0
	for _, q := range c.Questions {
		for _, o := range q.Options {
			if !slices.Contains(a[q.ID], o.ID) || !strings.Contains(because, o.Reason) {
				continue
			}
			d := o.Weights[criterion]
			if explicit {
				d = o.Prefers[criterion]
			}
			if d == 0 || (d > 0) != (w > 0) {
				return 0
			}
			n++
		}
	}
	return n
}
