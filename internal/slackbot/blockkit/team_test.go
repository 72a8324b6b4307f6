package blockkit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/team"
)

// The team goldens are decisions made with package team over ranking's test catalog, whose team
// rules are set here: a retune of the shipped config changes none of them.

var teamDay = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// teamCatalog is ranking's test catalog with team rules set here.
func teamCatalog(t testing.TB) (*catalog.Catalog, *ranking.Model) {
	t.Helper()
	cat, err := catalog.LoadDir(filepath.Join("..", "..", "ranking", "testdata", "catalog"))
	if err != nil {
		t.Fatal(err)
	}
	cat.Weights.Team = catalog.TeamRules{Merge: map[string]catalog.MergeRule{
		"languages": catalog.MergeUnion, "workload": catalog.MergeUnion,
		"deadline": catalog.MergeLowest, "compliance": catalog.MergeHighest,
	}}
	return cat, ranking.Compile(cat)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// changes fails t unless the operation whose results it is given changed the decision.
func changes(t testing.TB) func(bool, error) {
	return func(changed bool, err error) {
		t.Helper()
		if err != nil || !changed {
			t.Fatalf("changed %v, %v", changed, err)
		}
	}
}

// teamView is what the bot renders for d: a copy of it, analysed, in channel C1.
func teamView(cat *catalog.Catalog, m *ranking.Model, d team.Decision) Team {
	d = d.Clone()
	a := team.Analyse(cat, m, &d)
	return Team{Decision: &d, Analysis: &a, Channel: "C1"}
}

// ranked are the analysis' frameworks best first, as the bot passes them to Close.
func ranked(t Team) []string {
	var ids []string
	for _, e := range t.Analysis.Result.Shortlist {
		ids = append(ids, e.ID)
	}
	return ids
}

// teamStory is one decision, owned by Ana (U1), at each step the goldens show.
type teamStory struct {
	started, answered, joiningClosed, voting, closed Team
	noVotes, tie, nothing                            Team
}

// newTeamStory: Ana starts and invites Bob and Eve. Bob, Cy and Dee join; Dee answers and
// withdraws; Eve joins and is still answering. Ana, Bob and Cy disagree on the languages and the
// deadline (both change the first choice), on the team's size (which does not), and Ana and Bob
// split on batteries while Cy is unsure of it (a tie). Ana closes joining and opens a vote on the
// shortlist; Bob changes his ballot; Ana closes the vote.
func newTeamStory(t testing.TB) teamStory {
	t.Helper()
	cat, m := teamCatalog(t)
	var s teamStory
	d := team.New("d1", "U1", "Ana", []string{"U2", "U5"}, teamDay)
	s.started = teamView(cat, m, d)
	for _, p := range [][2]string{{"U2", "Bob"}, {"U3", "Cy & <Co>"}, {"U4", "Dee"}, {"U5", "Eve"}} {
		changes(t)(d.Join(p[0], p[1]))
	}
	changes(t)(d.Contribute("U1", catalog.Answers{"languages": {"go"}, "deadline": {"long_term"}, "team": {"small"}, "batteries": {"batteries"}}, nil))
	changes(t)(d.Contribute("U2", catalog.Answers{"languages": {"go"}, "deadline": {"weeks"}, "team": {"small"}, "batteries": {"minimal"}}, nil))
	changes(t)(d.Contribute("U3", catalog.Answers{"languages": {"ruby"}, "deadline": {"long_term"}, "team": {"large"}, "hiring": {"yes"}, "batteries": {"minimal"}}, []string{"batteries"}))
	changes(t)(d.Contribute("U4", catalog.Answers{"languages": {"python"}}, nil))
	changes(t)(d.Withdraw("U4"))
	s.answered = teamView(cat, m, d)

	noVotes, tie := d.Clone(), d.Clone()
	ballot := TeamBallot(s.answered.Analysis)
	must(t, noVotes.OpenVote("U1", ballot))
	must(t, noVotes.Close("U1", ranked(s.answered), true, teamDay.Add(time.Hour)))
	s.noVotes = teamView(cat, m, noVotes)
	must(t, tie.OpenVote("U1", ballot))
	changes(t)(tie.Cast("U1", ballot[1], teamDay))
	changes(t)(tie.Cast("U2", ballot[2], teamDay))
	must(t, tie.Close("U1", ranked(s.answered), true, teamDay.Add(time.Hour)))
	s.tie = teamView(cat, m, tie)

	changes(t)(d.CloseJoining("U1"))
	s.joiningClosed = teamView(cat, m, d)
	must(t, d.OpenVote("U1", ballot))
	changes(t)(d.Cast("U1", ballot[0], teamDay))
	changes(t)(d.Cast("U2", ballot[1], teamDay))
	changes(t)(d.Cast("U2", ballot[0], teamDay)) // Bob changes his mind
	changes(t)(d.Cast("U3", ballot[1], teamDay))
	s.voting = teamView(cat, m, d)
	must(t, d.Close("U1", ranked(s.voting), true, teamDay.Add(2*time.Hour)))
	s.closed = teamView(cat, m, d)
	s.closed.Record = "https://acme.slack.com/docs/T1/F0123?origin=team&x=<1>"
	s.closed.Revisit = teamDay.AddDate(0, 0, 14)

	nothing := team.New("d2", "U1", "Ana", nil, teamDay)
	must(t, nothing.Close("U1", nil, true, teamDay))
	s.nothing = teamView(cat, m, nothing)
	return s
}

// teamHome lists two open decisions on the App Home tab, one of them voting.
func teamHome() slack.HomeTabViewRequest {
	return HomeView(Home{Owner: "U1", Frameworks: 5, Teams: []HomeTeam{
		{Channel: "C1", Owner: "U1", Link: "https://acme.slack.com/archives/C1/p1762075800000100", Answered: 3, Joined: 4, Voting: true},
		{Channel: "C2", Owner: "U7", Link: "https://acme.slack.com/archives/C2/p1762075900000200?thread_ts=1&cid=C2", Answered: 0, Joined: 1},
	}})
}

// teamMentions are the ids the team goldens name on purpose.
var teamMentions = []string{"<@U1>", "<@U7>", "<#C1>", "<#C2>"}

func teamMessages(t testing.TB) map[string]Message {
	t.Helper()
	s := newTeamStory(t)
	_, m := teamCatalog(t)
	bob := m.Rank(catalog.Answers{"languages": {"go"}, "deadline": {"weeks"}})
	return map[string]Message{
		"parent_started":        TeamParent(s.started),
		"parent_answered":       TeamParent(s.answered),
		"parent_joining_closed": TeamParent(s.joiningClosed),
		"parent_voting":         TeamParent(s.voting),
		"parent_closed":         TeamParent(s.closed),
		"shortlist_waiting":     TeamShortlist(s.started),
		"shortlist_answered":    TeamShortlist(s.answered),
		"shortlist_voting":      TeamShortlist(s.voting),
		"shortlist_closed":      TeamShortlist(s.closed),
		"vote_open":             TeamVote(s.voting),
		"vote_closed":           TeamVote(s.closed),
		"vote_closed_no_votes":  TeamVote(s.noVotes),
		"closed":                TeamClosed(s.closed),
		"closed_no_votes":       TeamClosed(s.noVotes),
		"closed_tie":            TeamClosed(s.tie),
		"closed_nothing":        TeamClosed(s.nothing),
		"revisit":               TeamRevisit(s.closed),
		"invite":                TeamInvite(s.started),
		"reuse":                 TeamReuse(s.started, "s1", bob.Situation, teamDay.AddDate(0, 0, -3)),
	}
}

func TestTeamGolden(t *testing.T) {
	files := map[string]any{"home": teamHome()}
	for name, m := range teamMessages(t) {
		files[name] = map[string]any{"text": m.Text, "blocks": m.Blocks}
	}
	for name, v := range files {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "team_"+name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/slackbot/blockkit -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s (run go test ./internal/slackbot/blockkit -update to accept):\n%s", name, path, got)
			}
		})
	}
}

