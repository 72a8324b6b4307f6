package ranking

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/stackpick/stackpick/internal/catalog"
)

// maxCosts is how many costs a WhyNot lists.
const maxCosts = 3

// WhyNot explains why a framework is not the top pick for one set of answers: where it stands,
// what costs it most against the top pick (its watchouts among them), and the one answer that
// would help it most.
type WhyNot struct {
	Entry Entry // the framework asked about, as ranked
	Top   Entry // the top pick
	// Place is Entry's place among the genuinely different choices (a sibling has the place of
	// the entry standing for it, named by Entry.SiblingOf).
	Place   int
	Sibling string // the name of the entry standing for Entry, when it is a sibling
	Behind  int    // score points behind the top pick
	// Costs are what the framework loses most against the top pick, largest first: a criterion
	// the answers weigh, the team's language, a seed recommendation, a watchout.
	Costs []Cost
	// Lever is the single answer, given differently, that would place it best; nil when none
	// would move it up.
	Lever *Lever
}

// Cost is one thing a framework loses against the top pick, in score points.
type Cost struct {
	Text   string
	Points int
}

// Lever is a single answer given differently and where it would put a framework.
type Lever struct {
	Change
	Place int // the framework's place with it
	Score int
	Leads bool // it would be the top pick
}

// WhyNot explains where the framework with the given id stands for these answers. ok is false
// when the catalog has no such framework. A framework the organisation's radar puts on hold
// stands nowhere: Place is 0, with no costs and no lever, and Standing says the radar holds it.
func (m *Model) WhyNot(answers catalog.Answers, id string) (w WhyNot, ok bool) {
	if hi := m.heldIndex(id); hi >= 0 {
		s := m.newScorer(answers)
		return WhyNot{Entry: s.entry(&m.held[hi], s.score(&m.held[hi])), Top: m.Rank(answers).Shortlist[0]}, true
	}
	fi := slices.IndexFunc(m.frameworks, func(f framework) bool { return f.ID == id })
	if fi < 0 {
		return WhyNot{}, false
	}
	res := m.Rank(answers)
	st := m.standing(answers)
	top := st.top()
	w = WhyNot{Entry: entryByID(res, id), Top: res.Shortlist[0], Place: m.place(st, fi)}
	w.Behind = w.Top.Score - w.Entry.Score
	if w.Entry.SiblingOf != "" {
		w.Sibling = entryByID(res, w.Entry.SiblingOf).Name
	}
	if m.groups[fi] != m.groups[top] {
		w.Costs = m.newScorer(answers).costs(&m.frameworks[top], &m.frameworks[fi])
	}
	margin := 0 // the lever's lead over the top score with it
	m.eachAlternative(answers, func(a alternative, alt standing) {
		l := Lever{Place: m.place(alt, fi), Score: alt.score(fi)}
		l.Leads = l.Place == 1
		lead := l.Score - alt.score(alt.top())
		// The best place first, then the widest margin over the leader with it.
		if l.Place < w.Place && (w.Lever == nil || l.Place < w.Lever.Place || l.Place == w.Lever.Place && lead > margin) {
			l.Change = a.change(m)
			w.Lever, margin = &l, lead
		}
	})
	return w, true
}

func entryByID(res Result, id string) Entry {
	e, _ := res.Entry(id)
	return e
}

