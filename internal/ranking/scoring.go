package ranking

import (
	"math"
	"slices"

	"github.com/stackpick/stackpick/internal/catalog"
)

// The score of a framework for a set of answers is
//
//	fit + language bonus + recommendation bonuses + adopt bonus - penalties
//
// where fit (0..1) is the weighted mean of its ratings scaled to 0..1 (for a criterion the user
// wants less of, 1 minus the scaled rating), so a 3/5 is half of what a criterion can give; the
// language bonus applies when the team knows one of its languages and grows with what switching
// would cost (team size, horizon, hiring); each seed recommendation that the answers call for and
// that picks it adds Weights.Favored once (however many of the recommendation's answers were
// given); the watchouts the answers trigger take their penalties off, and an emerging framework
// always pays the emerging penalty, more the more maturity the answers need; a framework the
// organisation's radar adopts gains Weights.RadarAdopt (radar.go). The score shown is
// that raw score as a percentage of the best one possible for these answers.
//
// A criterion's weight is its base weight plus the implied deltas of the answers, unless an
// answer states a preference on it: then the preference sets the direction and the implied
// weight may only shade it, by at most Weights.ExplicitShade of the preference. So a framework
// never gains from more of what the user explicitly wants less of.
//
// The explanations (explain.go) read the same quantities, through gain and loss, so a change to
// the scoring here keeps the reasons truthful.

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
	given     []answer        // in question order, then option order
	chosen    []bool          // the given answers, for conditions: by option index
	knows     map[string]bool // languages the team knows: option ids of the languages question
	fluency   Fluency         // how much of a team knows them; nil: everybody
	weights   []float64       // per criterion
	explicit  []bool          // per criterion: an answer states a preference on it
	total     float64         // sum of |weights|
	langBonus float64         // added to a framework in a language the team knows
	emerging  float64         // taken off every emerging framework
	maturity  []answer        // the answers that raised the emerging penalty
	drivers   [][]answer      // per criterion, the answers that carry its direction: see driversOf
	best      float64         // raw score of a perfect framework for these answers
	// recommends says, per recommendation of the model, whether the answers call for it.
	recommends []bool
	preferred  []float64 // per criterion, what the answers state as preferred (load's own)
}

func (m *Model) newScorer(answers catalog.Answers) *scorer {
	s := &scorer{m: m, chosen: make([]bool, len(m.optionIndex)), knows: map[string]bool{}}
	s.load(answers)
	return s
}

// load sets the scorer up for answers, keeping the memory it had for earlier ones: weighing many
// alternative answers reuses one scorer.
func (s *scorer) load(answers catalog.Answers) {
	m := s.m
	n := len(m.baseWeight)
	clear(s.chosen)
	clear(s.knows)
	*s = scorer{m: m, chosen: s.chosen, knows: s.knows, given: s.given[:0], maturity: s.maturity[:0],
		weights: append(s.weights[:0], m.baseWeight...), explicit: append(s.explicit[:0], make([]bool, n)...),
		preferred: append(s.preferred[:0], make([]float64, n)...), recommends: append(s.recommends[:0], make([]bool, len(m.recommendations))...)}
	for qi := range m.questions {
		q := &m.questions[qi]
		ids := answers[q.ID]
		for oi := range q.options {
			o := &q.options[oi]
			// Option order, not the order given, so equal answers rank equally.
			if !slices.Contains(ids, o.ID) {
				continue
			}
			s.given = append(s.given, answer{q, o})
			s.chosen[o.index] = true
			if q.ID == catalog.LanguagesQuestion && !o.Exclusive {
				s.knows[o.ID] = true
			}
		}
	}
	weights := m.cat.Weights
	s.langBonus = weights.LanguageMatch
	s.emerging = weights.EmergingPenalty
	s.best = 1
	if m.adopts {
		s.best += weights.RadarAdopt
	}
	for _, a := range s.given {
		for _, t := range a.o.terms {
			s.weights[t.criterion] += t.delta
		}
		for _, t := range a.o.prefers {
			s.preferred[t.criterion] += t.delta
			s.explicit[t.criterion] = true
		}
		s.langBonus += m.languageScaling[a.o.Option]
		if v := m.emergingMaturity[a.o.Option]; v > 0 {
			s.emerging += v
			s.maturity = append(s.maturity, a)
		}
	}
	for ri := range m.recommendations {
		// Once per recommendation, whichever of its answers were given.
		if s.applies(m.recommendations[ri].when) {
			s.recommends[ri] = true
			s.best += weights.Favored
		}
	}
	for i, p := range s.preferred {
		// Preferences that cancel out (none do in one-choice questions) leave the implied weight.
		if s.explicit[i] && p != 0 {
			// Measured along the preference: positive is more of what the user asked for.
			sign := math.Copysign(1, p)
			along := math.Max(-weights.ExplicitShade.Against*math.Abs(p), math.Min(weights.ExplicitShade.With*math.Abs(p), sign*s.weights[i]))
			s.weights[i] = p + sign*along
		} else {
			s.explicit[i] = false
		}
	}
	s.langBonus = math.Max(0, math.Min(catalog.MaxLanguageMatch, s.langBonus))
	s.emerging = math.Min(catalog.MaxPenalty, s.emerging)
	if len(s.knows) > 0 {
		s.best += s.langBonus
	}
	for _, w := range s.weights {
		s.total += math.Abs(w)
	}
}