func TestTeamMessagesFitBlockKit(t *testing.T) {
	for name, m := range teamMessages(t) {
		checkMessage(t, name, m, teamMentions...)
	}
	home := teamHome().Blocks.BlockSet
	checkBlocks(t, "home", home, 100)
	checkEscaped(t, "home", "", home, teamMentions...)
}

// blockJSON is the JSON Slack receives for blocks, with <, > and & unescaped for reading.
func blockJSON(t testing.TB, blocks []slack.Block) string {
	t.Helper()
	data, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var raw any
	must(t, json.Unmarshal(data, &raw))
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	must(t, enc.Encode(raw))
	return b.String()
}

// buttons are the buttons of m's blocks, by block.
func buttons(m Message) map[string][]*slack.ButtonBlockElement {
	out := map[string][]*slack.ButtonBlockElement{}
	for _, b := range m.Blocks {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, el := range a.Elements.ElementSet {
				if btn, ok := el.(*slack.ButtonBlockElement); ok {
					out[a.BlockID] = append(out[a.BlockID], btn)
				}
			}
		}
	}
	return out
}

// Every team control carries its decision, a ballot its framework too; those only the owner may
// use say so in their message; a closed decision shows none.
func TestTeamControls(t *testing.T) {
	s := newTeamStory(t)
	ownerOnly := map[string]string{ActTeamCloseJoining: "close joining", ActTeamOpenVote: "open the vote", ActTeamClose: "close the vote"}
	closedOnes := []string{"parent_closed", "shortlist_closed", "vote_closed", "vote_closed_no_votes", "closed", "closed_no_votes", "closed_tie", "closed_nothing", "revisit"}
	for name, m := range teamMessages(t) {
		closed := slices.Contains(closedOnes, name)
		for block, bs := range buttons(m) {
			if closed {
				t.Errorf("%s: the closed decision shows controls in %s", name, block)
			}
			for _, b := range bs {
				c, err := DecodeTeamControl(b.Value)
				if err != nil || !strings.HasPrefix(c.Decision, "d") {
					t.Errorf("%s: %s carries %q: %+v, %v", name, b.ActionID, b.Value, c, err)
				}
				if f, ballot := strings.CutPrefix(b.ActionID, ActTeamVotePrefix); ballot != (c.Framework != "") || ballot && f != c.Framework {
					t.Errorf("%s: %s carries framework %q", name, b.ActionID, c.Framework)
				}
				if may, only := ownerOnly[b.ActionID]; only && !strings.Contains(blockJSON(t, m.Blocks), "Only <@U1>, who started this decision, can "+may) {
					t.Errorf("%s: %s does not say only the owner may use it", name, b.ActionID)
				}
			}
		}
	}
	// The ballot has one button for each framework voted on.
	var voted []string
	for _, bs := range buttons(TeamVote(s.voting)) {
		for _, b := range bs {
			if f, ok := strings.CutPrefix(b.ActionID, ActTeamVotePrefix); ok {
				voted = append(voted, f)
			}
		}
	}
	if !slices.Equal(voted, s.voting.Decision.Vote.Options) {
		t.Errorf("the ballot offers %v, the vote is on %v", voted, s.voting.Decision.Vote.Options)
	}
}

