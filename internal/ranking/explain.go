package ranking

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

const (
	minReasons = 2
	maxReasons = 4
	// maxCited is the most answers one reason names.
	maxCited = 3
)

// emergingWatchout and emergingPilot frame the emerging caveat, which is stated whenever the
// emerging penalty applies, that is for every emerging framework.
const (
	emergingWatchout = "Still emerging: few long-running production references yet"
	emergingPilot    = "; benchmark and pilot it before committing."
)

// entry explains a framework's place in the shortlist: its score, reasons and the watchouts that
// apply.
func (s *scorer) entry(f *framework, raw float64) Entry {
	return Entry{
		ID: f.ID, Name: f.Name, Score: scale(raw, s.best),
		Languages: slices.Clone(f.languageLabels), Website: f.Website, Emerging: f.Emerging, Summary: f.Summary,
		Reasons: s.reasons(f), Watchouts: s.watchouts(f), Stance: stanceOf(f),
	}
}

// candidate is a possible reason and its signed effect on the framework's 0..1 score. A group's
// sentence is only written if the group makes the cut.
type candidate struct {
	effect  float64
	text    string
	sources []string // the seeds behind a recommendation
	group   *group   // when set, text is written from it
	// sticky reasons (a seed recommendation, the organisation's adoption) keep their place
	// among the strongest: a weaker criterion gives way to them.
	sticky bool
}

// group is one criterion the answers moved, as it bears on one framework: the answers that pushed
// the criterion in the direction the user wants it (drivers), and whether the framework's rating
// is good for that direction. Its sign comes from the rating, never from the answers, so a
// reason's sign and the rating it cites agree by construction.
type group struct {
	criterion int
	positive  bool
	effect    float64
}

// driversOf is the answers that carry criterion i's direction, worked out on first use: scoring
// alone (standings, what-ifs) never needs them.
func (s *scorer) driversOf(i int) []answer {
	if s.drivers == nil {
		s.drivers = s.criterionDrivers()
	}
	return s.drivers[i]
}

// criterionDrivers returns, per criterion, the answers that carry its direction: those stating a
// preference on it when one does (implied weights only shade it then), otherwise those whose
// implied delta has the sign of its weight. At most maxCited per criterion, the largest first
// among equals in the order given.
func (s *scorer) criterionDrivers() [][]answer {
	drivers := make([][]answer, len(s.weights))
	size := make([][]float64, len(s.weights))
	for _, a := range s.given {
		terms := a.o.terms
		for pass := 0; pass < 2; pass++ {
			if pass == 1 {
				terms = a.o.prefers
			}
			for _, t := range terms {
				i := t.criterion
				if (pass == 1) != s.explicit[i] || (t.delta > 0) != (s.weights[i] > 0) || s.weights[i] == 0 {
					continue
				}
				drivers[i] = append(drivers[i], a)
				size[i] = append(size[i], math.Abs(t.delta))
			}
		}
	}
	for i := range drivers {
		for len(drivers[i]) > maxCited {
			k := 0
			for j, v := range size[i] {
				if v < size[i][k] || (v == size[i][k] && j > k) {
					k = j
				}
			}
			drivers[i] = slices.Delete(drivers[i], k, k+1)
			size[i] = slices.Delete(size[i], k, k+1)
		}
	}
	return drivers
}

// reasons returns the framework's strongest reasons, most effective first: knowing (or not) its
// language, the seed recommendations that apply and pick it (one reason each, with its
// sources), the organisation's adoption of it, and the criteria the answers moved, each cited once,
// for it when its rating is good for the user's direction (by what it gains above a 3/5), against
// it when it is not (by what it falls short of a 5/5). When fewer than minReasons come from the
// answers, its strongest criteria under the current weights make up the rest.
func (s *scorer) reasons(f *framework) []Reason {
	groups := s.groups(f)
	cands := make([]candidate, 0, 1+len(f.recommendedBy)+len(groups))
	if len(s.knows) > 0 {
		if s.knowsLanguageOf(f) {
			cands = append(cands, candidate{effect: s.languageBonus(f), text: s.knowsReason(f)})
		} else {
			cands = append(cands, candidate{effect: -s.langBonus, text: lacksReason(f)})
		}
	}
	for _, ri := range f.recommendedBy {
		if s.recommends[ri] {
			r := &s.m.recommendations[ri]
			cands = append(cands, candidate{effect: s.m.cat.Weights.Favored, text: r.Reason, sources: r.Sources, sticky: true})
		}
	}
	if bonus := s.adoptBonus(f); bonus > 0 {
		cands = append(cands, candidate{effect: bonus, text: adoptedReason(f.Name), sticky: true})
	}
	// Groups come after the other candidates, so they lose ties to them.
	for i := range groups {
		cands = append(cands, candidate{effect: groups[i].effect, group: &groups[i]})
	}
	cands = slices.DeleteFunc(cands, func(c candidate) bool { return math.Abs(c.effect) < s.m.cat.Weights.Reasons.MinEffect })
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(math.Abs(b.effect), math.Abs(a.effect)) })
	// A seed recommendation (the one reason that names its sources) and the organisation's
	// adoption keep their place even when the criteria they sit beside move the score more, and
	// the weakest of those gives way.
	kept := slices.Clone(cands[:min(len(cands), maxReasons)])
	for _, c := range cands[len(kept):] {
		weakest := -1 // the weakest kept candidate that is not sticky
		for j := len(kept) - 1; j >= 0 && weakest < 0; j-- {
			if !kept[j].sticky {
				weakest = j
			}
		}
		if !c.sticky || weakest < 0 {
			continue
		}
		kept = append(slices.Delete(kept, weakest, weakest+1), c) // still strongest first
	}

	reasons := make([]Reason, 0, maxReasons)
	for _, c := range kept {
		r := Reason{Text: c.text, Positive: c.effect > 0, Sources: slices.Clone(c.sources)}
		if c.group != nil {
			r.Text, r.Criterion, r.Sources = s.groupReason(f, *c.group), s.m.cat.Criteria[c.group.criterion].ID, slices.Clone(f.ratingSources[c.group.criterion])
		}
		reasons = append(reasons, r)
	}
	if len(reasons) < minReasons {
		reasons = s.fallbackReasons(f, reasons)
	}
	return reasons
}

