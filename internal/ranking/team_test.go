package ranking_test

import (
	"reflect"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// A team's fluency scales the language bonus: everybody knowing a language is what one person's
// answer means, and a language one of three knows is worth a third of it.
func TestRankTeamScalesTheLanguageBonusByFluency(t *testing.T) {
	_, m := load(t)
	answers := catalog.Answers{"languages": {"go", "python"}}
	want := m.Rank(answers)
	if got := m.RankTeam(answers, nil); !reflect.DeepEqual(got, want) {
		t.Fatal("RankTeam without fluency differs from Rank")
	}
	if got := m.RankTeam(answers, ranking.Fluency{"go": {Know: 3, Of: 3}, "python": {Know: 3, Of: 3}}); !reflect.DeepEqual(got, want) {
		t.Fatal("RankTeam with everybody fluent differs from Rank")
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
