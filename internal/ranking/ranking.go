package ranking

import (
	"math"
	"math/bits"
	"slices"
	"strconv"
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
	// maxGiven is how many answers one ranking takes at most (catalog validation keeps to it).
	maxGiven = 64
)

// Rank scores every framework of c against the answers and returns them best first, with the
// reasons, applicable watchouts, final checklist and proof-of-concept plan. Unknown question or
// option ids and unanswered questions are neutral. Equal scores keep catalog order.
//
// Scoring works on fixed-size arrays; only the result (its entries and their texts) is
// allocated.
func Rank(c *catalog.Catalog, answers catalog.Answers) Result {
	var r ranker
	r.init(c, answers)
	var order [catalog.MaxFrameworks]int
	n := len(c.Frameworks)
	for i := 0; i < n; i++ {
		r.raw[i] = r.score(&c.Frameworks[i])
		order[i] = i
	}
	// Insertion sort: stable, allocation-free, and quick for a few dozen entries.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && r.raw[order[j]] > r.raw[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	// One backing array each for all entries' reasons and watchouts.
	r.reasonBuf = make([]Reason, n*maxReasons)
	watchouts := 0
	for i := range c.Frameworks {
		watchouts += len(c.Frameworks[i].Watchouts) + 1
	}
	r.watchBuf = make([]string, watchouts)
	res := Result{Situation: r.situation(), Shortlist: make([]Entry, n)}
	for rank, fi := range order[:n] {
		res.Shortlist[rank] = r.entry(&c.Frameworks[fi], r.raw[fi], rank)
	}
	res.Checklist = r.checklist(&c.Frameworks[order[0]])
	res.POC = pocPlan(c, res.Shortlist)
	return res
}

// answer is one chosen option, with its question.
type answer struct {
	q *catalog.Question
	o *catalog.Option
}

// ranker holds what one ranking computes once for all frameworks.
type ranker struct {
	c         *catalog.Catalog
	langQ     *catalog.Question
	given     [maxGiven]answer
	n         int               // answers in given
	set       catalog.OptionSet // the given answers
	w         [catalog.MaxCriteria]float64
	total     float64 // sum of |w|
	known     uint64  // languages the team knows: bits of the languages question's options
	langBonus float64
	best      float64 // raw score of a perfect framework for these answers
	raw       [catalog.MaxFrameworks]float64
	groups    [2 * catalog.MaxCriteria]group // scratch for entry, reused for each framework
	texts     [64]cachedText                 // group sentences made so far
	nTexts    int
	reasonBuf []Reason // backing array of the entries' reasons
	watchBuf  []string // backing array of the entries' watchouts
	watchOff  int      // used part of watchBuf
}

func (r *ranker) init(c *catalog.Catalog, answers catalog.Answers) {
	r.c = c
	r.langQ, _ = c.Question(catalog.LanguagesQuestion)
	for qi := range c.Questions {
		q := &c.Questions[qi]
		chosen := answers[q.ID]
		for oi := range q.Options {
			// Option order, not the order given, so equal answers rank equally.
			if o := &q.Options[oi]; slices.Contains(chosen, o.ID) && r.n < maxGiven {
				r.given[r.n] = answer{q, o}
				r.n++
				r.set.Add(o.Key())
				if q.ID == catalog.LanguagesQuestion && !o.Exclusive {
					r.known |= 1 << oi
				}
			}
		}
	}
	for i := range c.Criteria {
		r.w[i] = c.BaseWeight(i)
	}
	r.langBonus = c.Weights.LanguageMatch
	r.best = 1
	for _, a := range r.given[:r.n] {
		for _, t := range a.o.Terms() {
			r.w[t.Criterion] += t.Delta
		}
		r.langBonus += a.o.LanguageBoost
		if a.o.FavorsAny() {
			r.best += c.Weights.Favored
		}
	}
	if r.known != 0 {
		r.best += r.langBonus
	}
	for i := range c.Criteria {
		r.total += math.Abs(r.w[i])
	}
}

