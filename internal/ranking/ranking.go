package ranking

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Result is a ranked recommendation for one set of answers.
type Result struct {
	Situation []Fact  // what the user told us, in question order
	Shortlist []Entry // every framework in the catalog, best first
	Checklist []CheckItem
	POC       []string // proof-of-concept plan for the top two
}

// Fact is one answered question, for summarising the user's situation.
type Fact struct {
	QuestionID string
	Short      string   // the question's short name, e.g. "team size"
	Answers    []string // option labels
}

// Entry is one ranked framework.
type Entry struct {
	ID        string
	Name      string
	Score     int // 0..100
	Languages []string
	Website   string
	Emerging  bool
	Summary   string
	Reasons   []Reason // 2..4, strongest first
	Watchouts []string // those that apply to this user first, then general caveats
}

// Reason is one answer-driven argument for (Positive) or against a framework.
type Reason struct {
	Text     string
	Positive bool
}

// CheckItem is one point of the final checklist.
type CheckItem struct {
	ID      string
	Title   string
	Settled bool   // the user's answers settle it
	Text    string // what the answers say, or what is left to verify
}

const (
	minReasons = 2
	maxReasons = 4
	// minEffect ignores answers whose effect on a framework is too small to call a reason.
	minEffect = 0.004
)

// Rank scores every framework of c against the answers and returns them best first, with the
// reasons, applicable watchouts, final checklist and proof-of-concept plan. Unknown question or
// option ids and unanswered questions are neutral. Equal scores keep catalog order.
func Rank(c *catalog.Catalog, answers catalog.Answers) Result {
	given := givenOptions(c, answers)
	weights, total := criterionWeights(c, given)
	known := knownLanguages(given)
	langBonus := languageBonus(c, given)
	best := bestPossible(c, given, known, langBonus)

	entries := make([]scored, len(c.Frameworks))
	for i := range c.Frameworks {
		entries[i] = score(c, &c.Frameworks[i], given, weights, total, known, langBonus, best)
		entries[i].order = i
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].raw > entries[j].raw })

	r := Result{Situation: situation(given), Shortlist: make([]Entry, len(entries))}
	for i, e := range entries {
		r.Shortlist[i] = e.Entry
	}
	r.Checklist = checklist(c, r.Situation, &c.Frameworks[entries[0].order])
	r.POC = pocPlan(c, r.Shortlist)
	return r
}

// answer is one chosen option, with its question.
type answer struct {
	q *catalog.Question
	o *catalog.Option
}

func givenOptions(c *catalog.Catalog, answers catalog.Answers) []answer {
	var given []answer
	for qi := range c.Questions {
		q := &c.Questions[qi]
		chosen := answers[q.ID]
		for oi := range q.Options {
			// Option order, not the order given, so equal answers rank equally.
			if o := &q.Options[oi]; slices.Contains(chosen, o.ID) {
				given = append(given, answer{q, o})
			}
		}
	}
	return given
}

// criterionWeights returns each criterion's weight for these answers and the sum of their
// magnitudes.
func criterionWeights(c *catalog.Catalog, given []answer) ([]float64, float64) {
	w := make([]float64, len(c.Criteria))
	for i, cr := range c.Criteria {
		w[i] = c.Weights.Base[cr.ID]
	}
	for _, a := range given {
		for crit, d := range a.o.Weights {
			i, _ := c.CriterionIndex(crit)
			w[i] += d
		}
	}
	total := 0.0
	for _, v := range w {
		total += math.Abs(v)
	}
	return w, total
}

// languageBonus is what a framework in the team's language gains: the configured match bonus,
// raised by answers that leave no time to learn a new language.
func languageBonus(c *catalog.Catalog, given []answer) float64 {
	bonus := c.Weights.LanguageMatch
	for _, a := range given {
		bonus += a.o.LanguageBoost
	}
	return bonus
}

func knownLanguages(given []answer) map[string]bool {
	known := map[string]bool{}
	for _, a := range given {
		if a.q.ID == catalog.LanguagesQuestion && !a.o.Exclusive {
			known[a.o.ID] = true
		}
	}
	return known
}

type scored struct {
	Entry
	raw   float64
	order int
}

// candidate is a possible reason with its signed effect on the 0..1 score.
type candidate struct {
	text   string
	effect float64
}