// costs lists what f loses against top, in score points, largest first: each criterion where
// top gains more, the language bonus, the recommendations and the organisation's adoption top
// has and f lacks, and what the watchouts triggered on f take off beyond those triggered on top.
func (s *scorer) costs(top, f *framework) []Cost {
	points := func(raw float64) int { return int(math.Round(100 * raw / s.best)) }
	var out []Cost
	if s.knowsLanguageOf(top) && !s.knowsLanguageOf(f) {
		out = append(out, Cost{Text: s.knowsReason(top) + ", and " + f.Name + " is " + orList(f.languageLabels), Points: points(s.languageBonus(top))})
	}
	for _, ri := range top.recommendedBy {
		if s.recommends[ri] && !slices.Contains(f.recommendedBy, ri) {
			r := s.m.recommendations[ri]
			out = append(out, Cost{Text: r.Reason + " (" + top.Name + ", not " + f.Name + ")", Points: points(s.m.cat.Weights.Favored)})
		}
	}
	if d := s.adoptBonus(top) - s.adoptBonus(f); d > 0 {
		out = append(out, Cost{Text: adoptedReason(top.Name) + ", not " + f.Name, Points: points(d)})
	}
	for i := range s.weights {
		if d := s.gain(i, top) - s.gain(i, f); d > 0 {
			out = append(out, Cost{Text: s.ratingCost(i, top, f), Points: points(d)})
		}
	}
	// Watchouts, net of those the top pick pays too.
	if d := points(s.penalty(f) - s.penalty(top)); d >= 1 {
		hits := s.watchouts(f)
		text := "the watchouts your answers trigger weigh more on it: " + hits[0].Text
		if n := len(slices.DeleteFunc(hits, func(w Watchout) bool { return !w.Triggered })); n > 1 {
			text += fmt.Sprintf(" (and %d more)", n-1)
		}
		out = append(out, Cost{Text: text, Points: d})
	}
	out = slices.DeleteFunc(out, func(c Cost) bool { return c.Points < 1 })
	slices.SortStableFunc(out, func(a, b Cost) int { return cmp.Compare(b.Points, a.Points) })
	return out[:min(len(out), maxCosts)]
}

// ratingCost reads "speed of delivery 3/5 against Django's 5/5 (you need to ship in weeks)", or
// with "less is better here" when the user wants less of the criterion.
func (s *scorer) ratingCost(i int, top, f *framework) string {
	cr := s.m.cat.Criteria[i]
	text := fmt.Sprintf("%s %d/5 against %s's %d/5", cr.Label, f.ratings[i], top.Name, top.ratings[i])
	var because []string
	for _, a := range s.driversOf(i) {
		because = append(because, a.o.Reason)
	}
	switch {
	case len(because) > 0:
		text += " (" + andList(because) + ")"
	case s.weights[i] < 0:
		text += " (less is better here)"
	}
	return text
}

// Fit is what a rating means for the user's direction on its criterion.
type Fit string

// The fits, from a 5/5 (or a 1/5 on a criterion the user wants less of) down.
const (
	FitExcellent Fit = "excellent"
	FitGood      Fit = "good"
	FitFair      Fit = "fair"
	FitWeak      Fit = "weak"
	FitPoor      Fit = "poor"
)

var fits = []Fit{FitPoor, FitWeak, FitFair, FitGood, FitExcellent}

// Comparison sets two frameworks side by side on the criteria that weigh most for one set of
// answers.
type Comparison struct {
	A, B Entry
	// PlaceA and PlaceB are their places among the genuinely different choices; 0 for a
	// framework the organisation's radar puts on hold, which is not ranked.
	PlaceA, PlaceB int
	Rows           []Row
	// Verdict says which leads, by how much, and where each wins.
	Verdict string
}

// Row is one criterion of a Comparison (Why is empty for a criterion only its base weight
// makes weigh) and the two frameworks' ratings on it.
type Row struct {
	Driver
	A, B       int
	FitA, FitB Fit
}

// A Comparison shows the criteria the answers moved and those carrying at least rowShare of
// the weight, at most maxRows and at least minRows (the heaviest).
const (
	maxRows  = 8
	minRows  = 3
	rowShare = 0.05
)

