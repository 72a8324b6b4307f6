package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// These are the shipped config's ranking expectations, most of them from the seed articles'
// own recommendation matrices: a retune of config/*.yaml that breaks one should say why.

func rankCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rankShipped ranks answers over the shipped config.
func rankShipped(c *catalog.Catalog, a catalog.Answers) ranking.Result {
	return ranking.Compile(c).Rank(a)
}

func rankTop(r ranking.Result, n int) []string {
	var out []string
	for _, e := range r.Shortlist[:n] {
		out = append(out, e.ID)
	}
	return out
}

func rankSameIDs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// The seed articles' own recommendation matrices, as answers and the picks they name.
func TestTheSeedsRecommendationsComeOut(t *testing.T) {
	c := rankCatalog(t)
	tests := []struct {
		name    string
		answers catalog.Answers
		top     int
		want    []string // exactly these, in any order, make the top
		first   string   // and this one leads, when set
	}{
		{"rapid prototyping: an MVP team shipping in weeks", catalog.Answers{"project": {"mvp"}, "team": {"small"}, "deadline": {"weeks"}},
			3, []string{"rails", "laravel", "django"}, ""},
		{"an MVP team that knows Python gets Django first", catalog.Answers{"project": {"mvp"}, "team": {"small"}, "languages": {"python"}},
			1, []string{"django"}, "django"},
		{"enterprise, regulated, several teams", catalog.Answers{"project": {"enterprise"}, "compliance": {"regulated"}, "team": {"large"}, "scale": {"large"}},
			2, []string{"spring-boot", "aspnet-core"}, ""},
		{"a regulated Java enterprise", catalog.Answers{"project": {"enterprise"}, "languages": {"java"}, "compliance": {"regulated"}, "team": {"large"}},
			2, []string{"spring-boot", "aspnet-core"}, "spring-boot"},
		{"a Microsoft shop on Azure", catalog.Answers{"project": {"enterprise"}, "languages": {"csharp"}, "hosting": {"azure_windows"}},
			1, []string{"aspnet-core"}, "aspnet-core"},
		{"AI and data products", catalog.Answers{"project": {"ai"}},
			2, []string{"fastapi", "django"}, "fastapi"},
		{"high-traffic gateways", catalog.Answers{"project": {"gateway"}, "scale": {"massive"}, "performance": {"critical"}},
			2, []string{"gin", "fiber"}, ""},
		{"content sites and back offices", catalog.Answers{"project": {"content"}, "batteries": {"batteries"}},
			2, []string{"django", "laravel"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rankShipped(c, tt.answers)
			if got := rankTop(r, tt.top); !rankSameIDs(got, tt.want) {
				t.Errorf("top %d = %v, want %v", tt.top, got, tt.want)
			}
			if tt.first != "" && r.Shortlist[0].ID != tt.first {
				t.Errorf("first = %s, want %s", r.Shortlist[0].ID, tt.first)
			}
		})
	}
}

func TestRealTimeAppsGetTheRealTimePicks(t *testing.T) {
	r := rankShipped(rankCatalog(t), catalog.Answers{"project": {"realtime"}, "workload": {"streaming"}})
	top := rankTop(r, 3)
	for _, want := range []string{"phoenix", "nestjs"} {
		if !slices.Contains(top, want) {
			t.Errorf("top 3 = %v, want %s among them", top, want)
		}
	}
}

