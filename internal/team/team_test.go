package team_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/team"
)

var now = time.Unix(1700000000, 0)

// load is ranking's test catalog with team rules set here, so a retune of the shipped config
// cannot break these tests.
func load(t testing.TB) (*catalog.Catalog, *ranking.Model) {
	t.Helper()
	cat, err := catalog.LoadDir("../ranking/testdata/catalog")
	if err != nil {
		t.Fatal(err)
	}
	cat.Weights.Team = catalog.TeamRules{Merge: map[string]catalog.MergeRule{
		"languages": catalog.MergeUnion, "workload": catalog.MergeUnion,
		"deadline": catalog.MergeLowest, "compliance": catalog.MergeHighest,
	}}
	return cat, ranking.Compile(cat)
}

func done(user, name string, a catalog.Answers, unsure ...string) team.Participant {
	return team.Participant{User: user, Name: name, Answers: a, Unsure: unsure, Done: true}
}

func TestMergeFollowsEachRule(t *testing.T) {
	cat, _ := load(t)
	ps := []team.Participant{
		done("U1", "Ana", catalog.Answers{"languages": {"go"}, "deadline": {"long_term"}, "team": {"small"}, "compliance": {"standard"}, "workload": {"cpu"}, "batteries": {"minimal"}}),
		done("U2", "Bob", catalog.Answers{"languages": {"go", "python"}, "deadline": {"weeks"}, "team": {"small"}, "compliance": {"standard"}, "workload": {"io"}, "batteries": {"batteries"}}),
		done("U3", "Cy", catalog.Answers{"languages": {"none"}, "deadline": {"long_term"}, "team": {"large"}, "compliance": {"regulated"}, "hiring": {"yes"}}, "batteries"),
	}
	got := team.Merge(cat, ps)
	want := catalog.Answers{
		"languages":  {"go", "python"}, // the union; "none of these" counts only when everybody says it
		"deadline":   {"weeks"},        // the earliest
		"team":       {"small"},        // the majority
		"compliance": {"regulated"},    // the highest: regulated if anyone says so
		"workload":   {"cpu", "io"},    // the union
		"hiring":     {"yes"},          // one voice is a majority of one
		// batteries: Ana and Bob split, Cy is unsure and has no vote: a tie, left open
	}
	if !got.Answers.Same(want) {
		t.Errorf("merged %v, want %v", got.Answers, want)
	}
	if !reflect.DeepEqual(got.Tied, []string{"batteries"}) {
		t.Errorf("tied %v, want [batteries]", got.Tied)
	}
	if want := (ranking.Fluency{"go": {Know: 2, Of: 3}, "python": {Know: 1, Of: 3}}); !reflect.DeepEqual(got.Fluency, want) {
		t.Errorf("fluency %v, want %v", got.Fluency, want)
	}

	cat.Weights.Team.Default = catalog.MergeUnion
	if got := team.Merge(cat, ps).Answers["batteries"]; !reflect.DeepEqual(got, []string{"batteries", "minimal"}) {
		t.Errorf("with union as the default, batteries merged to %v", got)
	}
	if got := team.Merge(cat, ps[2:]).Answers["languages"]; !reflect.DeepEqual(got, []string{"none"}) {
		t.Errorf("a team that all says none of these merged languages to %v", got)
	}
}

