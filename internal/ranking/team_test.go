package ranking_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/ranking/rankingtest"
)

// A team's fluency scales the language bonus: everybody knowing a language is what one person's
// answer means, and a language one of three knows is worth a third of it.
func TestRankTeamScalesTheLanguageBonusByFluency(t *testing.T) {
	_, m := load(t)
	answers := catalog.Answers{"languages": {"go", "python"}}
	want := m.Rank(answers)
	asTeam := want
	asTeam.Team = true
	if got := m.RankTeam(answers, nil); !reflect.DeepEqual(got, asTeam) {
		t.Fatal("RankTeam without fluency differs from Rank but for being the team's")
	}
	if got := m.RankTeam(answers, ranking.Fluency{"go": {Know: 3, Of: 3}, "python": {Know: 3, Of: 3}}); !reflect.DeepEqual(got, asTeam) {
		t.Fatal("RankTeam with everybody fluent differs from Rank but for being the team's")
	}
	if text := m.RankTeam(answers, nil).ConfidenceText(); !strings.Contains(text, "the team") || strings.Contains(text, "you") {
		t.Errorf("a team's confidence speaks of you: %q", text)
	}

	got := m.RankTeam(answers, ranking.Fluency{"go": {Know: 3, Of: 3}, "python": {Know: 1, Of: 3}})
	alpha, beta := entry(t, got, "alpha"), entry(t, got, "beta")
	if d0, d1 := entry(t, want, "alpha").Score-entry(t, want, "beta").Score, alpha.Score-beta.Score; d1 <= d0 {
		t.Errorf("alpha (Go, known by all) leads beta (Python, one of three) by %d, not more than the %d of equal fluency", d1, d0)
	}
	if !hasReason(beta, "your team knows Python (1 of the 3 of you)", true) {
		t.Errorf("beta's reasons %v do not say how many know Python", beta.Reasons)
	}
	if !hasReason(alpha, "your team knows Go", true) {
		t.Errorf("alpha's reasons %v should say plainly that the team knows Go", alpha.Reasons)
	}
	// epsilon is Go and Python: the better-known language counts.
	if eps := entry(t, got, "epsilon"); !hasReason(eps, "your team knows Go", true) {
		t.Errorf("epsilon's reasons %v should cite the language everybody knows", eps.Reasons)
	}
}

// Leader is Rank's first entry, for a team's fluency too; Alike groups siblings.
func TestLeaderIsRanksFirstAndAlikeIsSiblings(t *testing.T) {
	c, m := load(t)
	fluencies := []ranking.Fluency{nil, {"go": {Know: 1, Of: 4}, "python": {Know: 4, Of: 4}}}
	for i, a := range rankingtest.Profiles(c, 7, 200) {
		fl := fluencies[i%2]
		if got, want := m.Leader(a, fl), m.RankTeam(a, fl).Shortlist[0].ID; got != want {
			t.Fatalf("profile %v: Leader %s, RankTeam's first %s", a, got, want)
		}
	}
	res, siblings := m.Rank(catalog.Answers{}), 0
	for _, e := range res.Shortlist {
		if e.SiblingOf != "" {
			siblings++
		}
		if !m.Alike(e.ID, e.ID) {
			t.Errorf("%s is not alike itself", e.ID)
		}
		if e.SiblingOf != "" && !m.Alike(e.ID, e.SiblingOf) {
			t.Errorf("%s is a sibling of %s but not alike", e.ID, e.SiblingOf)
		}
	}
	if siblings == 0 {
		t.Fatal("the test catalog ranks no siblings: Alike is not tested")
	}
	if m.Alike("alpha", "beta") || m.Alike("alpha", "nosuch") {
		t.Error("different frameworks are alike")
	}
}