func TestTheTeamsLanguageIsAStrongButNotAbsolutePreference(t *testing.T) {
	c := rankCatalog(t)
	t.Run("strong: with nothing else said, the team's language leads", func(t *testing.T) {
		for _, lang := range []string{"python", "php", "ruby", "go", "java", "elixir", "typescript"} {
			r := rankShipped(c, catalog.Answers{"languages": {lang}})
			f, _ := c.Framework(r.Shortlist[0].ID)
			if !slices.Contains(f.Languages, lang) {
				t.Errorf("languages=%s: first is %s (%v)", lang, f.ID, f.Languages)
			}
		}
	})
	t.Run("not absolute: a PHP team building AI still sees FastAPI first", func(t *testing.T) {
		r := rankShipped(c, catalog.Answers{"languages": {"php"}, "project": {"ai"}})
		if r.Shortlist[0].ID != "fastapi" {
			t.Errorf("first = %s, want fastapi", r.Shortlist[0].ID)
		}
		if !strings.Contains(rankReasons(r.Shortlist[0]), "your team doesn't know Python") {
			t.Errorf("fastapi's reasons should say the team must learn Python: %v", r.Shortlist[0].Reasons)
		}
	})
	t.Run("not absolute: a Ruby team building a latency-critical gateway is not sent to Rails", func(t *testing.T) {
		r := rankShipped(c, catalog.Answers{"languages": {"ruby"}, "project": {"gateway"}, "scale": {"massive"}, "performance": {"critical"}})
		if slices.Contains(rankTop(r, 3), "rails") {
			t.Errorf("top 3 = %v, want no rails", rankTop(r, 3))
		}
	})
}

func TestWatchoutsThatHitTheAnswersApplyAndCost(t *testing.T) {
	c := rankCatalog(t)
	plain := rankShipped(c, catalog.Answers{"project": {"api"}})
	edge := rankShipped(c, catalog.Answers{"project": {"api"}, "hosting": {"serverless_edge"}})
	before, after := rankEntry(t, plain, "spring-boot"), rankEntry(t, edge, "spring-boot")
	if after.Score >= before.Score {
		t.Errorf("spring-boot scored %d on serverless hosting, %d without; the JVM watchout should cost", after.Score, before.Score)
	}
	if w := after.Watchouts[0]; !strings.Contains(w.Text, "JVM") || !w.Triggered {
		t.Errorf("spring-boot's first watchout on serverless = %+v, want the JVM one, triggered", w)
	}
	if slices.ContainsFunc(before.Watchouts, func(w ranking.Watchout) bool { return strings.Contains(w.Text, "JVM needs") }) {
		t.Errorf("the JVM serverless watchout applies without serverless hosting: %v", before.Watchouts)
	}
}

func TestEmergingFrameworksArePenalisedForRegulatedWork(t *testing.T) {
	c := rankCatalog(t)
	plain := rankEntry(t, rankShipped(c, catalog.Answers{"project": {"api"}}), "hono")
	regulated := rankEntry(t, rankShipped(c, catalog.Answers{"project": {"api"}, "compliance": {"regulated"}}), "hono")
	if regulated.Score >= plain.Score {
		t.Errorf("hono scored %d for regulated work, %d otherwise", regulated.Score, plain.Score)
	}
	if !slices.ContainsFunc(regulated.Watchouts, func(w ranking.Watchout) bool { return w.Triggered && strings.HasPrefix(w.Text, "Still emerging") }) {
		t.Errorf("hono's watchouts for regulated work lack the emerging caveat: %v", regulated.Watchouts)
	}
}

// Every single answer, and none, gives a complete, well-formed ranking.
func TestEveryShippedAnswerGivesAWellFormedRanking(t *testing.T) {
	c := rankCatalog(t)
	sets := []catalog.Answers{{}}
	for _, q := range c.Questions {
		for _, o := range q.Options {
			sets = append(sets, catalog.Answers{q.ID: {o.ID}})
		}
	}
	for _, a := range sets {
		r := rankShipped(c, a)
		if len(r.Shortlist) != len(c.Frameworks) {
			t.Fatalf("%v: %d entries, want %d", a, len(r.Shortlist), len(c.Frameworks))
		}
		for i, e := range r.Shortlist {
			if i > 0 && e.Score > r.Shortlist[i-1].Score {
				t.Errorf("%v: %s (%d) ranks below %s (%d)", a, e.ID, e.Score, r.Shortlist[i-1].ID, r.Shortlist[i-1].Score)
			}
			if e.Score < 0 || e.Score > 100 {
				t.Errorf("%v: %s scores %d", a, e.ID, e.Score)
			}
			if n := len(e.Reasons); n < 2 || n > 4 {
				t.Errorf("%v: %s has %d reasons, want 2..4: %v", a, e.ID, n, e.Reasons)
			}
		}
		if len(r.Checklist) != len(c.Checklist.Items) || len(r.POC) != len(c.Checklist.POC) {
			t.Errorf("%v: checklist %d items, poc %d steps", a, len(r.Checklist), len(r.POC))
		}
	}
}