func TestAnalyseListsOnlyTheDisagreementsThatChangeTheFirstChoiceAsMattering(t *testing.T) {
	cat, m := load(t)
	d := team.New("d1", "U1", "Ana", nil, now)
	d.Participants = []team.Participant{
		done("U1", "Ana", catalog.Answers{"languages": {"go"}, "deadline": {"long_term"}, "team": {"small"}}),
		done("U2", "Bob", catalog.Answers{"languages": {"go"}, "deadline": {"weeks"}, "team": {"small"}}),
		done("U3", "Cy", catalog.Answers{"languages": {"ruby"}, "deadline": {"long_term"}, "team": {"large"}}),
		{User: "U4", Name: "Dee", Answers: catalog.Answers{"languages": {"python"}}}, // not finished: no vote
	}
	a := team.Analyse(cat, m, &d)
	if a.Counted != 3 {
		t.Fatalf("counted %d, want 3", a.Counted)
	}
	top := a.Result.Shortlist[0]
	if want := m.RankTeam(a.Answers, a.Fluency).Shortlist[0].ID; top.ID != want {
		t.Fatalf("team's first %s, RankTeam's %s", top.ID, want)
	}
	for _, dis := range append(append([]team.Disagreement{}, a.Matters...), a.Minor...) {
		if len(dis.Sides) < 2 {
			t.Errorf("%s: a disagreement of %d side", dis.QuestionID, len(dis.Sides))
		}
		matters := false
		for _, s := range dis.Sides {
			alt := catalog.Answers{}
			for q, o := range a.Answers {
				alt[q] = o
			}
			alt[dis.QuestionID] = s.Options
			fl := a.Fluency
			if dis.QuestionID == catalog.LanguagesQuestion {
				fl = nil
			}
			if lead := m.RankTeam(alt, fl).Shortlist[0].ID; lead != s.Leader {
				t.Errorf("%s, %v: leader %s, RankTeam's %s", dis.QuestionID, s.Names, s.Leader, lead)
			}
			if s.Changes != !m.Alike(s.Leader, top.ID) {
				t.Errorf("%s, %v: Changes %v with leader %s against %s", dis.QuestionID, s.Names, s.Changes, s.Leader, top.ID)
			}
			matters = matters || s.Changes
		}
		if inMatters := containsQ(a.Matters, dis.QuestionID); matters != inMatters {
			t.Errorf("%s: a side changes the first choice: %v, listed as mattering: %v", dis.QuestionID, matters, inMatters)
		}
	}
	// Cy alone knows Ruby: with only Cy's languages, a Ruby framework leads.
	lang := find(t, a.Matters, "languages")
	if got := lang.Text(top.Name); !strings.Contains(got, "Cy says “Ruby”: with Cy's answer Gamma leads instead of "+top.Name) {
		t.Errorf("languages disagreement reads %q", got)
	}
	if got := find(t, a.Minor, "team").Text(top.Name); got != "Ana and Bob say “A small team”; Cy says “Several teams”." {
		t.Errorf("team disagreement reads %q", got)
	}
	if got := team.MinorText(a.Minor); !strings.HasPrefix(got, "Answered differently, without changing the first choice: ") || !strings.Contains(got, "team") {
		t.Errorf("minor summary %q", got)
	}
	// The earliest deadline binds the team, and Ana's and Cy's later one would change the pick.
	deadline := find(t, a.Matters, "deadline")
	if got := deadline.Settled(); got != "the team's answer is the earliest stated, “Within weeks”" {
		t.Errorf("deadline settled as %q", got)
	}
	if got := deadline.Text(top.Name); !strings.Contains(got, "Ana and Cy say “Long term”; Bob says “Within weeks”: with Ana and Cy's answer ") {
		t.Errorf("deadline disagreement reads %q", got)
	}
}

// Unsure answers do not vote, and neither does the option that means not sure, nor an option
// a config reload removed (a decision outlives many reloads).
func TestMergeIgnoresDoubtAndOptionsTheCatalogNoLongerHas(t *testing.T) {
	cat, m := load(t)
	q, _ := cat.Question("deadline")
	doubt := &q.Options[len(q.Options)-1]
	doubt.Doubt = true // "long_term" stands in for a "not decided yet"
	d := team.New("d1", "U1", "Ana", nil, now)
	d.Participants = []team.Participant{
		done("U1", "Ana", catalog.Answers{"deadline": {"weeks"}, "team": {"gone"}, "scale": {"huge"}}),
		done("U2", "Bob", catalog.Answers{"deadline": {doubt.ID}, "team": {"small"}}),
		done("U3", "Cy", catalog.Answers{"deadline": {doubt.ID}, "compliance": {"gone"}}),
	}
	a := team.Analyse(cat, m, &d) // no panic on options or questions the catalog lacks
	want := catalog.Answers{"deadline": {"weeks"}, "team": {"small"}}
	if !a.Answers.Same(want) {
		t.Errorf("merged %v, want %v: doubt and unknown options give no vote", a.Answers, want)
	}
	if len(a.Matters)+len(a.Minor) != 0 {
		t.Errorf("disagreements %+v %+v, want none: only one real answer to each question", a.Matters, a.Minor)
	}
}

func TestAnalyseWithoutFinishedAnswersRanksNothing(t *testing.T) {
	cat, m := load(t)
	d := team.New("d1", "U1", "Ana", nil, now)
	if a := team.Analyse(cat, m, &d); a.Counted != 0 || len(a.Result.Shortlist) != 0 || len(a.Matters)+len(a.Minor) != 0 {
		t.Fatalf("analysis of nobody: %+v", a)
	}
}

func containsQ(ds []team.Disagreement, qid string) bool {
	for _, d := range ds {
		if d.QuestionID == qid {
			return true
		}
	}
	return false
}

func find(t *testing.T, ds []team.Disagreement, qid string) team.Disagreement {
	t.Helper()
	for _, d := range ds {
		if d.QuestionID == qid {
			return d
		}
	}
	t.Fatalf("no disagreement on %s in %+v", qid, ds)
	return team.Disagreement{}
}

