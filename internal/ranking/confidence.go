package ranking

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Level is how far a result may be trusted.
type Level string

// The confidence levels.
const (
	Low    Level = "low"
	Medium Level = "medium"
	High   Level = "high"
)

// Confidence says how much of the decision the answers cover and how clearly an entry leads.
//
// Coverage (0..1) is the share of the questions answered, each question weighted by how much its
// answers move the scores (averaged over its options, measured on the catalog when compiled), so
// answering the languages question counts for more than answering one that barely moves a
// framework. Margin is the entry's lead, in score points, over the next entry below it that is a
// genuinely different choice (not one of its siblings). Level follows the catalog's thresholds
// (catalog.ConfidenceLevels): low below the medium coverage (unless the lead is clear: at least
// the clear margin), high at the high coverage with at least the high margin, medium otherwise. A
// low-confidence result names no winner.
type Confidence struct {
	Level     Level
	Coverage  float64 // 0..1
	Margin    int     // score points over the next distinct choice; 0 for the last
	Answered  int     // questions answered
	Questions int     // questions in the catalog
}

// compileConfidence measures each question's influence: the mean, over its options, of how far
// that answer alone moves the frameworks' raw scores from the unanswered ones. It runs once the
// rest of the model is compiled, since it ranks with it.
func (m *Model) compileConfidence() {
	m.influence = make([]float64, len(m.questions))
	base := m.rawScores(catalog.Answers{})
	for qi, q := range m.questions {
		sum := 0.0
		for _, o := range q.options {
			moved := 0.0
			for fi, raw := range m.rawScores(catalog.Answers{q.ID: {o.ID}}) {
				moved += math.Abs(raw - base[fi])
			}
			sum += moved / float64(len(base))
		}
		m.influence[qi] = sum / float64(len(q.options))
	}
	m.groups = make([]int, len(m.frameworks))
	for i := range m.frameworks {
		m.groups[i] = slices.IndexFunc(m.frameworks[:i+1], func(g framework) bool { return sameTradeOffs(&g, &m.frameworks[i]) })
	}
}

func (m *Model) rawScores(a catalog.Answers) []float64 {
	s := m.newScorer(a)
	raws := make([]float64, len(m.frameworks))
	for i := range m.frameworks {
		raws[i] = s.score(&m.frameworks[i])
	}
	return raws
}

// sameTradeOffs reports whether two frameworks are siblings: rated alike on every criterion and
// written in the same languages, so the scoring cannot tell their trade-offs apart.
func sameTradeOffs(a, b *framework) bool {
	la, lb := slices.Sorted(slices.Values(a.Languages)), slices.Sorted(slices.Values(b.Languages))
	return slices.Equal(a.ratings, b.ratings) && slices.Equal(la, lb)
}

// judge groups a ranked shortlist's siblings (groups gives each entry its sibling group): the
// best-ranked of each group lists the others as Alternatives, and they name it in SiblingOf.
// Then it gives every entry, and the result, its confidence.
func (s *scorer) judge(res *Result, groups []int) {
	lead := map[int]int{} // sibling group -> shortlist index of its best-ranked member
	for i := range res.Shortlist {
		e := &res.Shortlist[i]
		if l, ok := lead[groups[i]]; ok {
			e.SiblingOf = res.Shortlist[l].ID
			res.Shortlist[l].Alternatives = append(res.Shortlist[l].Alternatives, e.Name)
		} else {
			lead[groups[i]] = i
		}
	}
	coverage, answered := s.coverage()
	levels := s.m.cat.Checklist.Confidence
	for i := range res.Shortlist {
		c := Confidence{Coverage: coverage, Answered: answered, Questions: len(s.m.questions)}
		for j := i + 1; j < len(res.Shortlist); j++ {
			if groups[j] != groups[i] {
				c.Margin = res.Shortlist[i].Score - res.Shortlist[j].Score
				break
			}
		}
		c.Level = level(levels, coverage, c.Margin)
		res.Shortlist[i].Confidence = c
	}
	res.Confidence = res.Shortlist[0].Confidence
	res.Broad = levels.Broad
}

