package config_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/ranking/rankingtest"
)

// The decision model's properties (docs/CONFIG.md) on the shipped config; internal/ranking proves
// the same on its fixture. Issue 11, faults 1, 4, 5, 7 and 9.

func TestShippedExplicitPreferencesDecideTheirCriterionsDirection(t *testing.T) {
	c := rankCatalog(t)
	preferred := map[string]bool{} // the criteria some answer states a preference on
	for _, q := range c.Questions {
		for _, o := range q.Options {
			for id := range o.Prefers {
				preferred[id] = true
			}
		}
	}
	for _, id := range []string{"batteries", "type_safety", "footprint", "performance"} {
		if !preferred[id] {
			t.Errorf("no shipped answer states a preference on %s; the batteries, typing, footprint and latency questions should", id)
		}
	}
	// Twins of every framework, alike but for one preferred criterion, rated 1..5.
	base := slices.Clone(c.Frameworks)
	twin := func(f, cr string, r int) string { return f + "~" + cr + "~" + strconv.Itoa(r) }
	for _, f := range base {
		for cr := range preferred {
			for r := catalog.MinRating; r <= catalog.MaxRating; r++ {
				tw := f
				tw.ID, tw.Ratings = twin(f.ID, cr, r), map[string]int{}
				for k, v := range f.Ratings {
					tw.Ratings[k] = v
				}
				tw.Ratings[cr] = r
				c.Frameworks = append(c.Frameworks, tw)
			}
		}
	}
	m := ranking.Compile(c)
	// Hand-picked: the answers that imply the opposite of the stated preference, all at once.
	profiles := []catalog.Answers{
		{"team": {"solo"}, "deadline": {"weeks"}, "workload": {"crud"}, "architecture": {"monolith"}, "project": {"mvp"}, "batteries": {"minimal"}},
		{"project": {"content"}, "team": {"small"}, "languages": {"python"}, "batteries": {"minimal"}},
		{"team": {"large"}, "deadline": {"long_term"}, "compliance": {"regulated"}, "typing": {"nice"}},
		{"hosting": {"serverless_edge"}, "architecture": {"serverless"}, "footprint": {"yes"}},
		{"project": {"gateway"}, "scale": {"massive"}, "performance": {"critical"}, "workload": {"cpu"}},
	}
	profiles = append(profiles, rankingtest.Profiles(c, 1, 150)...)
	for _, a := range profiles {
		weights, explicit := rankingtest.Weights(c, a)
		r := m.Rank(a)
		pos := map[string]int{}
		score := map[string]int{}
		for i, e := range r.Shortlist {
			pos[e.ID], score[e.ID] = i, e.Score
		}
		for cr := range explicit {
			for _, f := range base {
				for rt := catalog.MinRating; rt < catalog.MaxRating; rt++ {
					lo, hi := twin(f.ID, cr, rt), twin(f.ID, cr, rt+1)
					if weights[cr] < 0 && pos[hi] < pos[lo] {
						t.Errorf("%v: the user wants less %s, yet %s (%d) ranks above %s (%d)", a, cr, hi, score[hi], lo, score[lo])
					}
					if weights[cr] > 0 && score[hi] < score[lo] {
						t.Errorf("%v: the user wants more %s, yet %s scores %d, below %s's %d", a, cr, hi, score[hi], lo, score[lo])
					}
				}
			}
		}
	}
	if w, _ := rankingtest.Weights(c, profiles[0]); w["batteries"] >= 0 {
		t.Errorf("solo, weeks, CRUD, monolith, MVP and a minimal core: batteries weight %g, want below 0", w["batteries"])
	}
}

func TestShippedReasonsNeverContradictThemselves(t *testing.T) {
	c := rankCatalog(t)
	rankingtest.CheckReasons(t, c, ranking.Compile(c), append([]catalog.Answers{{}}, rankingtest.Profiles(c, 9, 300)...))
	// The audit's example: an MVP answer never argues for a framework through a 1/5.
	r := rankShipped(c, catalog.Answers{"project": {"mvp"}})
	for _, e := range r.Shortlist {
		for _, rs := range e.Reasons {
			if rs.Positive && strings.HasSuffix(rs.Text, " 1/5") {
				t.Errorf("%s: %q argues for it through a 1/5", e.ID, rs.Text)
			}
		}
	}
}

