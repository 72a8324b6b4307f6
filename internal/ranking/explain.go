package ranking

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

const (
	minReasons = 2
	maxReasons = 4
	// minEffect ignores answers whose effect on a framework is too small to call a reason.
	minEffect = 0.004
)

// emergingWatchout is shown when the emerging penalty applies.
const emergingWatchout = "Still emerging: few long-running production references for the kind of project you described; load-test it yourself before committing."

// entry explains a framework's place in the shortlist: its score, reasons and the watchouts that
// apply.
func (s *scorer) entry(f *framework, raw float64) Entry {
	return Entry{
		ID: f.ID, Name: f.Name, Score: scale(raw, s.best),
		Languages: slices.Clone(f.languageLabels), Website: f.Website, Emerging: f.Emerging, Summary: f.Summary,
		Reasons: s.reasons(f), Watchouts: s.watchouts(f),
	}
}

// candidate is a possible reason and its signed effect on the framework's 0..1 score.
type candidate struct {
	text   string
	effect float64
}

// group is the answers whose effect on a framework ran mostly through one criterion, one way.
type group struct {
	criterion int
	effect    float64
	answers   []answer
}

// reasons returns the framework's strongest reasons, most effective first: knowing (or not) its
// language, answers the sources pick it for, and groups of answers that moved it through one
// criterion. When fewer than minReasons come from the answers, its strongest criteria under the
// current weights make up the rest.
func (s *scorer) reasons(f *framework) []Reason {
	var cands []candidate
	if len(s.knows) > 0 {
		if s.knowsLanguageOf(f) {
			cands = append(cands, candidate{s.knowsReason(f), s.langBonus})
		} else {
			cands = append(cands, candidate{lacksReason(f), -s.langBonus})
		}
	}
	for _, a := range s.given {
		if a.o.favours[f.ID] {
			cands = append(cands, candidate{favouredReason(a), s.m.cat.Weights.Favored})
		}
	}
	groups := s.groups(f)
	// Groups come after the other candidates, so they lose ties to them.
	for _, g := range groups {
		cands = append(cands, candidate{s.groupReason(f, g), g.effect})
	}
	cands = slices.DeleteFunc(cands, func(c candidate) bool { return math.Abs(c.effect) < minEffect })
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(math.Abs(b.effect), math.Abs(a.effect)) })

	reasons := []Reason{}
	for _, c := range cands[:min(len(cands), maxReasons)] {
		reasons = append(reasons, Reason{Text: c.text, Positive: c.effect > 0})
	}
	if len(reasons) < minReasons {
		reasons = s.fallbackReasons(f, reasons, groups)
	}
	return reasons
}

// groups credits each weighted answer's share of the framework's fit to the criterion that
// carried most of it, and groups the answers by that criterion and the sign of their effect, in
// the order the groups first appear.
func (s *scorer) groups(f *framework) []group {
	if s.total == 0 {
		return nil
	}
	var groups []group
	for _, a := range s.given {
		effect, best, bestShare := 0.0, -1, 0.0
		for _, t := range a.o.terms {
			e := s.share(t, f)
			effect += e
			if math.Abs(e) > math.Abs(bestShare) {
				best, bestShare = t.criterion, e
			}
		}
		if best < 0 || math.Abs(effect) < minEffect {
			continue
		}
		k := slices.IndexFunc(groups, func(g group) bool { return g.criterion == best && (g.effect > 0) == (effect > 0) })
		if k < 0 {
			groups = append(groups, group{criterion: best})
			k = len(groups) - 1
		}
		groups[k].effect += effect
		groups[k].answers = append(groups[k].answers, a)
	}
	return groups
}

// knowsReason is the languages option's reason ("your team knows Python") for the first of the
// framework's languages the team knows.
func (s *scorer) knowsReason(f *framework) string {
	for _, l := range f.Languages {
		if s.knows[l] {
			o, _ := s.m.languages.Option(l)
			return o.Reason
		}
	}
	return ""
}

// lacksReason is the reason against a framework in none of the team's languages.
func lacksReason(f *framework) string {
	return "your team doesn't know " + orList(f.languageLabels) + " yet: budget for training"
}

// favouredReason is the reason for a framework an answer names among the sources' top picks.
func favouredReason(a answer) string {
	return "the sources rank it among the top picks when " + a.o.Reason
}

// groupReason reads "A, B and C: label 5/5", or "A, B and C, but label is 2/5" when the group
// counts against the framework. A positive effect can come from a low rating too, when the user
// prefers less of something.
func (s *scorer) groupReason(f *framework, g group) string {
	because := make([]string, len(g.answers))
	for i, a := range g.answers {
		because[i] = a.o.Reason
	}
	label, rating := s.m.cat.Criteria[g.criterion].Label, strconv.Itoa(f.ratings[g.criterion])
	if g.effect > 0 {
		return andList(because) + ": " + label + " " + rating + "/5"
	}
	return andList(because) + ", but " + label + " is " + rating + "/5"
}

// fallbackReasons tops reasons up to the minimum with the framework's strongest criteria under
// the current weights, leaving out criteria a group already cites.
func (s *scorer) fallbackReasons(f *framework, reasons []Reason, groups []group) []Reason {
	var criteria []int
	for i, w := range s.weights {
		cited := slices.ContainsFunc(groups, func(g group) bool { return g.criterion == i })
		if w > 0 && !cited {
			criteria = append(criteria, i)
		}
	}
	strength := func(i int) float64 { return s.weights[i] * float64(f.ratings[i]) }
	slices.SortStableFunc(criteria, func(a, b int) int { return cmp.Compare(strength(b), strength(a)) })
	for _, i := range criteria {
		if len(reasons) >= minReasons {
			break
		}
		text := s.m.cat.Criteria[i].Label + " " + strconv.Itoa(f.ratings[i]) + "/5"
		reasons = append(reasons, Reason{Text: text, Positive: f.ratings[i] >= 3})
	}
	return reasons
}

// watchouts returns those that apply to these answers (most severe first, catalog order among
// equals, the emerging caveat among them), then the general caveats.
func (s *scorer) watchouts(f *framework) []string {
	type applied struct {
		text    string
		penalty float64
	}
	var hits []applied
	for _, w := range f.watchouts {
		if s.applies(w.when) {
			hits = append(hits, applied{w.Text, w.Penalty})
		}
	}
	if s.emergingPenalised(f) {
		hits = append(hits, applied{emergingWatchout, s.m.cat.Weights.EmergingPenalty})
	}
	slices.SortStableFunc(hits, func(a, b applied) int { return cmp.Compare(b.penalty, a.penalty) })

	out := []string{}
	for _, h := range hits {
		out = append(out, h.text)
	}
	for _, w := range f.watchouts {
		if len(w.When) == 0 {
			out = append(out, w.Text)
		}
	}
	return out
}

// andList joins phrases as "A", "A and B", "A, B and C".
func andList(items []string) string { return joinLast(items, " and ") }

// orList joins names as "A", "A or B", "A, B or C".
func orList(items []string) string { return joinLast(items, " or ") }

func joinLast(items []string, last string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}