// The ballot the shortlist preselects (TeamBallot) is the frameworks it shows.
func TestTeamBallotIsWhatTheShortlistShows(t *testing.T) {
	s := newTeamStory(t)
	res := s.answered.Analysis.Result
	var shown []string
	for _, i := range res.Choices(compactTop) {
		shown = append(shown, res.Shortlist[i].ID)
	}
	if got := TeamBallot(s.answered.Analysis); len(got) < 2 || !slices.Equal(got, shown) {
		t.Errorf("TeamBallot = %v, the shortlist shows %v", got, shown)
	}
	if got := TeamBallot(s.started.Analysis); got != nil {
		t.Errorf("TeamBallot before any answers = %v", got)
	}
	// It shows them as a person's compact result does.
	got := blockJSON(t, TeamShortlist(s.answered).Blocks)
	for _, b := range entryBlocks(&res, res.Choices(compactTop), 1, maxEntryText) {
		if want := blockJSON(t, []slack.Block{b}); !strings.Contains(got, strings.Trim(strings.TrimSpace(want), "[]")) {
			t.Errorf("the team shortlist does not show %s as a compact result does", want)
		}
	}
}

// The parent lists who takes part and who has finished; the withdrawn are not listed.
func TestTeamParentListsWhoTakesPart(t *testing.T) {
	data := blockJSON(t, TeamParent(newTeamStory(t).answered).Blocks)
	for _, want := range []string{"Taking part (3 of 4 answered):", "Ana ✓", "Bob ✓", "Cy &amp; &lt;Co&gt; ✓", "Eve _(answering)_"} {
		if !strings.Contains(data, want) {
			t.Errorf("the parent lacks %q: %s", want, data)
		}
	}
	if strings.Contains(data, "Dee") {
		t.Errorf("the parent lists Dee, who withdrew: %s", data)
	}
}