func score(c *catalog.Catalog, f *catalog.Framework, given []answer, w []float64, total float64, known map[string]bool, langBonus, best float64) scored {
	// norm scales a rating to -0.5..0.5 around the middle of the scale.
	norm := func(i int) float64 {
		return float64(f.Rating(i)-catalog.MinRating)/float64(catalog.MaxRating-catalog.MinRating) - 0.5
	}
	fit := 0.5
	if total > 0 {
		for i := range w {
			fit += w[i] * norm(i) / total
		}
	}
	raw := fit
	var cands []candidate

	langQ, _ := c.Question(catalog.LanguagesQuestion)
	if len(known) > 0 {
		var match, missing []string
		for _, l := range f.Languages {
			if known[l] {
				if o, ok := langQ.Option(l); ok {
					match = append(match, o.Reason)
				}
			} else {
				missing = append(missing, l)
			}
		}
		if len(match) > 0 {
			raw += langBonus
			cands = append(cands, candidate{match[0], langBonus})
		} else {
			names := langQ.Labels(missing)
			cands = append(cands, candidate{"your team doesn't know " + orList(names) + " yet: budget for training", -langBonus})
		}
	}

	// Each answer is credited to the criterion that carried most of its effect; answers carried
	// by the same criterion in the same direction make one reason.
	var groups []group
	for _, a := range given {
		for _, fav := range a.o.Favors {
			if fav == f.ID {
				raw += c.Weights.Favored
				cands = append(cands, candidate{"the sources rank it among the top picks when " + a.o.Reason, c.Weights.Favored})
			}
		}
		if total == 0 || len(a.o.Weights) == 0 {
			continue
		}
		effect, best, bestEffect := 0.0, -1, 0.0
		for crit, d := range a.o.Weights {
			i, _ := c.CriterionIndex(crit)
			e := d * norm(i) / total
			effect += e
			if math.Abs(e) > math.Abs(bestEffect) || (math.Abs(e) == math.Abs(bestEffect) && i < best) {
				best, bestEffect = i, e
			}
		}
		if best >= 0 && math.Abs(effect) >= minEffect {
			groups = addToGroup(groups, best, effect, a.o.Reason)
		}
	}
	for _, g := range groups {
		cands = append(cands, candidate{g.text(c, f), g.effect})
	}

	watchouts, penalty := applicableWatchouts(c, f, given)
	raw -= penalty
	return scored{
		Entry: Entry{
			ID: f.ID, Name: f.Name, Score: scale(raw, best),
			Languages: langQ.Labels(f.Languages), Website: f.Website, Emerging: f.Emerging, Summary: f.Summary,
			Reasons:   pickReasons(c, f, cands, groups, w),
			Watchouts: watchouts,
		},
		raw: raw,
	}
}

// group is the answers whose effect on a framework ran through one criterion, one way.
type group struct {
	crit    int
	effect  float64
	reasons []string
}

func addToGroup(groups []group, crit int, effect float64, reason string) []group {
	for i := range groups {
		if groups[i].crit == crit && (groups[i].effect > 0) == (effect > 0) {
			groups[i].effect += effect
			groups[i].reasons = append(groups[i].reasons, reason)
			return groups
		}
	}
	return append(groups, group{crit, effect, []string{reason}})
}

// text reads "you're building an MVP and you need to ship in weeks: speed of delivery 5/5". A
// positive effect can come from a low rating too, when the user prefers less of something.
func (g group) text(c *catalog.Catalog, f *catalog.Framework) string {
	why := andList(g.reasons)
	label, r := c.Criteria[g.crit].Label, f.Rating(g.crit)
	if g.effect > 0 {
		return fmt.Sprintf("%s: %s %d/5", why, label, r)
	}
	return fmt.Sprintf("%s, but %s is %d/5", why, label, r)
}

// pickReasons keeps the strongest 2..4 candidates; with too few answers it falls back to the
// framework's strongest criteria under the current weights.
func pickReasons(c *catalog.Catalog, f *catalog.Framework, cands []candidate, groups []group, w []float64) []Reason {
	sort.SliceStable(cands, func(i, j int) bool { return math.Abs(cands[i].effect) > math.Abs(cands[j].effect) })
	var out []Reason
	for _, cd := range cands {
		if len(out) == maxReasons || math.Abs(cd.effect) < minEffect {
			break
		}
		out = append(out, Reason{Text: cd.text, Positive: cd.effect > 0})
	}
	if len(out) >= minReasons {
		return out
	}
	type strong struct {
		i int
		v float64
	}
	var s []strong
	for i := range c.Criteria {
		cited := slices.ContainsFunc(groups, func(g group) bool { return g.crit == i })
		if w[i] > 0 && !cited {
			s = append(s, strong{i, w[i] * float64(f.Rating(i))})
		}
	}
	sort.SliceStable(s, func(a, b int) bool { return s[a].v > s[b].v })
	for _, st := range s {
		if len(out) == minReasons {
			break
		}
		cr := c.Criteria[st.i]
		out = append(out, Reason{Text: fmt.Sprintf("%s %d/5", cr.Label, f.Rating(st.i)), Positive: f.Rating(st.i) >= 3})
	}
	return out
}