// coverage is the influence-weighted share of the questions the answers cover, and how many
// questions were answered.
func (s *scorer) coverage() (float64, int) {
	var covered, total float64
	answered := 0
	for qi := range s.m.questions {
		total += s.m.influence[qi]
		if slices.ContainsFunc(s.given, func(a answer) bool { return a.q == &s.m.questions[qi] }) {
			covered += s.m.influence[qi]
			answered++
		}
	}
	if total == 0 {
		return float64(answered) / float64(max(1, len(s.m.questions))), answered
	}
	return covered / total, answered
}

// level is the confidence level of a coverage and margin.
func level(t catalog.ConfidenceLevels, coverage float64, margin int) Level {
	switch {
	case coverage < t.MediumCoverage && (t.ClearMargin == 0 || margin < t.ClearMargin):
		return Low
	case coverage >= t.HighCoverage && margin >= t.HighMargin:
		return High
	}
	return Medium
}

// styleFamily is the first term of a framework's style: "minimal, plugin-based" is "minimal".
func styleFamily(style string) string {
	family, _, _ := strings.Cut(style, ",")
	return strings.ToLower(strings.TrimSpace(family))
}

// Choices returns the indexes in r.Shortlist of up to n entries to present in full, in the order
// to present them: each a genuinely different choice (an entry standing for its siblings, which
// are left out), best first. When confidence is low no winner is named, so the first ones (as
// many as the catalog's confidence.broad) come from different style families, each the best of
// its family, and the rest follow by rank.
func (r Result) Choices(n int) []int {
	var out []int
	take := func(i int) { out = append(out, i) }
	if r.Confidence.Level == Low {
		styles := map[string]bool{}
		for i, e := range r.Shortlist {
			if len(out) == min(n, r.Broad) {
				break
			}
			if e.SiblingOf == "" && !styles[e.Style] {
				styles[e.Style] = true
				take(i)
			}
		}
	}
	for i, e := range r.Shortlist {
		if len(out) == n {
			break
		}
		if e.SiblingOf == "" && !slices.Contains(out, i) {
			take(i)
		}
	}
	return out
}

// Place is the place of r.Shortlist[i] among the genuinely different choices, from 1, or 0 for a
// sibling, which the entry it stands with already names: after Gin (standing for Fiber and Echo)
// the next different choice is 2, however many siblings come between.
func (r Result) Place(i int) int {
	if r.Shortlist[i].SiblingOf != "" {
		return 0
	}
	place := 1
	for _, e := range r.Shortlist[:i] {
		if e.SiblingOf == "" {
			place++
		}
	}
	return place
}

// Rest returns the indexes in r.Shortlist of the entries not among choices, by rank.
func (r Result) Rest(choices []int) []int {
	var rest []int
	for i := range r.Shortlist {
		if !slices.Contains(choices, i) {
			rest = append(rest, i)
		}
	}
	return rest
}

// ConfidenceText is the result's confidence in one plain sentence, for every front end to show
// above the shortlist; at low confidence it says that no winner is named. It is empty for a result
// without a confidence level or without entries.
func (r Result) ConfidenceText() string {
	c := r.Confidence
	if len(r.Shortlist) == 0 || c.Level == "" {
		return ""
	}
	answered, answers := fmt.Sprintf("you've answered %d of %d questions", c.Answered, c.Questions), "your answers"
	if r.Team {
		answered, answers = fmt.Sprintf("the team has answered %d of %d questions", c.Answered, c.Questions), "the team's answers"
	}
	if c.Level == Low {
		return "Low confidence: " + answered + "; these are starting points across styles, not a winner. Answer more questions to narrow them down."
	}
	top := r.Shortlist[0].Name
	lead := fmt.Sprintf("%s leads the next different choice by %d points", top, c.Margin)
	switch c.Margin {
	case 1:
		lead = top + " leads the next different choice by 1 point"
	case 0:
		lead = top + " is level with the next different choice"
	}
	cover := fmt.Sprintf("%s cover about %d%% of the decision", answers, int(math.Round(100*c.Coverage)))
	if c.Level == High {
		return "High confidence: " + cover + " and " + lead + "."
	}
	return "Medium confidence: " + answered + " (" + cover + "); " + lead + ", so compare the top choices before you commit."
}