// Compare sets the frameworks with ids a and b side by side. ok is false when the catalog lacks
// either. A framework on hold is compared on its ratings all the same, placed nowhere, and the
// verdict says the radar holds it.
func (m *Model) Compare(answers catalog.Answers, a, b string) (c Comparison, ok bool) {
	res, st, s := m.Rank(answers), m.standing(answers), m.newScorer(answers)
	fa, ea, placeA := m.compared(res, st, s, a)
	fb, eb, placeB := m.compared(res, st, s, b)
	if fa == nil || fb == nil {
		return Comparison{}, false
	}
	c = Comparison{A: ea, B: eb, PlaceA: placeA, PlaceB: placeB}
	var order []int
	for i, w := range s.weights {
		if w != 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(math.Abs(s.weights[y]), math.Abs(s.weights[x])) })
	var winsA, winsB []string
	for n, i := range order[:min(len(order), maxRows)] {
		if n >= minRows && len(s.driversOf(i)) == 0 && math.Abs(s.weights[i])/s.total < rowShare {
			continue
		}
		r := Row{Driver: s.driver(i), A: fa.ratings[i], B: fb.ratings[i], FitA: s.fit1(i, fa), FitB: s.fit1(i, fb)}
		switch g := s.goodness(i, fa) - s.goodness(i, fb); {
		case g > 0:
			winsA = append(winsA, r.Label)
		case g < 0:
			winsB = append(winsB, r.Label)
		}
		c.Rows = append(c.Rows, r)
	}
	c.Verdict = verdict(c, winsA, winsB)
	if ka, kb := s.knowsLanguageOf(fa), s.knowsLanguageOf(fb); ka != kb {
		known, bonus := c.A.Name, s.languageBonus(fa)
		if kb {
			known, bonus = c.B.Name, s.languageBonus(fb)
		}
		c.Verdict += fmt.Sprintf(" Your team knowing its language is worth %s to %s.", points(int(math.Round(100*bonus/s.best))), known)
	}
	if da, db := s.adoptBonus(fa), s.adoptBonus(fb); da != db {
		adopted, bonus := c.A.Name, da
		if db > da {
			adopted, bonus = c.B.Name, db
		}
		c.Verdict += fmt.Sprintf(" Your organisation having adopted %s is worth %s to it.", adopted, points(int(math.Round(100*bonus/s.best))))
	}
	for _, f := range []*framework{fa, fb} {
		if f.onHold() {
			c.Verdict += " " + f.Name + " is not considered: " + heldReason(f.Name, *f.stance) + "."
		}
	}
	return c, true
}

// compared is the framework with the given id, its entry and its place for a comparison: a
// ranked one from the result, one on hold scored apart and placed nowhere (0); nil when the
// catalog has no such framework.
func (m *Model) compared(res Result, st standing, s *scorer, id string) (*framework, Entry, int) {
	if i := slices.IndexFunc(m.frameworks, func(f framework) bool { return f.ID == id }); i >= 0 {
		return &m.frameworks[i], entryByID(res, id), m.place(st, i)
	}
	if i := m.heldIndex(id); i >= 0 {
		f := &m.held[i]
		return f, s.entry(f, s.score(f)), 0
	}
	return nil, Entry{}, 0
}

// Title heads the comparison: "Django (#1, 95) vs Flask (#2, 75), for your answers", a framework
// on hold marked so instead of its place.
func (c Comparison) Title() string {
	side := func(e Entry, place int) string {
		if place == 0 {
			return fmt.Sprintf("%s (on hold, %d)", e.Name, e.Score)
		}
		return fmt.Sprintf("%s (#%d, %d)", e.Name, place, e.Score)
	}
	return side(c.A, c.PlaceA) + " vs " + side(c.B, c.PlaceB) + ", for your answers"
}

// fit1 is what f's rating on criterion i means for the user's direction.
func (s *scorer) fit1(i int, f *framework) Fit {
	return fits[int(math.Round(4*s.goodness(i, f)))]
}

// verdict reads "For your answers Django leads FastAPI by 6 points: Django is stronger on speed
// of delivery and batteries included, FastAPI on I/O throughput and latency."
func verdict(c Comparison, winsA, winsB []string) string {
	lead, trail, wl, wt := c.A, c.B, winsA, winsB
	if c.B.Score > c.A.Score {
		lead, trail, wl, wt = c.B, c.A, winsB, winsA
	}
	head := "For your answers " + lead.Name + " leads " + trail.Name + " by " + points(lead.Score-trail.Score)
	if lead.Score == trail.Score {
		head = "For your answers " + c.A.Name + " and " + c.B.Name + " are level"
	}
	switch {
	case len(wl) == 0 && len(wt) == 0:
		return head + "; they rate alike on what weighs most for you, so the language, the watchouts and the seeds' picks decide."
	case len(wt) == 0:
		return head + ": " + lead.Name + " is stronger on " + andList(wl) + " and no weaker on anything else that weighs for you."
	case len(wl) == 0:
		return head + " even though " + trail.Name + " is stronger on " + andList(wt) + ": the language, the watchouts and the seeds' picks decide."
	}
	return head + ": " + lead.Name + " is stronger on " + andList(wl) + ", " + trail.Name + " on " + andList(wt) + "."
}

func points(n int) string {
	if n == 1 {
		return "1 point"
	}
	return strconv.Itoa(n) + " points"
}