func TestReasonsComeFromTheUsersAnswers(t *testing.T) {
	r := rankShipped(rankCatalog(t), catalog.Answers{"project": {"mvp"}, "languages": {"python"}, "deadline": {"weeks"}})
	got := rankReasons(rankEntry(t, r, "django"))
	for _, want := range []string{"your team knows Python", "you need to ship in weeks", "speed of delivery 5/5"} {
		if !strings.Contains(got, want) {
			t.Errorf("django's reasons %q lack %q", got, want)
		}
	}
}

func TestTiedGoFrameworksKeepCatalogOrder(t *testing.T) {
	// Gin, Fiber and Echo are rated alike; equal scores keep catalog order.
	r := rankShipped(rankCatalog(t), catalog.Answers{"languages": {"go"}})
	if got := rankTop(r, 3); !slices.Equal(got, []string{"gin", "fiber", "echo"}) {
		t.Errorf("tied Go frameworks = %v, want catalog order gin, fiber, echo", got)
	}
}

func TestChecklistIsSettledByAnswersAndThePlanNamesTheTopTwo(t *testing.T) {
	r := rankShipped(rankCatalog(t), catalog.Answers{"project": {"mvp"}, "deadline": {"weeks"}, "team": {"small"}})
	byID := map[string]ranking.CheckItem{}
	for _, it := range r.Checklist {
		byID[it.ID] = it
	}
	if it := byID["timeline"]; !it.Settled || !strings.Contains(it.Text, "Within weeks") || !strings.Contains(it.Text, r.Shortlist[0].Name+" rates 5/5") {
		t.Errorf("timeline item = %+v, want settled from the deadline with the top pick's rating", it)
	}
	if it := byID["talent"]; it.Settled {
		t.Errorf("talent item is settled without a hiring answer: %+v", it)
	}
	plan := strings.Join(r.POC, "\n")
	if !strings.Contains(plan, r.Shortlist[0].Name) || !strings.Contains(plan, r.Shortlist[1].Name) || strings.Contains(plan, "{") {
		t.Errorf("POC plan does not name %s and %s:\n%s", r.Shortlist[0].Name, r.Shortlist[1].Name, plan)
	}
}