func TestTeamControlRoundTrip(t *testing.T) {
	for _, c := range []TeamControl{{Decision: "d1"}, {Decision: "d1", Framework: "gin"}, {Decision: "d1", Session: "lq3x9"}} {
		if got, err := DecodeTeamControl(c.Encode()); err != nil || got != c {
			t.Errorf("DecodeTeamControl(%q) = %+v, %v", c.Encode(), got, err)
		}
	}
	for _, bad := range []string{"", "team", "team|||", "team|d1|gin", "team|d1|gin|s|x", "U1|s1|4||", ctl.Encode()} {
		if c, err := DecodeTeamControl(bad); err == nil {
			t.Errorf("DecodeTeamControl(%q) accepted: %+v", bad, c)
		}
	}
}

// escClip holds the escaped text to its budget and never cuts an entity; joinWithin holds a
// list to its budget and counts what it leaves out.
func TestTeamTextBudgets(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"Ana", 10, "Ana"},
		{"a&b<c>", 16, "a&amp;b&lt;c&gt;"},
		{"a&b<c>", 15, "a&amp;b&lt;c…"},
		{"a&b<c>", 8, "a&amp;b…"},
		{"a&b<c>", 6, "a…"},
		{"<<<", 4, "…"},
	} {
		if got := escClip(tc.in, tc.n); got != tc.want || utf8.RuneCountInString(got) > tc.n {
			t.Errorf("escClip(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	items := []string{"Ana", "Bob", "Cy", "Dee"}
	for budget, want := range map[int]string{100: "Ana, Bob, Cy and Dee", 20: "Ana, Bob, Cy and Dee", 19: "Ana, Bob and 2 more", 18: "Ana and 3 more"} {
		if got := joinWithin(items, budget); got != want || utf8.RuneCountInString(got) > budget {
			t.Errorf("joinWithin(%v, %d) = %q, want %q", items, budget, got, want)
		}
	}
}

// The worst case of a team decision: 25 participants (team.MaxParticipants) with long names
// holding mentions and mrkdwn, who disagree on every question in many ways; and a decision with
// long labels, every disagreement with a side per participant, and a vote on as many frameworks
// as a vote may have (team.MaxBallot).
const worstChannel = "C0123456789"

var teamWorstMentions = []string{"<@" + worstOwner + ">", "<#" + worstChannel + ">"}

func worstName(i int) string {
	return long(80, fmt.Sprintf("%d Ann <!channel> & <@U123> *bold* _it_ ~st~ ", i))
}

func worstUser(i int) string {
	if i == 0 {
		return worstOwner
	}
	return fmt.Sprintf("U%010d", i)
}

// worstDecision has team.MaxParticipants, each finished with the answers of answer(i).
func worstDecision(t testing.TB, answer func(i int) catalog.Answers) team.Decision {
	t.Helper()
	var invited []string
	for i := range 40 {
		invited = append(invited, worstUser(i))
	}
	d := team.New("T0123456789-d0123456789abcdef", worstOwner, worstName(0), invited, teamDay)
	for i := 1; i < team.MaxParticipants; i++ {
		changes(t)(d.Join(worstUser(i), worstName(i)))
	}
	for i := range team.MaxParticipants {
		var unsure []string
		if i%7 == 6 {
			unsure = []string{"hiring"}
		}
		changes(t)(d.Contribute(worstUser(i), answer(i), unsure))
	}
	return d
}

// worstAnswers gives participant i answers that differ from most others' on every question of
// ranking's test catalog.
func worstAnswers(cat *catalog.Catalog) func(i int) catalog.Answers {
	return func(i int) catalog.Answers {
		a := catalog.Answers{}
		for qi, q := range cat.Questions {
			if q.Kind == catalog.One {
				a[q.ID] = []string{q.Options[(i+qi)%len(q.Options)].ID}
				continue
			}
			for oi, o := range q.Options {
				if !o.Exclusive && (i+1)>>oi&1 == 1 {
					a[q.ID] = append(a[q.ID], o.ID)
				}
			}
			if len(a[q.ID]) == 0 {
				a[q.ID] = []string{q.Options[len(q.Options)-1].ID}
			}
		}
		return a
	}
}

// worstAnalysis is an analysis with the worst case's result of 60 long-named frameworks, and
// every question disagreed on, each participant a side of their own with long labels, every side
// changing the first choice.
func worstAnalysis(d *team.Decision) *team.Analysis {
	res, _, _ := worstCase()
	for i := len(res.Shortlist); i < 60; i++ {
		e := res.Shortlist[i%len(res.Shortlist)]
		e.ID, e.SiblingOf, e.Alternatives = fmt.Sprint("f", i), "", nil
		res.Shortlist = append(res.Shortlist, e)
	}
	a := &team.Analysis{Result: *res, Counted: len(d.Counted())}
	for qi := range 14 {
		dis := team.Disagreement{QuestionID: fmt.Sprint("q", qi), Short: long(30, "short <!channel> & "), Rule: catalog.MergeMajority, Team: []string{long(75, "label <!channel> & ")}}
		for _, p := range d.Counted() {
			dis.Sides = append(dis.Sides, team.Side{Users: []string{p.User}, Names: []string{p.Name}, Options: []string{"o1", "o2"},
				Labels: []string{long(75, "label <!channel> & "), long(75, "other <@U1> & ")}, Leader: "f1", LeaderName: res.Shortlist[1].Name, Changes: true})
		}
		a.Matters = append(a.Matters, dis)
		dis.Sides[0].Changes = false
		a.Minor = append(a.Minor, dis)
		a.Tied = append(a.Tied, dis.QuestionID)
	}
	return a
}

// teamWorstCase is every team message of the worst cases, open, voting and closed, and the App
// Home tab listing many team decisions.
func teamWorstCase(t testing.TB) (map[string]Message, slack.HomeTabViewRequest) {
	t.Helper()
	cat, m := teamCatalog(t)
	out := map[string]Message{}
	add := func(name string, tm Team) {
		tm.Channel, tm.Record, tm.Revisit = worstChannel, "https://acme.slack.com/docs/T0123456789/F0123456789?x=1&y=<2>", teamDay
		out[name+" parent"] = TeamParent(tm)
		out[name+" shortlist"] = TeamShortlist(tm)
		out[name+" invite"] = TeamInvite(tm)
		out[name+" reuse"] = TeamReuse(tm, "s1", tm.Analysis.Result.Situation, teamDay)
		if tm.Decision.Vote != nil || tm.Decision.Closed() {
			out[name+" vote"] = TeamVote(tm)
		}
		if tm.Decision.Closed() {
			out[name+" closed"] = TeamClosed(tm)
			out[name+" revisit"] = TeamRevisit(tm)
		}
	}
	// Analysed over the test catalog.
	d := worstDecision(t, worstAnswers(cat))
	add("analysed", teamView(cat, m, d))
	v := teamView(cat, m, d)
	must(t, v.Decision.OpenVote(worstOwner, ranked(v)))
	for i, p := range v.Decision.Participants {
		changes(t)(v.Decision.Cast(p.User, v.Decision.Vote.Options[i%len(v.Decision.Vote.Options)], teamDay))
	}
	add("analysed voting", v)
	must(t, v.Decision.Close(worstOwner, ranked(v), true, teamDay))
	add("analysed closed", v)

	// Built by hand: the longest texts, the largest ballot.
	d = worstDecision(t, worstAnswers(cat))
	a := worstAnalysis(&d)
	add("built", Team{Decision: &d, Analysis: a})
	var all []string
	for _, e := range a.Result.Shortlist {
		all = append(all, e.ID)
	}
	all = all[:team.MaxBallot]
	voting := d.Clone()
	must(t, voting.OpenVote(worstOwner, all))
	for i, p := range voting.Participants {
		changes(t)(voting.Cast(p.User, all[(i*2)%len(all)], teamDay))
	}
	add("built voting", Team{Decision: &voting, Analysis: a})
	tied := voting.Clone()
	must(t, tied.Close(worstOwner, all, true, teamDay))
	add("built closed", Team{Decision: &tied, Analysis: a})
	nobody := d.Clone()
	nobody.Participants = nobody.Participants[:1]
	nobody.Participants[0].Done = false
	must(t, nobody.Close(worstOwner, nil, true, teamDay))
	add("built closed without a choice", Team{Decision: &nobody, Analysis: &team.Analysis{}})

	res, _, _ := worstCase()
	home := Home{Owner: worstOwner, Frameworks: 60, Latest: res}
	for i := range 40 {
		home.Teams = append(home.Teams, HomeTeam{Channel: worstChannel, Owner: worstOwner, Answered: 25, Joined: 25, Voting: i%2 == 0,
			Link: "https://acme.slack.com/archives/" + worstChannel + "/p1762075800000100?thread_ts=1762075800.000100&cid=" + worstChannel})
	}
	return out, HomeView(home)
}

// The ballot of the largest vote offers every framework, in actions blocks Slack takes.
func TestTeamWorstBallotOffersEveryFramework(t *testing.T) {
	msgs, _ := teamWorstCase(t)
	m := msgs["built voting vote"]
	n := 0
	for _, bs := range buttons(m) {
		for _, b := range bs {
			if strings.HasPrefix(b.ActionID, ActTeamVotePrefix) {
				n++
			}
		}
	}
	if n != team.MaxBallot {
		t.Errorf("the ballot offers %d of %d frameworks", n, team.MaxBallot)
	}
}

// The organisation's radar holds for a team as for one person: a framework on hold is not on
// the team's shortlist, and the shortlist says why.
func TestTeamShortlistNamesWhatTheRadarHolds(t *testing.T) {
	cat, _ := teamCatalog(t)
	cat.Radar = map[string]catalog.Stance{"alpha": {Ring: catalog.Hold, Date: teamDay, Description: "we are leaving <Go> & co", Entry: "Alpha"}}
	m := ranking.Compile(cat)
	d := team.New("d1", "U1", "Ana", nil, teamDay)
	changes(t)(d.Contribute("U1", catalog.Answers{"languages": {"go"}}, nil))
	v := teamView(cat, m, d)
	text := blockJSON(t, TeamShortlist(v).Blocks)
	if strings.Contains(text, "*1. Alpha*") || !strings.Contains(text, "on hold") || !strings.Contains(text, "&lt;Go&gt; &amp; co") {
		t.Errorf("the team shortlist ranks the held framework or does not say it is held, escaped:\n%s", text)
	}
}

// A decision closed with nobody's vote says how it was decided: the best ranked of the ballot
// when the owner left the team's first off it, or no choice when the answers name no winner.
func TestTeamClosedWithoutVotesSaysHow(t *testing.T) {
	cat, m := teamCatalog(t)
	d := team.New("d1", "U1", "Ana", nil, teamDay)
	changes(t)(d.Contribute("U1", catalog.Answers{"languages": {"go"}, "deadline": {"weeks"}}, nil))
	a := team.Analyse(cat, m, &d)
	var ranked []string
	for _, e := range a.Result.Shortlist {
		ranked = append(ranked, e.ID)
	}
	offFirst := d.Clone()
	must(t, offFirst.OpenVote("U1", ranked[1:3]))
	must(t, offFirst.Close("U1", ranked, true, teamDay))
	if got := TeamClosed(Team{Decision: &offFirst, Analysis: &a}).Text; !strings.Contains(got, "Decided: "+a.Result.Shortlist[1].Name) {
		t.Errorf("closed on a ballot without the first: %q", got)
	}
	if got := blockJSON(t, TeamClosed(Team{Decision: &offFirst, Analysis: &a}).Blocks); !strings.Contains(got, "the best ranked of the frameworks put to the vote") {
		t.Errorf("the closing note does not say why the second: %s", got)
	}
	none := d.Clone()
	must(t, none.Close("U1", ranked, false, teamDay))
	if got := blockJSON(t, TeamClosed(Team{Decision: &none, Analysis: &a}).Blocks); !strings.Contains(got, "cover too little to name a winner") {
		t.Errorf("a close without a winner does not say why: %s", got)
	}
}