func TestDecisionRules(t *testing.T) {
	answers := catalog.Answers{"team": {"small"}}
	t.Run("joining, withdrawing and rejoining", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", []string{"U2", "U1"}, now)
		if !reflect.DeepEqual(d.Invited, []string{"U2"}) {
			t.Errorf("invited %v: the owner is not invited to their own decision", d.Invited)
		}
		mustChange(t)(d.Join("U2", "Bob"))
		if changed, err := d.Join("U2", "Bob"); changed || err != nil {
			t.Errorf("joining twice: %v, %v", changed, err)
		}
		mustChange(t)(d.Contribute("U2", answers, nil))
		if changed, err := d.Contribute("U2", answers, nil); changed || err != nil {
			t.Errorf("the same answers again: %v, %v", changed, err)
		}
		if _, err := d.Withdraw("U2"); err != nil {
			t.Fatal(err)
		}
		if len(d.Counted()) != 0 {
			t.Errorf("withdrawn answers still count")
		}
		if _, err := d.Contribute("U2", answers, nil); !errors.Is(err, team.ErrNotParticipant) {
			t.Errorf("answers after withdrawing: %v", err)
		}
		if changed, err := d.Withdraw("U2"); changed || err != nil {
			t.Errorf("withdrawing twice: %v, %v", changed, err)
		}
		if _, err := d.Withdraw("U1"); !errors.Is(err, team.ErrNotParticipant) {
			t.Errorf("the owner withdrew: %v", err)
		}
		mustChange(t)(d.Join("U2", "Bob"))
		if p, ok := d.Participant("U2"); !ok || p.Done || d.Participants[1].User != "U2" {
			t.Errorf("rejoined %+v (ok %v): wants answers again, in the same place", p, ok)
		}
	})
	t.Run("closing joining", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", []string{"U2"}, now)
		if _, err := d.CloseJoining("U2"); !errors.Is(err, team.ErrNotOwner) {
			t.Errorf("a participant closed joining: %v", err)
		}
		mustChange(t)(d.CloseJoining("U1"))
		if changed, err := d.CloseJoining("U1"); changed || err != nil {
			t.Errorf("closing joining twice: %v, %v", changed, err)
		}
		if _, err := d.Join("U3", "Cy"); !errors.Is(err, team.ErrJoiningClosed) {
			t.Errorf("joined after joining closed: %v", err)
		}
		mustChange(t)(d.Join("U2", "Bob")) // invited before
	})
	t.Run("voting", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", nil, now)
		mustChange(t)(d.Join("U2", "Bob"))
		mustChange(t)(d.Join("U3", "Cy"))
		if _, err := d.Cast("U2", "gin", now); !errors.Is(err, team.ErrNoVote) {
			t.Errorf("voted with no vote open: %v", err)
		}
		if err := d.OpenVote("U2", []string{"gin", "django"}); !errors.Is(err, team.ErrNotOwner) {
			t.Errorf("a participant opened the vote: %v", err)
		}
		if err := d.OpenVote("U1", []string{"gin", "gin"}); !errors.Is(err, team.ErrBallotSize) {
			t.Error("a vote on one framework, named twice, was opened")
		}
		if err := d.OpenVote("U1", []string{"gin", "django", "gin", "rails"}); err != nil || !reflect.DeepEqual(d.Vote.Options, []string{"gin", "django", "rails"}) {
			t.Fatalf("opened %v, %v; want each framework once, in order", d.Vote, err)
		}
		if err := d.OpenVote("U1", []string{"gin", "django", "rails"}); err != nil {
			t.Fatal(err)
		}
		mustChange(t)(d.Cast("U1", "gin", now))
		mustChange(t)(d.Cast("U2", "gin", now))
		mustChange(t)(d.Cast("U2", "django", now)) // a changed vote
		mustChange(t)(d.Cast("U3", "rails", now))
		if _, err := d.Cast("U9", "gin", now); !errors.Is(err, team.ErrNotParticipant) {
			t.Errorf("a non-participant voted: %v", err)
		}
		if _, err := d.Cast("U1", "flask", now); !errors.Is(err, team.ErrNotOnBallot) {
			t.Errorf("voted for a framework not on the ballot: %v", err)
		}
		want := []team.Count{{Framework: "gin", Users: []string{"U1"}}, {Framework: "django", Users: []string{"U2"}}, {Framework: "rails", Users: []string{"U3"}}}
		if got := d.Tally(); !reflect.DeepEqual(got, want) {
			t.Errorf("tally %v, want %v", got, want)
		}
		if err := d.Close("U2", nil, true, now); !errors.Is(err, team.ErrNotOwner) {
			t.Errorf("a participant closed: %v", err)
		}
		// A three-way tie goes to the one the team's ranking puts first.
		if err := d.Close("U1", []string{"flask", "rails", "gin"}, true, now); err != nil {
			t.Fatal(err)
		}
		if d.Outcome.Chosen != "rails" || !d.Closed() {
			t.Errorf("chose %q on a tie, want rails (ranked above gin)", d.Outcome.Chosen)
		}
		if _, err := d.Cast("U1", "gin", now); !errors.Is(err, team.ErrClosed) {
			t.Errorf("voted after closing: %v", err)
		}
		if _, err := d.Join("U4", "Dee"); !errors.Is(err, team.ErrClosed) {
			t.Errorf("joined after closing: %v", err)
		}
	})
	t.Run("of two ballots applied out of order, the later click stands", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", nil, now)
		_ = d.OpenVote("U1", []string{"gin", "echo"})
		mustChange(t)(d.Cast("U1", "echo", now.Add(time.Second)))
		if changed, _ := d.Cast("U1", "gin", now); changed || d.Vote.Ballots["U1"] != "echo" {
			t.Errorf("an earlier click replaced a later one: %v", d.Vote.Ballots)
		}
	})
	t.Run("closing counts only the frameworks still ranked", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", nil, now)
		mustChange(t)(d.Join("U2", "Bob"))
		_ = d.OpenVote("U1", []string{"gin", "echo"})
		mustChange(t)(d.Cast("U1", "gin", now))
		mustChange(t)(d.Cast("U2", "gin", now))
		// gin is no longer ranked (the organisation's radar put it on hold since the vote opened).
		if err := d.Close("U1", []string{"echo", "fiber"}, true, now); err != nil || d.Outcome.Chosen != "echo" {
			t.Errorf("closed: %v, chose %q; want echo", err, d.Outcome.Chosen)
		}
	})
	t.Run("closing a vote nobody voted in takes the best ranked on the ballot", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", nil, now)
		_ = d.OpenVote("U1", []string{"fiber", "echo"})
		if err := d.Close("U1", []string{"gin", "echo", "fiber"}, true, now); err != nil || d.Outcome.Chosen != "echo" {
			t.Errorf("closed: %v, chose %q; want echo, the best ranked of the ballot", err, d.Outcome.Chosen)
		}
	})
	t.Run("closing with no vote at low confidence chooses nothing", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", nil, now)
		if err := d.Close("U1", []string{"gin", "echo"}, false, now); err != nil || d.Outcome.Chosen != "" {
			t.Errorf("closed: %v, chose %q; want nothing", err, d.Outcome.Chosen)
		}
	})
	t.Run("closing without a vote takes the team's first", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", nil, now)
		if err := d.Close("U1", []string{"gin", "echo"}, true, now); err != nil || d.Outcome.Chosen != "gin" {
			t.Errorf("closed: %v, chose %q", err, d.Outcome.Chosen)
		}
	})
	t.Run("a withdrawal takes the ballot", func(t *testing.T) {
		d := team.New("d1", "U1", "Ana", nil, now)
		mustChange(t)(d.Join("U2", "Bob"))
		_ = d.OpenVote("U1", []string{"gin", "echo"})
		mustChange(t)(d.Cast("U2", "echo", now))
		_, _ = d.Withdraw("U2")
		if got := d.Tally(); len(got[0].Users)+len(got[1].Users) != 0 {
			t.Errorf("tally after the only voter withdrew: %v", got)
		}
	})
}