// score is a framework's raw score: fit, plus bonuses, minus penalties. It allocates nothing.
func (r *ranker) score(f *catalog.Framework) float64 {
	raw := r.fit(f)
	if r.known&f.LanguageMask() != 0 {
		raw += r.langBonus
	}
	for _, a := range r.given[:r.n] {
		if a.o.Favoring(f.Index()) {
			raw += r.c.Weights.Favored
		}
	}
	return raw - r.penalty(f)
}

func (r *ranker) fit(f *catalog.Framework) float64 {
	fit := 0.5
	if r.total > 0 {
		for i := range r.c.Criteria {
			fit += r.w[i] * f.Centred(i) / r.total
		}
	}
	return fit
}

func (r *ranker) penalty(f *catalog.Framework) float64 {
	p := 0.0
	for wi := range f.Watchouts {
		if w := &f.Watchouts[wi]; w.AppliesTo(&r.set) {
			p += w.Penalty
		}
	}
	if f.Emerging && r.c.EmergingPenalised(&r.set) {
		p += r.c.Weights.EmergingPenalty
	}
	return p
}

// candidate is a possible reason: what kind, its signed effect on the 0..1 score, and which
// answer, group or criterion it is about.
type candidate struct {
	kind   candidateKind
	effect float64
	ref    int
}

type candidateKind int

const (
	knowsLanguage candidateKind = iota // ref: the language option's index
	lacksLanguage
	favoured // ref: index in given
	grouped  // ref: index in groups
)

// textKey is what a group sentence depends on.
type textKey struct {
	answers  uint64
	crit     int
	rating   int
	positive bool
}

type cachedText struct {
	key  textKey
	text string
}

// group is the answers whose effect on a framework ran through one criterion, one way.
type group struct {
	crit    int
	effect  float64
	answers uint64 // bits: indexes in given
}

// entry explains a framework: its reasons and the watchouts that apply.
func (r *ranker) entry(f *catalog.Framework, raw float64, rank int) Entry {
	var top [maxReasons]candidate // the strongest candidates so far, strongest first
	nt, ng := 0, 0
	consider := func(cd candidate) {
		if math.Abs(cd.effect) < minEffect {
			return
		}
		p := 0 // after every candidate at least as strong: earlier ones win ties
		for p < nt && math.Abs(top[p].effect) >= math.Abs(cd.effect) {
			p++
		}
		if p == maxReasons {
			return
		}
		nt = min(nt+1, maxReasons)
		copy(top[p+1:nt], top[p:nt-1])
		top[p] = cd
	}
	if r.known != 0 {
		if r.known&f.LanguageMask() != 0 {
			first := 0 // the first of the framework's languages the team knows
			for _, oi := range f.LanguageOptions() {
				if r.known&(1<<oi) != 0 {
					first = oi
					break
				}
			}
			consider(candidate{knowsLanguage, r.langBonus, first})
		} else {
			consider(candidate{lacksLanguage, -r.langBonus, 0})
		}
	}
	for gi, a := range r.given[:r.n] {
		if a.o.Favoring(f.Index()) {
			consider(candidate{favoured, r.c.Weights.Favored, gi})
		}
		if r.total == 0 || !a.o.HasWeights() {
			continue
		}
		// The answer's share of the fit, credited to the criterion that carried most of it.
		effect, best, bestEffect := 0.0, -1, 0.0
		for _, t := range a.o.Terms() {
			e := t.Delta * f.Centred(t.Criterion) / r.total
			effect += e
			if math.Abs(e) > math.Abs(bestEffect) {
				best, bestEffect = t.Criterion, e
			}
		}
		if best < 0 || math.Abs(effect) < minEffect {
			continue
		}
		k := 0
		for k < ng && !(r.groups[k].crit == best && (r.groups[k].effect > 0) == (effect > 0)) {
			k++
		}
		if k == ng {
			r.groups[k] = group{crit: best}
			ng++
		}
		r.groups[k].effect += effect
		r.groups[k].answers |= 1 << gi
	}
	// Groups come after the other candidates, so they lose ties to them.
	for k := range r.groups[:ng] {
		consider(candidate{grouped, r.groups[k].effect, k})
	}
	reasons := r.reasonBuf[rank*maxReasons : rank*maxReasons : (rank+1)*maxReasons]
	for _, cd := range top[:nt] {
		reasons = append(reasons, Reason{Text: r.text(f, cd), Positive: cd.effect > 0})
	}
	if len(reasons) < minReasons {
		reasons = r.fallbackReasons(f, reasons, r.groups[:ng])
	}
	return Entry{
		ID: f.ID, Name: f.Name, Score: scale(raw, r.best),
		Languages: f.LanguageLabels(), Website: f.Website, Emerging: f.Emerging, Summary: f.Summary,
		Reasons: reasons, Watchouts: r.watchouts(f),
	}
}

