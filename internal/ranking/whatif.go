package ranking

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Change is one answer given differently: the question, its answer before (labels; empty when it
// was unanswered) and after, and the option ids after.
type Change struct {
	QuestionID string
	Short      string
	From, To   []string // option labels
	Options    []string // option ids of To
	// Because is the new answer's reason, e.g. "you prefer a minimal core".
	Because []string
}

// standing is where every framework stands for one set of answers: raw scores in catalog order
// and the best raw score possible, so scores and places can be read without a full Rank.
type standing struct {
	raws []float64
	best float64
}

func (m *Model) standing(answers catalog.Answers) standing { return m.teamStanding(answers, nil) }

func (m *Model) teamStanding(answers catalog.Answers, fluency Fluency) standing {
	s := m.newScorer(answers)
	s.fluency = fluency
	return s.standing(nil)
}

// standing scores every framework, into raws' memory.
func (s *scorer) standing(raws []float64) standing {
	st := standing{raws: raws[:0], best: s.best}
	for i := range s.m.frameworks {
		st.raws = append(st.raws, s.score(&s.m.frameworks[i]))
	}
	return st
}

// before reports whether framework j ranks above framework i: a higher raw score, or an equal one
// and earlier in the catalog (Rank's stable order).
func (st standing) before(j, i int) bool {
	return st.raws[j] > st.raws[i] || st.raws[j] == st.raws[i] && j < i
}

// Leader is the id of the framework RankTeam would put first for answers and fluency, without
// explaining any: for weighing many alternative answers at little cost.
func (m *Model) Leader(answers catalog.Answers, fluency Fluency) string {
	return m.frameworks[m.teamStanding(answers, fluency).top()].ID
}

// Alike reports whether frameworks a and b are one choice: the same framework, or siblings
// (rated alike on every criterion, in the same languages).
func (m *Model) Alike(a, b string) bool {
	ia := slices.IndexFunc(m.frameworks, func(f framework) bool { return f.ID == a })
	ib := slices.IndexFunc(m.frameworks, func(f framework) bool { return f.ID == b })
	return ia >= 0 && ib >= 0 && m.groups[ia] == m.groups[ib]
}

// leaderOf is the catalog index of the best-ranked member of sibling group g.
func (m *Model) leaderOf(st standing, g int) int {
	best := g
	for i := range m.frameworks {
		if m.groups[i] == g && st.before(i, best) {
			best = i
		}
	}
	return best
}

// top is the catalog index of the best-ranked framework.
func (st standing) top() int {
	best := 0
	for i := range st.raws {
		if st.before(i, best) {
			best = i
		}
	}
	return best
}

// place is framework i's place among the genuinely different choices, as Result.Place counts it,
// for the entry standing for i's sibling group.
func (m *Model) place(st standing, i int) int {
	leaders := map[int]bool{} // sibling groups with a member above i
	for j := range st.raws {
		if m.groups[j] != m.groups[i] && st.before(j, i) {
			leaders[m.groups[j]] = true
		}
	}
	return 1 + len(leaders)
}

func (st standing) score(i int) int { return scale(st.raws[i], st.best) }

// alternative is a single answer given differently: q answered with ids instead of had.
type alternative struct {
	q        *catalog.Question
	had, ids []string
}

// alternatives lists every single answer given differently from answers: another option of a
// one-choice question, or one option more or less of a several-choice one (an exclusive option
// replaces the others), answered or not. Clearing an answer is not an alternative: it says
// nothing different.
func (m *Model) alternatives(answers catalog.Answers) []alternative {
	var out []alternative
	for qi := range m.questions {
		q := m.questions[qi].Question
		had := answers[q.ID]
		for _, o := range q.Options {
			var ids []string
			switch {
			case q.Kind == catalog.One || o.Exclusive:
				if slices.Equal(had, []string{o.ID}) {
					continue
				}
				ids = []string{o.ID}
			case slices.Contains(had, o.ID):
				if ids = slices.DeleteFunc(slices.Clone(had), func(id string) bool { return id == o.ID }); len(ids) == 0 {
					continue
				}
			default:
				ids = append(slices.DeleteFunc(slices.Clone(had), func(id string) bool {
					x, _ := q.Option(id)
					return x == nil || x.Exclusive
				}), o.ID)
			}
			out = append(out, alternative{q, had, ids})
		}
	}
	return out
}

// eachAlternative calls f with every alternative to answers and the standing it gives, which is
// f's only while it runs. One copy of the answers, one scorer and one standing serve them all:
// weighing them is most of a result's cost.
func (m *Model) eachAlternative(answers catalog.Answers, f func(a alternative, alt standing)) {
	given := maps.Clone(answers)
	s := m.newScorer(given)
	var alt standing
	for _, a := range m.alternatives(answers) {
		given[a.q.ID] = a.ids
		s.load(given)
		alt = s.standing(alt.raws)
		f(a, alt)
		if had, ok := answers[a.q.ID]; ok {
			given[a.q.ID] = had
		} else {
			delete(given, a.q.ID)
		}
	}
}

// change is the alternative described.
func (a alternative) change(m *Model) Change { return m.change(a.q, a.had, a.ids) }

// change describes q answered with ids instead of had, ids in q's option order.
func (m *Model) change(q *catalog.Question, had, ids []string) Change {
	ordered := []string{}
	for _, o := range q.Options {
		if slices.Contains(ids, o.ID) {
			ordered = append(ordered, o.ID)
		}
	}
	c := Change{QuestionID: q.ID, Short: q.Short, From: q.Labels(had), To: q.Labels(ordered), Options: ordered}
	for _, id := range ordered {
		if o, _ := q.Option(id); o != nil && !slices.Contains(had, id) && o.Reason != "" {
			c.Because = append(c.Because, o.Reason)
		}
	}
	return c
}

// Changes lists the questions whose answers differ between before and after, in question order.
func (m *Model) Changes(before, after catalog.Answers) []Change {
	var out []Change
	for qi := range m.questions {
		q := m.questions[qi].Question
		if !catalog.SameOptions(before[q.ID], after[q.ID]) {
			out = append(out, m.change(q, before[q.ID], after[q.ID]))
		}
	}
	return out
}

// Move is one framework's score and place before and after a change of answers.
type Move struct {
	ID, Name           string
	From, To           int // scores
	FromPlace, ToPlace int
}

// Movement is what a change of answers did to the shortlist: the answers changed and how the
// leading choices moved.
type Movement struct {
	Changes []Change
	// Moves are the choices placed in the first MovementTop before or after, by their place
	// after (then before).
	Moves []Move
	// TopChanged is set when a genuinely different choice leads after the change.
	TopChanged bool
	// Low is set when the confidence after the change is low: the shortlist then names no winner,
	// and the places are by score alone.
	Low bool
}

// MovementTop is how many leading choices, before and after, a Movement follows.
const MovementTop = 3

// Movement compares the shortlists of two sets of answers.
func (m *Model) Movement(before, after catalog.Answers) Movement {
	was, now := m.standing(before), m.standing(after)
	mv := Movement{Changes: m.Changes(before, after), TopChanged: m.groups[was.top()] != m.groups[now.top()],
		Low: m.Rank(after).Confidence.Level == Low}
	for g := range m.frameworks {
		if m.groups[g] != g {
			continue
		}
		i := m.leaderOf(now, g) // the sibling the shortlist shows for the group
		mo := Move{ID: m.frameworks[i].ID, Name: m.frameworks[i].Name,
			From: was.score(i), To: now.score(i), FromPlace: m.place(was, i), ToPlace: m.place(now, i)}
		if mo.FromPlace <= MovementTop || mo.ToPlace <= MovementTop {
			mv.Moves = append(mv.Moves, mo)
		}
	}
	slices.SortFunc(mv.Moves, func(a, b Move) int {
		return cmp.Or(cmp.Compare(a.ToPlace, b.ToPlace), cmp.Compare(a.FromPlace, b.FromPlace))
	})
	return mv
}

// Flip is a single answer that, given differently, puts another choice first.
type Flip struct {
	Change
	Leader string // the name of the choice that would lead
	Score  int    // its score then
	Lead   int    // its lead over the current top pick then, in points
}

// Firmness says how firm the top pick is against changing any one answer.
type Firmness struct {
	Top   string // the name of the top pick
	Tried int    // single answers given differently that were tried
	Flips []Flip // those that put another choice first, the largest lead first
}

// Firmness tries every single answer given differently (see alternatives) and reports which
// would put a genuinely different choice first.
func (m *Model) Firmness(answers catalog.Answers) Firmness {
	st := m.standing(answers)
	top := st.top()
	f := Firmness{Top: m.frameworks[top].Name}
	m.eachAlternative(answers, func(a alternative, alt standing) {
		f.Tried++
		if lead := alt.top(); m.groups[lead] != m.groups[top] {
			f.Flips = append(f.Flips, Flip{Change: a.change(m), Leader: m.frameworks[lead].Name, Score: alt.score(lead), Lead: alt.score(lead) - alt.score(top)})
		}
	})
	slices.SortStableFunc(f.Flips, func(a, b Flip) int { return cmp.Compare(b.Lead, a.Lead) })
	return f
}

// Text is the firmness in one plain sentence, for every front end to show with the result: "No
// single answer given differently changes the top pick (55 tried)." or "1 of 55 single answers
// given differently would change the top pick: with built-ins A minimal core, Flask would lead
// by 7 points."
func (f Firmness) Text() string {
	if len(f.Flips) == 0 {
		return fmt.Sprintf("No single answer given differently changes the top pick (%d tried).", f.Tried)
	}
	fl := f.Flips[0]
	return fmt.Sprintf("%d of %d single answers given differently would change the top pick: %s, %s would lead by %s.",
		len(f.Flips), f.Tried, fl.Change.Text(), fl.Leader, points(fl.Lead))
}

// Text reads the change as: with built-ins “A minimal core, we pick the pieces” (instead of
// “Batteries included”).
func (c Change) Text() string {
	added, removed := c.delta()
	switch {
	case len(c.From) > 0 && len(removed) == 0: // a several-choice answer with one option more
		return "with " + c.Short + " " + quoted(added) + " as well"
	case len(c.To) > 0 && len(added) == 0: // … or one less
		return "with " + c.Short + " without " + quoted(removed)
	case len(c.From) > 0:
		return "with " + c.Short + " " + quoted(c.To) + " (instead of " + quoted(c.From) + ")"
	}
	return "with " + c.Short + " " + quoted(c.To)
}

// delta is what the change adds to the answer and takes away from it, as labels.
func (c Change) delta() (added, removed []string) {
	for _, l := range c.To {
		if !slices.Contains(c.From, l) {
			added = append(added, l)
		}
	}
	for _, l := range c.From {
		if !slices.Contains(c.To, l) {
			removed = append(removed, l)
		}
	}
	return added, removed
}

// Text reads the flip as: with deadline “Within weeks” (instead of “Long term”), Flask would lead
// by 7 points, with 92.
func (fl Flip) Text() string {
	return fmt.Sprintf("%s, %s would lead by %s, with %d.", fl.Change.Text(), fl.Leader, points(fl.Lead), fl.Score)
}

// quoted reads labels as “A”, “B”, or none.
func quoted(labels []string) string {
	if len(labels) == 0 {
		return "none"
	}
	return "“" + strings.Join(labels, "”, “") + "”"
}

// Text is the movement in one plain sentence, what moved first: "Flask 75 → 92 (now #1);
// Django 95 → 89 (now #2): you prefer a minimal core." Only choices whose score or place changed
// are named; when none did, the leading choices are.
func (mv Movement) Text() string {
	var moved, still []string
	for _, m := range mv.Moves {
		switch {
		case m.From == m.To && m.FromPlace == m.ToPlace:
			still = append(still, fmt.Sprintf("%s %d (#%d)", m.Name, m.To, m.ToPlace))
		case m.FromPlace == m.ToPlace:
			moved = append(moved, fmt.Sprintf("%s %d → %d (still #%d)", m.Name, m.From, m.To, m.ToPlace))
		default:
			moved = append(moved, fmt.Sprintf("%s %d → %d (now #%d)", m.Name, m.From, m.To, m.ToPlace))
		}
	}
	var because []string
	for _, c := range mv.Changes {
		switch added, removed := c.delta(); {
		case len(c.Options) == 0:
			because = append(because, c.Short+" is no longer answered")
		case len(c.Because) == 0: // options were only taken away
			because = append(because, c.Short+" without "+quoted(removed))
		case len(removed) == 0 || len(added) == 0:
			because = append(because, c.Because...)
		default:
			because = append(because, andList(c.Because)+" (instead of "+quoted(removed)+")")
		}
	}
	if len(moved) == 0 {
		text := "Nothing moved among the leading choices (" + strings.Join(still, ", ") + ")"
		if len(because) > 0 {
			text += " when " + andList(because)
		}
		return text + "."
	}
	text := strings.Join(moved, "; ")
	if len(because) > 0 {
		text += ": " + andList(because)
	}
	if mv.Low {
		text += " (places by score: with answers this thin the shortlist shows starting points across styles, not a winner)"
	}
	return text + "."
}

// WhatIfText is a hypothetical movement in one plain sentence: the changes tried, then what
// would move.
func (mv Movement) WhatIfText() string {
	var changes []string
	for _, c := range mv.Changes {
		changes = append(changes, c.Text())
	}
	return strings.Join(changes, "; ") + ". " + mv.Text()
}
