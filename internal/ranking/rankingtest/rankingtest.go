// Package rankingtest holds what the ranking's property tests share, here and in the shipped
// config's acceptance suite: a seeded generator of answer sets and the criteria weights as
// docs/CONFIG.md states the model, computed independently of the ranking's own code.
package rankingtest

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/stackpick/stackpick/internal/catalog"
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
