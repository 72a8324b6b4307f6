package team

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// Merged is a team's answers as one set, by the catalog's team rules.
type Merged struct {
	Answers catalog.Answers
	// Fluency is how many of those who answered the languages question know each language.
	Fluency ranking.Fluency
	// Tied are the questions a majority rule left open, split evenly.
	Tied []string
}

// Merge merges the answers of ps (those that count) question by question, by cat's team rules.
// Unsure and unanswered questions give no vote.
func Merge(cat *catalog.Catalog, ps []Participant) Merged {
	m := Merged{Answers: catalog.Answers{}}
	for qi := range cat.Questions {
		q := &cat.Questions[qi]
		votes := votesOn(q, ps)
		if len(votes) == 0 {
			continue
		}
		var opts []string
		switch cat.Weights.Team.Rule(q.ID) {
		case catalog.MergeUnion:
			opts = union(q, votes)
			if q.ID == catalog.LanguagesQuestion {
				m.Fluency = fluency(opts, votes)
			}
		case catalog.MergeHighest:
			opts = extreme(q, votes, func(i, j int) bool { return i > j })
		case catalog.MergeLowest:
			opts = extreme(q, votes, func(i, j int) bool { return i < j })
		default:
			opts = majority(q, votes)
			if len(opts) == 0 {
				m.Tied = append(m.Tied, q.ID)
			}
		}
		if len(opts) > 0 {
			m.Answers[q.ID] = opts
		}
	}
	return m
}

// vote is one participant's answer to one question.
type vote struct {
	user, name string
	options    []string
}

// votesOn are the answers of ps to q, in their order. The unsure and unanswered give none, nor
// does the option that means not sure ("Not decided yet"); options q no longer has (after a
// config reload) are dropped.
func votesOn(q *catalog.Question, ps []Participant) []vote {
	var out []vote
	for _, p := range ps {
		if slices.Contains(p.Unsure, q.ID) {
			continue
		}
		opts := slices.DeleteFunc(slices.Clone(p.Answers[q.ID]), func(id string) bool { o, ok := q.Option(id); return !ok || o.Doubt })
		if len(opts) > 0 {
			out = append(out, vote{p.User, p.Name, opts})
		}
	}
	return out
}

// inOrder returns the options of q that keep says to, in q's option order.
func inOrder(q *catalog.Question, keep func(id string) bool) []string {
	var out []string
	for _, o := range q.Options {
		if keep(o.ID) {
			out = append(out, o.ID)
		}
	}
	return out
}

// count is how many votes give option id.
func count(votes []vote, id string) int {
	n := 0
	for _, v := range votes {
		if slices.Contains(v.options, id) {
			n++
		}
	}
	return n
}

// union is every option anyone gave; an exclusive one ("none of these") only when every vote
// gives it, since the others name what the team does know.
func union(q *catalog.Question, votes []vote) []string {
	given := inOrder(q, func(id string) bool { return count(votes, id) > 0 })
	inclusive := slices.DeleteFunc(slices.Clone(given), func(id string) bool { o, _ := q.Option(id); return o.Exclusive })
	if len(inclusive) > 0 {
		return inclusive
	}
	return given
}

// fluency says, for each language of langs, how many of the votes know it.
func fluency(langs []string, votes []vote) ranking.Fluency {
	f := ranking.Fluency{}
	for _, l := range langs {
		f[l] = ranking.Share{Know: count(votes, l), Of: len(votes)}
	}
	return f
}

// extreme is the one option given that comes first by further (in option order).
func extreme(q *catalog.Question, votes []vote, further func(i, j int) bool) []string {
	best := -1
	for i, o := range q.Options {
		if count(votes, o.ID) > 0 && (best < 0 || further(i, best)) {
			best = i
		}
	}
	return []string{q.Options[best].ID}
}

// majority is the option most votes give, none on a tie; for several-choice questions, the
// options more than half of the votes give.
func majority(q *catalog.Question, votes []vote) []string {
	if q.Kind == catalog.Several {
		return inOrder(q, func(id string) bool { return 2*count(votes, id) > len(votes) })
	}
	best, tied := "", false
	for _, o := range q.Options {
		switch n, most := count(votes, o.ID), count(votes, best); {
		case n > 0 && (best == "" || n > most):
			best, tied = o.ID, false
		case n > 0 && n == most:
			tied = true
		}
	}
	if tied {
		return nil
	}
	return []string{best}
}

// Analysis is what a decision's counted answers say: the merged set, its ranking, and the
// disagreements, those that change the team's first choice apart.
type Analysis struct {
	Merged
	Result ranking.Result
	// Counted is how many participants' answers count; without any, Result is empty.
	Counted int
	// Matters are the disagreements where some participant's answer, in place of the team's,
	// puts a genuinely different framework first; Minor the others. Both in question order.
	Matters, Minor []Disagreement
}

// Disagreement is one question the participants answered differently.
type Disagreement struct {
	QuestionID, Short string
	Rule              catalog.MergeRule
	Team              []string // the merged answer's labels; none when tied
	Sides             []Side   // one per distinct answer, in the order first given
}