// groups returns the criteria the answers moved that make a reason for or against the framework,
// in criterion order.
func (s *scorer) groups(f *framework) []group {
	if s.total == 0 {
		return nil
	}
	groups := make([]group, 0, len(s.weights))
	for i, w := range s.weights {
		if w == 0 || len(s.driversOf(i)) == 0 {
			continue
		}
		g := group{criterion: i}
		switch good := s.goodness(i, f); {
		case good > 0.5:
			// What it gains above a middle rating: a 5/5 counts twice a 4/5.
			g.positive, g.effect = true, s.gain(i, f)-s.middle(i)
		case good == 0.5 && math.Abs(w)/s.total < s.m.cat.Weights.Reasons.HeavyShare:
			continue // a middle rating on a light criterion argues neither way
		default:
			// What it falls short of the best: a 3/5 counts, half the criterion's share.
			g.effect = -s.loss(i, f)
		}
		if math.Abs(g.effect) >= s.m.cat.Weights.Reasons.MinEffect {
			groups = append(groups, g)
		}
	}
	return groups
}

// knowsReason is the languages option's reason ("your team knows Python") for the best-known of
// the framework's languages the team knows, saying how many know it when not everybody does.
func (s *scorer) knowsReason(f *framework) string {
	best := ""
	for _, l := range f.Languages {
		if s.knows[l] && (best == "" || s.fluency[l].part() > s.fluency[best].part()) {
			best = l
		}
	}
	if best == "" {
		return ""
	}
	o, _ := s.m.languages.Option(best)
	if sh := s.fluency[best]; sh.part() < 1 {
		return fmt.Sprintf("%s (%d of the %d of you)", o.Reason, sh.Know, sh.Of)
	}
	return o.Reason
}

// lacksReason is the reason against a framework in none of the team's languages.
func lacksReason(f *framework) string {
	return "your team doesn't know " + orList(f.languageLabels) + " yet: budget for training"
}

// groupReason reads "A, B and C: label 5/5", or "A, B and C, but label is 3/5" when the rating is
// not good for the direction the answers want. A low rating is good when the user wants less of
// the criterion ("you prefer a minimal core: batteries included 2/5").
func (s *scorer) groupReason(f *framework, g group) string {
	because := make([]string, 0, maxCited)
	for _, a := range s.driversOf(g.criterion) {
		because = append(because, a.o.Reason)
	}
	label, rating := s.m.cat.Criteria[g.criterion].Label, strconv.Itoa(f.ratings[g.criterion])
	if g.positive {
		return andList(because) + ": " + label + " " + rating + "/5"
	}
	return andList(because) + ", but " + label + " is " + rating + "/5"
}

// fallbackReasons tops reasons up to the minimum with the framework's strongest criteria under
// the current weights, leaving out criteria a reason already cites. Each is for the framework
// when its rating is good for the user's direction, against it otherwise.
func (s *scorer) fallbackReasons(f *framework, reasons []Reason) []Reason {
	var criteria []int
	for i, w := range s.weights {
		id := s.m.cat.Criteria[i].ID
		if w != 0 && !slices.ContainsFunc(reasons, func(r Reason) bool { return r.Criterion == id }) {
			criteria = append(criteria, i)
		}
	}
	slices.SortStableFunc(criteria, func(a, b int) int { return cmp.Compare(s.gain(b, f), s.gain(a, f)) })
	for _, i := range criteria {
		if len(reasons) >= minReasons {
			break
		}
		cr := s.m.cat.Criteria[i]
		good := s.goodness(i, f) > 0.5
		text := cr.Label + " " + strconv.Itoa(f.ratings[i]) + "/5"
		if !good {
			text = cr.Label + " is " + strconv.Itoa(f.ratings[i]) + "/5"
		}
		reasons = append(reasons, Reason{Text: text, Positive: good, Criterion: cr.ID, Sources: slices.Clone(f.ratingSources[i])})
	}
	return reasons
}

// emergingText is the emerging caveat, naming the answers that raised its penalty.
func (s *scorer) emergingText() string {
	if len(s.maturity) == 0 {
		return emergingWatchout + emergingPilot
	}
	because := make([]string, 0, len(s.maturity))
	for _, a := range s.maturity {
		because = append(because, a.o.Reason)
	}
	return emergingWatchout + ", which weighs more because " + andList(because) + emergingPilot
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
	if f.Emerging {
		hits = append(hits, hit{s.emergingText(), s.emerging})
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