// score is a framework's raw score: fit, plus bonuses, minus penalties.
func (s *scorer) score(f *framework) float64 {
	raw := s.fit(f)
	raw += s.languageBonus(f) + s.adoptBonus(f)
	for _, ri := range f.recommendedBy {
		if s.recommends[ri] {
			raw += s.m.cat.Weights.Favored
		}
	}
	return raw - s.penalty(f)
}

// fit is the weighted mean of the framework's ratings on the user's scale: 0..1, 1 for a
// framework rated best on every criterion that matters, 0.5 with no weight at all.
func (s *scorer) fit(f *framework) float64 {
	if s.total == 0 {
		return 0.5
	}
	fit := 0.0
	for i := range s.weights {
		fit += s.gain(i, f)
	}
	return fit
}

// goodness is the framework's rating on criterion i scaled to 0..1 in the user's direction: the
// scaled rating, or 1 minus it when the user wants less of the criterion.
func (s *scorer) goodness(i int, f *framework) float64 {
	if s.weights[i] < 0 {
		return 1 - f.scaled[i]
	}
	return f.scaled[i]
}

// gain is what criterion i adds to the framework's fit; loss is what it falls short of a
// framework rated best on it. gain + loss is the criterion's share of the total weight.
func (s *scorer) gain(i int, f *framework) float64 {
	return math.Abs(s.weights[i]) * s.goodness(i, f) / s.total
}

func (s *scorer) loss(i int, f *framework) float64 {
	return math.Abs(s.weights[i]) * (1 - s.goodness(i, f)) / s.total
}

// middle is what criterion i adds to the fit of a framework rated 3/5 on it.
func (s *scorer) middle(i int) float64 {
	return math.Abs(s.weights[i]) * 0.5 / s.total
}

// languageBonus is the bonus of a framework in a language the team knows, scaled by the share of
// the team that knows the best-known of its languages; 0 when the team knows none.
func (s *scorer) languageBonus(f *framework) float64 {
	part := 0.0
	for _, l := range f.Languages {
		if s.knows[l] {
			part = math.Max(part, s.fluency[l].part())
		}
	}
	return part * s.langBonus
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
	if f.Emerging {
		p += s.emerging
	}
	return p
}

// applies reports whether the given answers meet the condition: one answer of every group, and
// none that lifts it.
func (s *scorer) applies(when condition) bool {
	given := func(o int) bool { return s.chosen[o] }
	return len(when.groups) > 0 &&
		!slices.ContainsFunc(when.groups, func(g []int) bool { return !slices.ContainsFunc(g, given) }) &&
		!s.lifted(when)
}

// lifted reports whether an answer given lifts the condition: the user chose the trade-off.
func (s *scorer) lifted(when condition) bool {
	return slices.ContainsFunc(when.unless, func(o int) bool { return s.chosen[o] })
}

// scale turns a raw score into 0..100, as a share of the best raw score possible.
func scale(raw, best float64) int {
	return int(math.Round(100 * math.Max(0, math.Min(1, raw/best))))
}