// A 3/5 on the criterion the user weighted most is shown as a reason against (fault 5).
func TestAMiddleRatingOnTheHeaviestCriterionIsShown(t *testing.T) {
	c := rankCatalog(t)
	// Performance carries most of the weight; Django is rated 3/5 on it.
	r := rankShipped(c, catalog.Answers{"performance": {"critical"}, "languages": {"python"}})
	e := rankEntry(t, r, "django")
	perf := c.Criteria[slices.IndexFunc(c.Criteria, func(cr catalog.Criterion) bool { return cr.ID == "performance" })]
	if !slices.ContainsFunc(e.Reasons, func(rs ranking.Reason) bool {
		return !rs.Positive && rs.Criterion == perf.ID && strings.HasSuffix(rs.Text, perf.Label+" is 3/5")
	}) {
		t.Errorf("django's reasons %v lack its 3/5 on performance as a reason against", e.Reasons)
	}
}

// Switching languages costs a large team on a long build more than a solo developer (fault 4).
func TestALargePHPTeamStaysOnPHPWhileASoloDeveloperMayMove(t *testing.T) {
	c := rankCatalog(t)
	// config/testdata/eval/profiles.yaml, large-php-team-enterprise (seeds 000, 001, 004).
	large := catalog.Answers{
		"team": {"large"}, "languages": {"php"}, "project": {"enterprise"}, "deadline": {"long_term"},
		"hiring": {"yes"}, "hosting": {"on_prem"}, "compliance": {"standard"}, "architecture": {"modular"}, "scale": {"growing"},
	}
	if top := rankShipped(c, large).Shortlist[0].ID; top != "laravel" && top != "symfony" {
		t.Errorf("several PHP teams building a long-term enterprise system get %s first, want laravel or symfony", top)
	}
	// A solo PHP developer building an AI product, free to hire, is sent to Python (business,
	// strategy, top7: FastAPI and Django for AI and data products).
	solo := catalog.Answers{"team": {"solo"}, "languages": {"php"}, "project": {"ai"}, "hiring": {"yes"}}
	if top := rankShipped(c, solo).Shortlist[0].ID; top != "fastapi" && top != "django" {
		t.Errorf("a solo PHP developer building an AI product gets %s first, want fastapi or django", top)
	}
}

// Emerging frameworks always pay something and say so; more when the answers need maturity
// (fault 7; fastscale: run your own load tests before committing).
func TestEmergingRiskIsStatedForASoloMVPAndCostsMoreForARegulatedEnterprise(t *testing.T) {
	c := rankCatalog(t)
	settled := rankCatalog(t)
	for i := range settled.Frameworks {
		settled.Frameworks[i].Emerging = false
	}
	soloMVP := catalog.Answers{"team": {"solo"}, "project": {"mvp"}, "deadline": {"weeks"}, "languages": {"typescript"}}
	heavy := catalog.Answers{"team": {"large"}, "project": {"enterprise"}, "compliance": {"regulated"}, "languages": {"typescript"}}
	cost := func(a catalog.Answers, id string) int {
		return rankEntry(t, rankShipped(settled, a), id).Score - rankEntry(t, rankShipped(c, a), id).Score
	}
	for _, f := range c.Frameworks {
		if !f.Emerging {
			continue
		}
		e := rankEntry(t, rankShipped(c, soloMVP), f.ID)
		if !slices.ContainsFunc(e.Watchouts, func(w ranking.Watchout) bool { return w.Triggered && strings.HasPrefix(w.Text, "Still emerging") }) {
			t.Errorf("%s for a solo MVP: watchouts %v lack the emerging caveat", f.ID, e.Watchouts)
		}
		if solo, reg := cost(soloMVP, f.ID), cost(heavy, f.ID); solo <= 0 || reg <= solo {
			t.Errorf("%s: being emerging costs %d points for a solo MVP, %d for a regulated enterprise; want above 0 and more for the latter", f.ID, solo, reg)
		}
	}
}