func (r *ranker) text(f *catalog.Framework, cd candidate) string {
	switch cd.kind {
	case knowsLanguage:
		return r.langQ.Options[cd.ref].Reason
	case lacksLanguage:
		return f.LacksReason()
	case favoured:
		return r.given[cd.ref].o.FavoredReason()
	}
	g := r.groups[cd.ref]
	key := textKey{g.answers, g.crit, f.Rating(g.crit), g.effect > 0}
	for _, t := range r.texts[:r.nTexts] {
		if t.key == key {
			return t.text // frameworks rated alike on a criterion share the sentence
		}
	}
	text := r.groupText(g, f.Rating(g.crit))
	if r.nTexts < len(r.texts) {
		r.texts[r.nTexts] = cachedText{key, text}
		r.nTexts++
	}
	return text
}

// groupText reads "A, B and C: label 5/5", or "A, B and C, but label is 2/5".
func (r *ranker) groupText(g group, rating int) string {
	label := r.c.Criteria[g.crit].Label
	// A positive effect can come from a low rating too, when the user prefers less of something.
	// Sized exactly: one allocation.
	sep, is := ": ", ""
	if g.effect <= 0 {
		sep, is = ", but ", " is"
	}
	total := bits.OnesCount64(g.answers)
	size := len(sep) + len(label) + len(is) + len(" 5/5") + len(", ")*max(0, total-2) + len(" and ")*min(1, max(0, total-1))
	for gi := range r.given[:r.n] {
		if g.answers&(1<<gi) != 0 {
			size += len(r.given[gi].o.Reason)
		}
	}
	var b strings.Builder
	b.Grow(size)
	n := 0
	for gi := range r.given[:r.n] {
		if g.answers&(1<<gi) == 0 {
			continue
		}
		switch n++; {
		case n == total && n > 1:
			b.WriteString(" and ")
		case n > 1:
			b.WriteString(", ")
		}
		b.WriteString(r.given[gi].o.Reason)
	}
	b.WriteString(sep)
	b.WriteString(label)
	b.WriteString(is)
	b.WriteByte(' ')
	b.WriteByte(byte('0' + rating))
	b.WriteString("/5")
	return b.String()
}

// fallbackReasons tops reasons up to the minimum with the framework's strongest criteria under
// the current weights, leaving out criteria a reason already cites.
func (r *ranker) fallbackReasons(f *catalog.Framework, reasons []Reason, groups []group) []Reason {
	var order [catalog.MaxCriteria]int
	n := 0
	for i := range r.c.Criteria {
		cited := false
		for _, g := range groups {
			cited = cited || g.crit == i
		}
		if r.w[i] <= 0 || cited {
			continue
		}
		order[n] = i
		for j := n; j > 0 && r.w[order[j]]*float64(f.Rating(order[j])) > r.w[order[j-1]]*float64(f.Rating(order[j-1])); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
		n++
	}
	for _, i := range order[:n] {
		if len(reasons) == minReasons {
			break
		}
		reasons = append(reasons, Reason{Text: r.c.Criteria[i].Label + " " + strconv.Itoa(f.Rating(i)) + "/5", Positive: f.Rating(i) >= 3})
	}
	return reasons
}