// applicableWatchouts returns the watchouts that apply to these answers (most severe first), then
// general caveats, and the total penalty.
func applicableWatchouts(c *catalog.Catalog, f *catalog.Framework, given []answer) ([]string, float64) {
	type hit struct {
		text    string
		penalty float64
	}
	var hits []hit
	var general []string
	penalty := 0.0
	for _, w := range f.Watchouts {
		if len(w.When) == 0 {
			general = append(general, w.Text)
			continue
		}
		if matches(w.When, given) {
			hits = append(hits, hit{w.Text, w.Penalty})
			penalty += w.Penalty
		}
	}
	if f.Emerging && c.Weights.EmergingPenalty > 0 && matches(c.Weights.EmergingWhen, given) {
		hits = append(hits, hit{"Still emerging: few long-running production references for the kind of project you described; load-test it yourself before committing.", c.Weights.EmergingPenalty})
		penalty += c.Weights.EmergingPenalty
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].penalty > hits[j].penalty })
	out := make([]string, 0, len(hits)+len(general))
	for _, h := range hits {
		out = append(out, h.text)
	}
	return append(out, general...), penalty
}

// matches reports whether any given answer is listed in when (question id -> option ids).
func matches(when map[string][]string, given []answer) bool {
	for _, a := range given {
		for _, o := range when[a.q.ID] {
			if o == a.o.ID {
				return true
			}
		}
	}
	return false
}

// bestPossible is the raw score of a framework rated 5 on everything that gets every bonus these
// answers can give; scores are shown as a share of it.
func bestPossible(c *catalog.Catalog, given []answer, known map[string]bool, langBonus float64) float64 {
	best := 1.0
	if len(known) > 0 {
		best += langBonus
	}
	for _, a := range given {
		if len(a.o.Favors) > 0 {
			best += c.Weights.Favored
		}
	}
	return best
}

func scale(raw, best float64) int {
	return int(math.Round(100 * math.Max(0, math.Min(1, raw/best))))
}

func situation(given []answer) []Fact {
	var facts []Fact
	for _, a := range given {
		if n := len(facts); n > 0 && facts[n-1].QuestionID == a.q.ID {
			facts[n-1].Answers = append(facts[n-1].Answers, a.o.Label)
			continue
		}
		facts = append(facts, Fact{QuestionID: a.q.ID, Short: a.q.Short, Answers: []string{a.o.Label}})
	}
	return facts
}

func checklist(c *catalog.Catalog, situation []Fact, top *catalog.Framework) []CheckItem {
	items := make([]CheckItem, 0, len(c.Checklist.Items))
	for _, it := range c.Checklist.Items {
		ci := CheckItem{ID: it.ID, Title: it.Title, Text: it.Verify}
		for _, f := range situation {
			if f.QuestionID == it.Question {
				ci.Settled = true
				ci.Text = "You said: " + strings.Join(f.Answers, ", ") + "."
			}
		}
		if i, ok := c.CriterionIndex(it.Criterion); ok {
			ci.Text += fmt.Sprintf(" %s rates %d/5 on %s.", top.Name, top.Rating(i), c.Criteria[i].Label)
		}
		items = append(items, ci)
	}
	return items
}

func pocPlan(c *catalog.Catalog, shortlist []Entry) []string {
	first, second := shortlist[0].Name, shortlist[0].Name
	if len(shortlist) > 1 {
		second = shortlist[1].Name
	}
	rep := strings.NewReplacer("{first}", first, "{second}", second)
	steps := make([]string, len(c.Checklist.POC))
	for i, s := range c.Checklist.POC {
		steps[i] = rep.Replace(s)
	}
	return steps
}

// orList joins names as "A", "A or B", "A, B or C"; andList likewise with "and".
func orList(names []string) string  { return joinList(names, " or ") }
func andList(names []string) string { return joinList(names, " and ") }

func joinList(names []string, last string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}
