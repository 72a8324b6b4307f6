package ranking_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

func load(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ids(r ranking.Result, n int) []string {
	var out []string
	for _, e := range r.Shortlist[:n] {
		out = append(out, e.ID)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// The seed articles' own recommendation matrices, as answers and the picks they name.
func TestTheSeedsRecommendationsComeOut(t *testing.T) {
	c := load(t)
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
			r := ranking.Rank(c, tt.answers)
			if got := ids(r, tt.top); !sameSet(got, tt.want) {
				t.Errorf("top %d = %v, want %v", tt.top, got, tt.want)
			}
			if tt.first != "" && r.Shortlist[0].ID != tt.first {
				t.Errorf("first = %s, want %s", r.Shortlist[0].ID, tt.first)
			}
		})
	}
}

func TestRealTimeAppsGetTheRealTimePicks(t *testing.T) {
	r := ranking.Rank(load(t), catalog.Answers{"project": {"realtime"}, "workload": {"streaming"}})
	top := ids(r, 3)
	for _, want := range []string{"phoenix", "nestjs"} {
		if !slices.Contains(top, want) {
			t.Errorf("top 3 = %v, want %s among them", top, want)
		}
	}
}

func TestTheTeamsLanguageIsAStrongButNotAbsolutePreference(t *testing.T) {
	c := load(t)
	t.Run("strong: with nothing else said, the team's language leads", func(t *testing.T) {
		for _, lang := range []string{"python", "php", "ruby", "go", "java", "elixir", "typescript"} {
			r := ranking.Rank(c, catalog.Answers{"languages": {lang}})
			f, _ := c.Framework(r.Shortlist[0].ID)
			if !slices.Contains(f.Languages, lang) {
				t.Errorf("languages=%s: first is %s (%v)", lang, f.ID, f.Languages)
			}
		}
	})
	t.Run("not absolute: a PHP team building AI still sees FastAPI first", func(t *testing.T) {
		r := ranking.Rank(c, catalog.Answers{"languages": {"php"}, "project": {"ai"}})
		if r.Shortlist[0].ID != "fastapi" {
			t.Errorf("first = %s, want fastapi", r.Shortlist[0].ID)
		}
		if !strings.Contains(reasonTexts(r.Shortlist[0]), "your team doesn't know Python") {
			t.Errorf("fastapi's reasons should say the team must learn Python: %v", r.Shortlist[0].Reasons)
		}
	})
	t.Run("not absolute: a Ruby team building a latency-critical gateway is not sent to Rails", func(t *testing.T) {
		r := ranking.Rank(c, catalog.Answers{"languages": {"ruby"}, "project": {"gateway"}, "scale": {"massive"}, "performance": {"critical"}})
		if slices.Contains(ids(r, 3), "rails") {
			t.Errorf("top 3 = %v, want no rails", ids(r, 3))
		}
	})
}

func TestWatchoutsThatHitTheAnswersApplyAndCost(t *testing.T) {
	c := load(t)
	plain := ranking.Rank(c, catalog.Answers{"project": {"api"}})
	edge := ranking.Rank(c, catalog.Answers{"project": {"api"}, "hosting": {"serverless_edge"}})
	before, after := entry(t, plain, "spring-boot"), entry(t, edge, "spring-boot")
	if after.Score >= before.Score {
		t.Errorf("spring-boot scored %d on serverless hosting, %d without; the JVM watchout should cost", after.Score, before.Score)
	}
	if !strings.Contains(after.Watchouts[0], "JVM") {
		t.Errorf("spring-boot's first watchout on serverless = %q, want the JVM one", after.Watchouts[0])
	}
	if slices.ContainsFunc(before.Watchouts, func(w string) bool { return strings.Contains(w, "JVM needs") }) {
		t.Errorf("the JVM serverless watchout applies without serverless hosting: %v", before.Watchouts)
	}
}