// watchouts returns those that apply to these answers (most severe first, catalog order among
// equals), then general caveats.
func (r *ranker) watchouts(f *catalog.Framework) []string {
	out := r.watchBuf[r.watchOff : r.watchOff : r.watchOff+len(f.Watchouts)+1]
	defer func() { r.watchOff += len(out) }()
	var severity [catalog.MaxWatchouts + 1]float64
	add := func(text string, penalty float64) {
		i := len(out)
		out = append(out, text)
		severity[i] = penalty
		for ; i > 0 && severity[i] > severity[i-1]; i-- {
			out[i], out[i-1] = out[i-1], out[i]
			severity[i], severity[i-1] = severity[i-1], severity[i]
		}
	}
	for wi := range f.Watchouts {
		if w := &f.Watchouts[wi]; w.AppliesTo(&r.set) {
			add(w.Text, w.Penalty)
		}
	}
	if f.Emerging && r.c.EmergingPenalised(&r.set) {
		add(emergingWatchout, r.c.Weights.EmergingPenalty)
	}
	for wi := range f.Watchouts {
		if len(f.Watchouts[wi].When) == 0 {
			out = append(out, f.Watchouts[wi].Text)
		}
	}
	return out
}

const emergingWatchout = "Still emerging: few long-running production references for the kind of project you described; load-test it yourself before committing."

func scale(raw, best float64) int {
	return int(math.Round(100 * math.Max(0, math.Min(1, raw/best))))
}

func (r *ranker) situation() []Fact {
	facts := make([]Fact, 0, r.n)
	labels := make([]string, r.n)
	for i := 0; i < r.n; {
		q := r.given[i].q
		j := i
		for j < r.n && r.given[j].q == q {
			labels[j] = r.given[j].o.Label
			j++
		}
		facts = append(facts, Fact{QuestionID: q.ID, Short: q.Short, Answers: labels[i:j:j]})
		i = j
	}
	return facts
}

// checklist fills the final checklist: items the answers settle say what the user said, and
// items with a criterion quote the top pick's rating on it.
func (r *ranker) checklist(top *catalog.Framework) []CheckItem {
	c := r.c
	items := make([]CheckItem, len(c.Checklist.Items))
	for ii, it := range c.Checklist.Items {
		ci := CheckItem{ID: it.ID, Title: it.Title, Text: it.Verify}
		var said []string
		first := -1
		for gi, a := range r.given[:r.n] {
			if a.q == it.AskedBy() {
				if first < 0 {
					first = gi
				}
				said = append(said, a.o.Label)
			}
		}
		switch {
		case len(said) == 1:
			ci.Settled, ci.Text = true, r.given[first].o.YouSaid()
		case len(said) > 1:
			ci.Settled, ci.Text = true, "You said: "+strings.Join(said, ", ")+"."
		}
		if i := it.CriterionIndex(); i >= 0 {
			ci.Text += top.Rates(i)
		}
		items[ii] = ci
	}
	return items
}

func pocPlan(c *catalog.Catalog, shortlist []Entry) []string {
	first, second := shortlist[0].Name, shortlist[0].Name
	if len(shortlist) > 1 {
		second = shortlist[1].Name
	}
	steps := make([]string, len(c.Checklist.POC))
	for i, s := range c.Checklist.POC {
		if strings.Contains(s, "{") {
			s = strings.ReplaceAll(strings.ReplaceAll(s, "{first}", first), "{second}", second)
		}
		steps[i] = s
	}
	return steps
}