// Side is one answer to a disagreement's question and who gave it.
type Side struct {
	Users, Names []string
	Options      []string
	Labels       []string
	// Leader is the framework first with this side's answer in place of the team's (for the
	// languages question: as if the team knew only this side's languages), and Changes says
	// whether it is a different choice than the team's first.
	Leader, LeaderName string
	Changes            bool
}

// Analyse merges d's counted answers, ranks them with m and weighs every disagreement.
func Analyse(cat *catalog.Catalog, m *ranking.Model, d *Decision) Analysis {
	ps := d.Counted()
	a := Analysis{Merged: Merge(cat, ps), Counted: len(ps)}
	if len(ps) == 0 {
		return a
	}
	a.Result = m.RankTeam(a.Answers, a.Fluency)
	top := a.Result.Shortlist[0].ID
	names := map[string]string{}
	for _, e := range a.Result.Shortlist {
		names[e.ID] = e.Name
	}
	for qi := range cat.Questions {
		q := &cat.Questions[qi]
		dis, ok := disagreement(q, votesOn(q, ps), a.Answers[q.ID])
		if !ok {
			continue
		}
		dis.Rule = cat.Weights.Team.Rule(q.ID)
		matters := false
		for i := range dis.Sides {
			s := &dis.Sides[i]
			alt, fl := a.Answers.Clone(), a.Fluency
			alt[q.ID] = s.Options
			if q.ID == catalog.LanguagesQuestion {
				fl = nil
			}
			s.Leader = m.Leader(alt, fl)
			s.LeaderName = names[s.Leader]
			s.Changes = !m.Alike(s.Leader, top)
			matters = matters || s.Changes
		}
		if matters {
			a.Matters = append(a.Matters, dis)
		} else {
			a.Minor = append(a.Minor, dis)
		}
	}
	return a
}

// disagreement groups votes on q by answer; ok is false when all agree (or one voted).
func disagreement(q *catalog.Question, votes []vote, team []string) (Disagreement, bool) {
	d := Disagreement{QuestionID: q.ID, Short: q.Short, Team: labels(q, team)}
	for _, v := range votes {
		i := slices.IndexFunc(d.Sides, func(s Side) bool { return catalog.SameOptions(s.Options, v.options) })
		if i < 0 {
			opts := inOrder(q, func(id string) bool { return slices.Contains(v.options, id) })
			d.Sides = append(d.Sides, Side{Options: opts, Labels: labels(q, opts)})
			i = len(d.Sides) - 1
		}
		d.Sides[i].Users = append(d.Sides[i].Users, v.user)
		d.Sides[i].Names = append(d.Sides[i].Names, v.name)
	}
	return d, len(d.Sides) > 1
}

func labels(q *catalog.Question, ids []string) []string {
	var out []string
	for _, id := range ids {
		if o, ok := q.Option(id); ok {
			out = append(out, o.Label)
		}
	}
	return out
}

// Text says who answered what and, for the sides that would change the team's first choice
// (top), what would lead instead: "Ana says “One app (monolith)”; Bob says “Microservices”: with
// Bob's answer FastAPI leads instead of Django." The question's Short is for the caller to show.
func (d Disagreement) Text(top string) string {
	says := make([]string, len(d.Sides))
	var changes []string
	for i, s := range d.Sides {
		verb := "says"
		if len(s.Names) > 1 {
			verb = "say"
		}
		says[i] = fmt.Sprintf("%s %s %s", andList(s.Names), verb, quoted(s.Labels))
		if s.Changes {
			changes = append(changes, fmt.Sprintf("with %s's answer %s leads instead of %s", andList(s.Names), s.LeaderName, top))
		}
	}
	text := strings.Join(says, "; ")
	if len(changes) > 0 {
		text += ": " + strings.Join(changes, "; ")
	}
	return text + "."
}

// Settled says how the team's answer was reached: "the team answer is the highest stated,
// “Massive (1M+ users, spikes)”", or that a tie left it open.
func (d Disagreement) Settled() string {
	if len(d.Team) == 0 {
		return "split evenly, so it is left open (neutral)"
	}
	how := map[catalog.MergeRule]string{
		catalog.MergeUnion: "everything anyone named", catalog.MergeHighest: "the highest stated",
		catalog.MergeLowest: "the earliest stated", catalog.MergeMajority: "the majority's",
	}[d.Rule]
	return "the team's answer is " + how + ", " + quoted(d.Team)
}

// MinorText sums up the disagreements that change nothing in one line, or "" when there are none;
// those a tie left open are not among them (Merged.Tied names them).
func MinorText(minor []Disagreement) string {
	var shorts []string
	for _, d := range minor {
		if len(d.Team) > 0 {
			shorts = append(shorts, d.Short)
		}
	}
	if len(shorts) == 0 {
		return ""
	}
	return "Answered differently, without changing the first choice: " + andList(shorts) + "."
}

func quoted(labels []string) string {
	q := make([]string, len(labels))
	for i, l := range labels {
		q[i] = "“" + l + "”"
	}
	return andList(q)
}

// andList joins "a", "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