func TestEmergingFrameworksArePenalisedForRegulatedWork(t *testing.T) {
	c := load(t)
	plain := entry(t, ranking.Rank(c, catalog.Answers{"project": {"api"}}), "hono")
	regulated := entry(t, ranking.Rank(c, catalog.Answers{"project": {"api"}, "compliance": {"regulated"}}), "hono")
	if regulated.Score >= plain.Score {
		t.Errorf("hono scored %d for regulated work, %d otherwise", regulated.Score, plain.Score)
	}
	if !slices.ContainsFunc(regulated.Watchouts, func(w string) bool { return strings.HasPrefix(w, "Still emerging") }) {
		t.Errorf("hono's watchouts for regulated work lack the emerging caveat: %v", regulated.Watchouts)
	}
}

// Every single answer, and none, gives a complete, well-formed ranking.
func TestEveryAnswerGivesAWellFormedRanking(t *testing.T) {
	c := load(t)
	sets := []catalog.Answers{{}}
	for _, q := range c.Questions {
		for _, o := range q.Options {
			sets = append(sets, catalog.Answers{q.ID: {o.ID}})
		}
	}
	for _, a := range sets {
		r := ranking.Rank(c, a)
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
	r := ranking.Rank(load(t), catalog.Answers{"project": {"mvp"}, "languages": {"python"}, "deadline": {"weeks"}})
	got := reasonTexts(entry(t, r, "django"))
	for _, want := range []string{"your team knows Python", "you need to ship in weeks", "speed of delivery 5/5"} {
		if !strings.Contains(got, want) {
			t.Errorf("django's reasons %q lack %q", got, want)
		}
	}
}

func TestRankingIsDeterministicAndIgnoresAnswerOrder(t *testing.T) {
	c := load(t)
	a := ranking.Rank(c, catalog.Answers{"languages": {"python", "go"}, "workload": {"io", "cpu"}})
	b := ranking.Rank(c, catalog.Answers{"workload": {"cpu", "io"}, "languages": {"go", "python"}})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same answers in another order ranked differently")
	}
	// Gin, Fiber and Echo are rated alike; equal scores keep catalog order.
	r := ranking.Rank(c, catalog.Answers{"languages": {"go"}})
	if got := ids(r, 3); !slices.Equal(got, []string{"gin", "fiber", "echo"}) {
		t.Errorf("tied Go frameworks = %v, want catalog order gin, fiber, echo", got)
	}
}

func TestUnknownIdsAreNeutral(t *testing.T) {
	c := load(t)
	want := ranking.Rank(c, catalog.Answers{"project": {"mvp"}})
	got := ranking.Rank(c, catalog.Answers{"project": {"mvp"}, "colour": {"red"}, "team": {"giant"}})
	if !reflect.DeepEqual(ids(got, len(got.Shortlist)), ids(want, len(want.Shortlist))) {
		t.Error("unknown questions or options changed the ranking")
	}
}

func TestChecklistIsSettledByAnswersAndThePlanNamesTheTopTwo(t *testing.T) {
	r := ranking.Rank(load(t), catalog.Answers{"project": {"mvp"}, "deadline": {"weeks"}, "team": {"small"}})
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

func entry(t *testing.T, r ranking.Result, id string) ranking.Entry {
	t.Helper()
	for _, e := range r.Shortlist {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("%s is not in the shortlist", id)
	return ranking.Entry{}
}

func reasonTexts(e ranking.Entry) string {
	var parts []string
	for _, r := range e.Reasons {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, " | ")
}

func BenchmarkRankFullAnswers(b *testing.B) {
	c := load(b)
	a := catalog.Answers{
		"project": {"saas"}, "languages": {"python", "typescript"}, "team": {"small"}, "deadline": {"weeks"},
		"scale": {"growing"}, "performance": {"important"}, "workload": {"crud", "io"}, "architecture": {"modular"},
		"compliance": {"regulated"}, "hosting": {"containers"}, "batteries": {"batteries"}, "hiring": {"yes"},
		"typing": {"nice"}, "footprint": {"no"},
	}
	b.ReportAllocs()
	for b.Loop() {
		ranking.Rank(c, a)
	}
}