func rankEntry(t *testing.T, r ranking.Result, id string) ranking.Entry {
	t.Helper()
	for _, e := range r.Shortlist {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("%s is not in the shortlist", id)
	return ranking.Entry{}
}

func rankReasons(e ranking.Entry) string {
	var parts []string
	for _, r := range e.Reasons {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, " | ")
}

// A regulated Java enterprise settles the security item from its answers and leaves the
// community item to verify (it was `bot rank`'s example in the README).
func TestARegulatedJavaEnterpriseSettlesSecurityAndVerifiesCommunity(t *testing.T) {
	r := rankShipped(rankCatalog(t), catalog.Answers{"project": {"enterprise"}, "languages": {"java"}, "compliance": {"regulated"}, "team": {"large"}})
	settled := map[string]bool{}
	for _, it := range r.Checklist {
		settled[it.ID] = it.Settled
	}
	if !settled["security"] || settled["community"] {
		t.Errorf("settled = %v, want security settled and community to verify", settled)
	}
}

// recommendationsFor returns the shipped recommendations that the answer qid=oid calls for.
func recommendationsFor(c *catalog.Catalog, qid, oid string) []catalog.Recommendation {
	var out []catalog.Recommendation
	for _, r := range c.Weights.Recommendations {
		if slices.Contains(r.When[qid], oid) {
			out = append(out, r)
		}
	}
	return out
}

// The picks the seeds name for a situation are in the shipped recommendations for it (the ones
// issue 11 found missing from the old per-option lists).
func TestTheSeedsPicksAreRecommended(t *testing.T) {
	c := rankCatalog(t)
	tests := []struct {
		name     string
		qid, oid string
		picks    []string
	}{
		{"Go frameworks for microservices (business, deepdive)", "architecture", "microservices", []string{"gin", "fiber", "echo"}},
		{"Flask among the early-stage startup picks (strategy)", "project", "mvp", []string{"flask", "express", "rails", "laravel", "django"}},
		{"Rails for content sites (top7, deepdive)", "project", "content", []string{"rails", "django", "laravel"}},
		{"Express and Fastify for real-time apps (business)", "project", "realtime", []string{"express", "fastify", "nestjs", "phoenix"}},
		{"Flask among the AI and data picks (deepdive)", "project", "ai", []string{"fastapi", "django", "flask"}},
		{"the Go frameworks and Fastify for high traffic (business, fastscale)", "project", "gateway", []string{"gin", "fiber", "fastify"}},
		{"ASP.NET Core for Microsoft shops (strategy)", "hosting", "azure_windows", []string{"aspnet-core"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var picked []string
			for _, r := range recommendationsFor(c, tt.qid, tt.oid) {
				picked = append(picked, r.Picks...)
			}
			for _, p := range tt.picks {
				if !slices.Contains(picked, p) {
					t.Errorf("%s=%s: recommendations pick %v, want %s among them", tt.qid, tt.oid, picked, p)
				}
			}
		})
	}
}

// Answers the seeds treat as one situation call for one recommendation, and giving both credits
// its picks once: the ranking is the one of a config where only the first of them calls for it.
func TestCorrelatedAnswersCreditTheSeedsPickOnce(t *testing.T) {
	tests := []struct {
		name    string
		answers catalog.Answers
		pick    string // a pick of the shared recommendation
	}{
		{"an API built as microservices", catalog.Answers{"project": {"api"}, "architecture": {"microservices"}}, "nestjs"},
		{"a regulated enterprise system", catalog.Answers{"project": {"enterprise"}, "compliance": {"regulated"}}, "spring-boot"},
		{"a real-time app that streams", catalog.Answers{"project": {"realtime"}, "workload": {"streaming"}}, "phoenix"},
		{"a latency-critical gateway with massive traffic", catalog.Answers{"project": {"gateway"}, "scale": {"massive"}, "performance": {"critical"}}, "gin"},
		{"an MVP in weeks", catalog.Answers{"project": {"mvp"}, "deadline": {"weeks"}}, "rails"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := rankCatalog(t)
			shared := -1
			for i, r := range c.Weights.Recommendations {
				all := true
				for qid, oids := range tt.answers {
					all = all && slices.Contains(r.When[qid], oids[0])
				}
				if all {
					shared = i
				}
			}
			if shared < 0 {
				t.Fatalf("no one recommendation is called for by all of %v", tt.answers)
			}
			rec := c.Weights.Recommendations[shared]
			if !slices.Contains(rec.Picks, tt.pick) {
				t.Fatalf("%s does not pick %s: %v", rec.ID, tt.pick, rec.Picks)
			}
			got := rankShipped(c, tt.answers)
			var reasons []ranking.Reason
			for _, r := range rankEntry(t, got, tt.pick).Reasons {
				if r.Text == rec.Reason {
					reasons = append(reasons, r)
				}
			}
			if len(reasons) != 1 || !slices.Equal(reasons[0].Sources, rec.Sources) {
				t.Errorf("%s gives %s's reason %d times (%+v), want once with sources %v", tt.pick, rec.ID, len(reasons), reasons, rec.Sources)
			}

			one := rankCatalog(t) // a catalog of its own
			var first string
			for _, q := range c.Questions { // the first of the answers in question order
				if oids, ok := tt.answers[q.ID]; ok && first == "" {
					first = q.ID
					one.Weights.Recommendations[shared].When = map[string][]string{q.ID: oids}
				}
			}
			want := rankShipped(one, tt.answers)
			for i := range got.Shortlist {
				if g, w := got.Shortlist[i], want.Shortlist[i]; g.ID != w.ID || g.Score != w.Score {
					t.Errorf("#%d: %s %d, want %s %d as when only %s calls for %s", i+1, g.ID, g.Score, w.ID, w.Score, first, rec.ID)
				}
			}
		})
	}
}
