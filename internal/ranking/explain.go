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

// candidate is a possible reason and its signed effect on the framework's 0..1 score. A group's
// sentence is only written if the group makes the cut.
type candidate struct {
	effect  float64
	text    string
	sources []string // the seeds behind a recommendation
	group   *group   // when set, text is written from it
}

// credit is one weighted answer's share of a framework's fit, credited to the criterion that
// carried most of it.
type credit struct {
	answer    answer
	criterion int
	effect    float64
}

// group is the credits of one criterion and one sign: the answers that moved a framework through
// that criterion, one way, and their effect together.
type group struct {
	criterion int
	positive  bool
	effect    float64
}

// reasons returns the framework's strongest reasons, most effective first: knowing (or not) its
// language, the seed recommendations that apply and pick it (one reason each, with its sources),
// and groups of answers that moved it through one criterion. When fewer than minReasons come
// from the answers, its strongest criteria under the current weights make up the rest.
func (s *scorer) reasons(f *framework) []Reason {
	credits := s.credits(f)
	groups := groupCredits(credits)
	cands := make([]candidate, 0, 1+len(f.recommendedBy)+len(groups))
	if len(s.knows) > 0 {
		if s.knowsLanguageOf(f) {
			cands = append(cands, candidate{effect: s.langBonus, text: s.knowsReason(f)})
		} else {
			cands = append(cands, candidate{effect: -s.langBonus, text: lacksReason(f)})
		}
	}
	for _, ri := range f.recommendedBy {
		if s.recommends[ri] {
			r := &s.m.recommendations[ri]
			cands = append(cands, candidate{effect: s.m.cat.Weights.Favored, text: r.Reason, sources: r.Sources})
		}
	}
	// Groups come after the other candidates, so they lose ties to them.
	for i := range groups {
		cands = append(cands, candidate{effect: groups[i].effect, group: &groups[i]})
	}
	cands = slices.DeleteFunc(cands, func(c candidate) bool { return math.Abs(c.effect) < minEffect })
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(math.Abs(b.effect), math.Abs(a.effect)) })

	reasons := make([]Reason, 0, maxReasons)
	for _, c := range cands[:min(len(cands), maxReasons)] {
		if c.group != nil {
			c.text = s.groupReason(f, *c.group, credits)
		}
		reasons = append(reasons, Reason{Text: c.text, Positive: c.effect > 0, Sources: slices.Clone(c.sources)})
	}
	if len(reasons) < minReasons {
		reasons = s.fallbackReasons(f, reasons, groups)
	}
	return reasons
}

// credits returns the credit of every weighted answer whose effect on the framework is large
// enough to call a reason, in the order the answers were given.
func (s *scorer) credits(f *framework) []credit {
	if s.total == 0 {
		return nil
	}
	credits := make([]credit, 0, len(s.given))
	for _, a := range s.given {
		c := credit{answer: a, criterion: -1}
		largest := 0.0
		for _, t := range a.o.terms {
			e := s.share(t, f)
			c.effect += e
			if math.Abs(e) > math.Abs(largest) {
				c.criterion, largest = t.criterion, e
			}
		}
		if c.criterion >= 0 && math.Abs(c.effect) >= minEffect {
			credits = append(credits, c)
		}
	}
	return credits
}

// groupCredits sums the credits by criterion and sign, in the order the groups first appear.
func groupCredits(credits []credit) []group {
	groups := make([]group, 0, len(credits))
	for _, c := range credits {
		k := slices.IndexFunc(groups, func(g group) bool { return g.in(c) })
		if k < 0 {
			groups = append(groups, group{criterion: c.criterion, positive: c.effect > 0})
			k = len(groups) - 1
		}
		groups[k].effect += c.effect
	}
	return groups
}

// in reports whether the credit belongs to the group.
func (g group) in(c credit) bool { return c.criterion == g.criterion && (c.effect > 0) == g.positive }

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

// groupReason reads "A, B and C: label 5/5", or "A, B and C, but label is 2/5" when the group
// counts against the framework. A positive effect can come from a low rating too, when the user
// prefers less of something.
func (s *scorer) groupReason(f *framework, g group, credits []credit) string {
	var because []string
	for _, c := range credits {
		if g.in(c) {
			because = append(because, c.answer.o.Reason)
		}
	}
	label, rating := s.m.cat.Criteria[g.criterion].Label, strconv.Itoa(f.ratings[g.criterion])
	if g.positive {
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

// watchouts returns those the answers trigger (most severe first, catalog order among equals,
// the emerging caveat among them), then the general caveats in catalog order: those with no
// condition, and those lifted by a trade-off the user chose. A watchout whose condition the
// answers do not meet is not shown.
func (s *scorer) watchouts(f *framework) []Watchout {
	type hit struct {
		text    string
		penalty float64
	}
	var hits []hit
	for _, w := range f.watchouts {
		if s.applies(w.when) {
			hits = append(hits, hit{w.Text, w.Penalty})
		}
	}
	if s.emergingPenalised(f) {
		hits = append(hits, hit{emergingWatchout, s.m.cat.Weights.EmergingPenalty})
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.penalty, a.penalty) })

	out := make([]Watchout, 0, len(f.watchouts)+1)
	for _, h := range hits {
		out = append(out, Watchout{Text: h.text, Triggered: true})
	}
	for _, w := range f.watchouts {
		if !w.Conditional() || s.lifted(w.when) {
			out = append(out, Watchout{Text: w.Text})
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
