package ranking

import (
	"cmp"
	"slices"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Result is a ranked recommendation for one set of answers.
type Result struct {
	// Team: the answers are a team's, merged (RankTeam); texts speak of the team, not of you.
	Team      bool
	Situation []Fact  // what the user told us, in question order
	Shortlist []Entry // every framework in the catalog, best first; Choices says which to show
	// Confidence is the top entry's: how much the answers cover and its lead over the next
	// distinct choice. When it is Low the result names no winner.
	Confidence Confidence
	Checklist  []CheckItem // items the top pick contradicts first, then the catalog's order
	// POC is the proof-of-concept plan for the top pick and the strongest genuinely different
	// alternative: not a sibling, not a framework that runs on the other, and at low confidence
	// from another style family.
	POC []string
	// Drivers are the criteria the answers moved most, heaviest first.
	Drivers []Driver
	// Broad is how many of the first choices come from different style families when confidence
	// is low (the catalog's confidence.broad); see Choices.
	Broad int
	// NotConsidered are the frameworks the organisation's radar puts on hold, in catalog order:
	// they are not in the shortlist, and nothing the answers say brings them back. Nil without
	// a radar, or when it holds none.
	NotConsidered []Held
}

// Entry returns the shortlist's entry of framework id.
func (r Result) Entry(id string) (Entry, bool) {
	for _, e := range r.Shortlist {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
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
	Style     string     // its style family, the first term of the catalog's style ("minimal")
	Reasons   []Reason   // 2..4, strongest first
	Watchouts []Watchout // those the answers trigger, most severe first, then general caveats
	// Confidence is how much the answers cover and this entry's lead over the next distinct
	// choice below it.
	Confidence Confidence
	// Alternatives are the names of its siblings (rated alike on every criterion, same
	// languages), by rank, when this entry is the best-ranked of them; it stands for them all.
	Alternatives []string
	// SiblingOf is the id of the best-ranked sibling standing for this entry, or empty.
	SiblingOf string
	// Stance is the organisation's radar on it (see RadarNote); nil without a radar, or when the
	// radar does not name it.
	Stance *catalog.Stance
}

// Reason is one answer-driven argument for (Positive) or against a framework. When it rests on a
// criterion, Criterion is its id and the rating it cites is good for the user's direction on that
// criterion exactly when Positive; the language and the seeds' recommendations cite none. Sources
// are the seed ids behind it: a recommendation's own, or the seeds the framework's rating on the
// criterion rests on (its rating notes; none for an inferred rating whose note names no seed);
// none for the language.
type Reason struct {
	Text      string
	Positive  bool
	Criterion string
	Sources   []string
}

// Watchout is one known weakness of a framework. Triggered means the answers meet its condition
// as the catalog writes it, and its penalty was taken off the score; otherwise it is a general
// caveat (it has no condition, or the user chose the trade-off it describes).
type Watchout struct {
	Text      string
	Triggered bool
}

// CheckItem is one point of the final checklist.
type CheckItem struct {
	ID       string
	Title    string
	Settled  bool   // the user answered and the top pick agrees with the answer
	Conflict bool   // the user answered and the top pick disagrees: Text says how, plainly
	Text     string // what the answers say, or what is left to verify
}

// Rank scores every framework of the model's catalog against the answers and returns them best
// first, with the reasons, applicable watchouts, siblings, confidence, final checklist and
// proof-of-concept plan; those the organisation's radar puts on hold are listed apart, not ranked.
// Unknown question or option ids and unanswered questions are neutral; the order in which
// answers are given does not matter. Equal scores keep catalog order. Rank is deterministic and
// the result shares no memory with the model or with other results.
func (m *Model) Rank(answers catalog.Answers) Result { return m.rank(answers, nil, false) }

// Fluency is how much of a team knows each language it named (option ids of the languages
// question): a team's merged answers give a language one person knows less weight than one
// everybody knows. A language the answers name but fluency does not is known by all.
type Fluency map[string]Share

// Share is how many of a team know a language: Know of Of (0 < Know <= Of).
type Share struct{ Know, Of int }

// part is the share as 0..1; the zero Share is everybody.
func (sh Share) part() float64 {
	if sh.Of == 0 {
		return 1
	}
	return float64(sh.Know) / float64(sh.Of)
}

// RankTeam is Rank for a team's merged answers: the language bonus of a framework is scaled by
// the share of the team that knows its best-known language, and its reason says how many do;
// the result is the team's (Result.Team), and says so.
func (m *Model) RankTeam(answers catalog.Answers, fluency Fluency) Result {
	return m.rank(answers, fluency, true)
}

func (m *Model) rank(answers catalog.Answers, fluency Fluency, team bool) Result {
	s := m.newScorer(answers)
	s.fluency = fluency
	type scored struct {
		f   *framework
		raw float64
		idx int // in catalog order
	}
	ranked := make([]scored, len(m.frameworks))
	for i := range m.frameworks {
		ranked[i] = scored{&m.frameworks[i], s.score(&m.frameworks[i]), i}
	}
	slices.SortStableFunc(ranked, func(a, b scored) int { return cmp.Compare(b.raw, a.raw) })

	res := Result{Situation: s.situation(), Shortlist: make([]Entry, len(ranked)), Team: team}
	groups := make([]int, len(ranked))
	for i, r := range ranked {
		res.Shortlist[i] = s.entry(r.f, r.raw)
		res.Shortlist[i].Style = styleFamily(r.f.Style)
		groups[i] = m.groups[r.idx]
	}
	s.judge(&res, groups)
	res.Checklist = s.checklist(ranked[0].f)
	res.POC = s.plan(res)
	res.Drivers = s.decisionDrivers()
	res.NotConsidered = m.notConsidered()
	return res
}

// situation lists the given answers' labels, one fact per answered question.
func (s *scorer) situation() []Fact {
	facts := []Fact{}
	for _, a := range s.given {
		if n := len(facts); n > 0 && facts[n-1].QuestionID == a.q.ID {
			facts[n-1].Answers = append(facts[n-1].Answers, a.o.Label)
			continue
		}
		facts = append(facts, Fact{QuestionID: a.q.ID, Short: a.q.Short, Answers: []string{a.o.Label}})
	}
	return facts
}