// mustChange fails t unless the operation it is given the results of changed the decision.
func mustChange(t *testing.T) func(changed bool, err error) {
	return func(changed bool, err error) {
		t.Helper()
		if err != nil || !changed {
			t.Fatalf("changed %v, %v", changed, err)
		}
	}
}

func TestCloneSharesNothing(t *testing.T) {
	d := team.New("d1", "U1", "Ana", []string{"U2"}, now)
	_, _ = d.Contribute("U1", catalog.Answers{"team": {"small"}}, []string{"scale"})
	_ = d.OpenVote("U1", []string{"gin", "echo"})
	_, _ = d.Cast("U1", "gin", now)
	_ = d.Close("U1", nil, true, now)
	c := d.Clone()
	c.Participants[0].Answers["team"][0] = "large"
	c.Participants[0].Unsure[0] = "x"
	c.Vote.Ballots["U1"] = "echo"
	c.Outcome.Tally[0].Users[0] = "U9"
	c.Invited[0] = "U9"
	if d.Participants[0].Answers["team"][0] != "small" || d.Participants[0].Unsure[0] != "scale" || d.Vote.Ballots["U1"] != "gin" || d.Outcome.Tally[0].Users[0] != "U1" || d.Invited[0] != "U2" {
		t.Fatal("a clone shares memory with the original")
	}
}