// driver is criterion i as it weighs for these answers.
func (s *scorer) driver(i int) Driver {
	cr := s.m.cat.Criteria[i]
	d := Driver{Criterion: cr.ID, Label: cr.Label, Share: math.Abs(s.weights[i]) / s.total, Less: s.weights[i] < 0}
	for _, a := range s.driversOf(i) {
		d.Why = append(d.Why, a.o.Reason)
	}
	return d
}

// Driver is a criterion that carries much of the decision for one set of answers.
type Driver struct {
	Criterion, Label string
	Share            float64 // of the answers' total weight, 0..1
	Less             bool    // the user wants less of it
	Why              []string
}

// maxDrivers is how many drivers a Result lists.
const maxDrivers = 5

// decisionDrivers are the criteria the answers moved, heaviest first, with the answers that
// moved them.
func (s *scorer) decisionDrivers() []Driver {
	var out []Driver
	for i := range s.weights {
		if s.weights[i] == 0 || len(s.driversOf(i)) == 0 {
			continue
		}
		out = append(out, s.driver(i))
	}
	slices.SortStableFunc(out, func(a, b Driver) int { return cmp.Compare(b.Share, a.Share) })
	return out[:min(len(out), maxDrivers)]
}

// Standing is where the framework stands, in one plain sentence: "Flask ranks #2 with 75, 20
// points behind Django (95).", "Django is your top pick, with 95.", for a sibling, where the
// entry standing for it ranks, and for a framework on hold, that the radar holds it.
func (w WhyNot) Standing() string {
	switch {
	case w.Entry.Stance != nil && w.Entry.Stance.Ring == catalog.Hold:
		return w.Entry.Name + " is not considered: " + heldReason(w.Entry.Name, *w.Entry.Stance) + ". No answer given differently brings it back; only the radar can."
	case w.Top.Confidence.Level == Low:
		return fmt.Sprintf("%s ranks #%d by score, with %d (%s has %d), but your answers cover too little of the decision to name a winner yet.", w.Entry.Name, w.Place, w.Entry.Score, w.Top.Name, w.Top.Score)
	case w.Entry.ID == w.Top.ID:
		return fmt.Sprintf("%s is your top pick, with %d.", w.Entry.Name, w.Entry.Score)
	case w.Entry.SiblingOf == w.Top.ID:
		return fmt.Sprintf("%s has the same trade-offs as %s, your top pick, and stands with it at #1 with %d to its %d: either fits these answers.", w.Entry.Name, w.Top.Name, w.Entry.Score, w.Top.Score)
	case w.Entry.SiblingOf != "":
		return fmt.Sprintf("%s has the same trade-offs as %s, and ranks with it at #%d with %d, %s behind %s (%d).", w.Entry.Name, w.Sibling, w.Place, w.Entry.Score, points(w.Behind), w.Top.Name, w.Top.Score)
	}
	return fmt.Sprintf("%s ranks #%d with %d, %s behind %s (%d).", w.Entry.Name, w.Place, w.Entry.Score, points(w.Behind), w.Top.Name, w.Top.Score)
}

// LeverText says what the lever would do, in one plain sentence: "Flask would lead with
// built-ins “A minimal core, we pick the pieces” (instead of “Batteries included”) (92)." It is
// empty without a lever.
func (w WhyNot) LeverText() string {
	l := w.Lever
	switch {
	case l == nil:
		return ""
	case l.Leads:
		return fmt.Sprintf("%s would lead %s (%d).", w.Entry.Name, l.Change.Text(), l.Score)
	}
	return fmt.Sprintf("%s would move up to #%d %s (%d).", w.Entry.Name, l.Place, l.Change.Text(), l.Score)
}

// Table is the comparison as rows of three plain cells: a header (criterion, A, B), then each
// criterion with its share of the weight ("speed of delivery (27%)", ", less is better" when the
// user wants less of it) and each framework's rating and what it means ("5/5 excellent").
func (c Comparison) Table() [][3]string {
	rows := [][3]string{{"criterion (share of the weight)", c.A.Name, c.B.Name}}
	for _, r := range c.Rows {
		label := fmt.Sprintf("%s (%d%%)", r.Label, int(math.Round(100*r.Share)))
		if r.Less {
			label += ", less is better"
		}
		rows = append(rows, [3]string{label, fmt.Sprintf("%d/5 %s", r.A, r.FitA), fmt.Sprintf("%d/5 %s", r.B, r.FitB)})
	}
	return rows
}
