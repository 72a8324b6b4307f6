package ranking

import (
	"math"
	"slices"

	"github.com/stackpick/stackpick/internal/catalog"
)

// The score of a framework for a set of answers is
//
//	fit + language bonus + recommendation bonuses - penalties
//
// where fit (0..1) is how well its ratings match the criteria weights the answers call for, the
// language bonus applies when the team knows one of its languages, each seed recommendation that
// the answers call for and that picks it adds Weights.Favored once (however many of the
// recommendation's answers were given), and the watchouts (and the emerging penalty) that the
// answers trigger take their penalties off. The score shown is that raw score
// as a percentage of the best one possible for these answers.
//
// The explanations (explain.go) read the same quantities, through share, so a change to the
// scoring here keeps the reasons truthful.

// answer is one chosen option, with its question.
type answer struct {
	q *question
	o *option
}

// scorer is what one set of answers makes of the model: the criteria weights they call for, the
// language bonus, the recommendations that apply and the best score possible. Every framework is
// scored and explained against the same scorer.
type scorer struct {
	m         *Model
	given     []answer                 // in question order, then option order
	chosen    map[*catalog.Option]bool // the given answers, for conditions
	knows     map[string]bool          // languages the team knows: option ids of the languages question
	weights   []float64                // per criterion
	total     float64                  // sum of |weights|
	langBonus float64                  // added to a framework in a language the team knows
	best      float64                  // raw score of a perfect framework for these answers
	// recommends says, per recommendation of the model, whether the answers call for it.
	recommends []bool
}

func (m *Model) newScorer(answers catalog.Answers) *scorer {
	s := &scorer{m: m, chosen: map[*catalog.Option]bool{}, knows: map[string]bool{}, weights: slices.Clone(m.baseWeight)}
	for qi := range m.questions {
		q := &m.questions[qi]
		for oi := range q.options {
			o := &q.options[oi]
			// Option order, not the order given, so equal answers rank equally.
			if !slices.Contains(answers[q.ID], o.ID) {
				continue
			}
			s.given = append(s.given, answer{q, o})
			s.chosen[o.Option] = true
			if q.ID == catalog.LanguagesQuestion && !o.Exclusive {
				s.knows[o.ID] = true
			}
		}
	}
	weights := m.cat.Weights
	s.langBonus = weights.LanguageMatch
	s.best = 1
	for _, a := range s.given {
		for _, t := range a.o.terms {
			s.weights[t.criterion] += t.delta
		}
		s.langBonus += a.o.LanguageBoost
	}
	s.recommends = make([]bool, len(m.recommendations))
	for ri := range m.recommendations {
		// Once per recommendation, whichever of its answers were given.
		if s.applies(m.recommendations[ri].when) {
			s.recommends[ri] = true
			s.best += weights.Favored
		}
	}
	if len(s.knows) > 0 {
		s.best += s.langBonus
	}
	for _, w := range s.weights {
		s.total += math.Abs(w)
	}
	return s
}

// score is a framework's raw score: fit, plus bonuses, minus penalties.
func (s *scorer) score(f *framework) float64 {
	raw := s.fit(f)
	if s.knowsLanguageOf(f) {
		raw += s.langBonus
	}
	for _, ri := range f.recommendedBy {
		if s.recommends[ri] {
			raw += s.m.cat.Weights.Favored
		}
	}
	return raw - s.penalty(f)
}

// fit is 0.5 plus each criterion's weighted, centred rating: 0..1, 1 for a framework rated best on
// every criterion that matters.
func (s *scorer) fit(f *framework) float64 {
	fit := 0.5
	if s.total > 0 {
		for i, w := range s.weights {
			fit += w * f.centred[i] / s.total
		}
	}
	return fit
}

// share is the part of a framework's fit that one weight term of an answer contributes.
func (s *scorer) share(t weightTerm, f *framework) float64 {
	return t.delta * f.centred[t.criterion] / s.total
}

// knowsLanguageOf reports whether the team knows one of the framework's languages.
func (s *scorer) knowsLanguageOf(f *framework) bool {
	return slices.ContainsFunc(f.Languages, func(l string) bool { return s.knows[l] })
}

// penalty sums the penalties of the watchouts the answers trigger, and the emerging penalty.
func (s *scorer) penalty(f *framework) float64 {
	p := 0.0
	for _, w := range f.watchouts {
		if s.applies(w.when) {
			p += w.Penalty
		}
	}
	if s.emergingPenalised(f) {
		p += s.m.cat.Weights.EmergingPenalty
	}
	return p
}

// applies reports whether the given answers meet the condition: one answer of every group, and
// none that lifts it.
func (s *scorer) applies(when condition) bool {
	given := func(o *catalog.Option) bool { return s.chosen[o] }
	return len(when.groups) > 0 &&
		!slices.ContainsFunc(when.groups, func(g []*catalog.Option) bool { return !slices.ContainsFunc(g, given) }) &&
		!s.lifted(when)
}

// lifted reports whether an answer given lifts the condition: the user chose the trade-off.
func (s *scorer) lifted(when condition) bool {
	return slices.ContainsFunc(when.unless, func(o *catalog.Option) bool { return s.chosen[o] })
}

func (s *scorer) emergingPenalised(f *framework) bool {
	return f.Emerging && s.applies(s.m.emergingWhen)
}

// scale turns a raw score into 0..100, as a share of the best raw score possible.
func scale(raw, best float64) int {
	return int(math.Round(100 * math.Max(0, math.Min(1, raw/best))))
}
