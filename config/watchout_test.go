package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// The shipped watchouts mean what their texts say (issue 11, fault 2). These are the two
// examples and the conditions the rewrite introduced.

// watchoutState finds the shipped watchout of framework id whose text starts with prefix, and
// returns how the answers show it (listed, triggered) and what it costs the framework.
func watchoutState(t *testing.T, c *catalog.Catalog, id, prefix string, a catalog.Answers) (listed, triggered bool, cost int) {
	t.Helper()
	f, ok := c.Framework(id)
	if !ok {
		t.Fatalf("no framework %s", id)
	}
	wi := slices.IndexFunc(f.Watchouts, func(w catalog.Watchout) bool { return strings.HasPrefix(w.Text, prefix) })
	if wi < 0 {
		t.Fatalf("%s has no watchout starting %q", id, prefix)
	}
	text := f.Watchouts[wi].Text
	e := rankEntry(t, rankShipped(c, a), id)
	if i := slices.IndexFunc(e.Watchouts, func(w ranking.Watchout) bool { return w.Text == text }); i >= 0 {
		listed, triggered = true, e.Watchouts[i].Triggered
	}
	free := rankCatalog(t)
	free.Frameworks[slices.IndexFunc(free.Frameworks, func(f catalog.Framework) bool { return f.ID == id })].Watchouts[wi].Penalty = 0
	return listed, triggered, rankEntry(t, rankShipped(free, a), id).Score - e.Score
}

// "Rough for a solo dev on a tight deadline" was shown, and cost Spring Boot, for a solo
// developer with no deadline.
func TestSpringBootsSoloDeadlineWatchoutNeedsBoth(t *testing.T) {
	c := rankCatalog(t)
	const rough = "Steep learning curve"
	tests := []struct {
		name    string
		answers catalog.Answers
		want    bool
	}{
		{"a solo developer building for the long term", catalog.Answers{"project": {"api"}, "team": {"solo"}, "deadline": {"long_term"}}, false},
		{"a solo developer, deadline unsaid", catalog.Answers{"project": {"api"}, "team": {"solo"}}, false},
		{"a small team with weeks", catalog.Answers{"project": {"api"}, "team": {"small"}, "deadline": {"weeks"}}, false},
		{"a solo developer with weeks", catalog.Answers{"project": {"api"}, "team": {"solo"}, "deadline": {"weeks"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listed, triggered, cost := watchoutState(t, c, "spring-boot", rough, tt.answers)
			if listed != tt.want || triggered != tt.want || (cost > 0) != tt.want {
				t.Errorf("listed %v, triggered %v, cost %d; want listed, triggered and costly all %v", listed, triggered, cost, tt.want)
			}
		})
	}
}

// "You must assemble the pieces yourself" was shown, and cost Gin, Fiber and Echo, to users who
// asked for a minimal core. It is now a general caveat for them, at no cost, and still a
// triggered one for those who want the pieces built in or must ship in weeks.
func TestAMinimalCoreIsAChosenTradeOffNotAPenalty(t *testing.T) {
	c := rankCatalog(t)
	minimal := catalog.Answers{"languages": {"go"}, "team": {"solo"}, "deadline": {"weeks"}, "batteries": {"minimal"}}
	rushed := catalog.Answers{"languages": {"go"}, "team": {"solo"}, "deadline": {"weeks"}, "batteries": {"no_preference"}}
	for id, prefix := range map[string]string{"gin": "Minimal core", "fiber": "Minimal by design", "echo": "Minimalist"} {
		t.Run(id, func(t *testing.T) {
			if listed, triggered, cost := watchoutState(t, c, id, prefix, minimal); !listed || triggered || cost != 0 {
				t.Errorf("minimal core: listed %v, triggered %v, cost %d; want a general caveat at no cost", listed, triggered, cost)
			}
			if listed, triggered, cost := watchoutState(t, c, id, prefix, rushed); !listed || !triggered || cost <= 0 {
				t.Errorf("no preference, weeks: listed %v, triggered %v, cost %d; want triggered and costly", listed, triggered, cost)
			}
		})
	}
	// More generally: a watchout that costs those who want the pieces built in never costs those
	// who chose a minimal core, whatever else they answered.
	for _, f := range c.Frameworks {
		for _, w := range f.Watchouts {
			if !slices.Contains(w.When["batteries"], "batteries") && !slices.Contains(w.WhenAll["batteries"], "batteries") {
				continue
			}
			a := catalog.Answers{}
			for _, cond := range []map[string][]string{w.When, w.WhenAll} {
				for qid, opts := range cond {
					a[qid] = append(a[qid], opts[0])
				}
			}
			a["batteries"] = []string{"minimal"}
			if _, triggered, cost := watchoutState(t, c, f.ID, w.Text, a); triggered || cost != 0 {
				t.Errorf("%s: %q is triggered (cost %d) for %v, who chose a minimal core", f.ID, w.Text, cost, a)
			}
		}
	}
}

// ASP.NET Core's learning curve bites a team new to .NET on a deadline in weeks, whatever its
// other languages; a team that knows C# is not new to it. Phoenix's functional-programming
// onboarding likewise spares a team that knows Elixir.
func TestLearningCurvesSpareTeamsThatKnowTheLanguage(t *testing.T) {
	c := rankCatalog(t)
	langs, _ := c.Question(catalog.LanguagesQuestion)
	for _, o := range langs.Options {
		if o.ID == "csharp" {
			continue
		}
		a := catalog.Answers{"deadline": {"weeks"}, "languages": {o.ID}}
		if _, triggered, _ := watchoutState(t, c, "aspnet-core", "The smoothest path", a); !triggered {
			t.Errorf("a team knowing only %s, in weeks: ASP.NET Core's learning-curve watchout is not triggered", o.Label)
		}
		if o.Exclusive {
			continue
		}
		a["languages"] = []string{o.ID, "csharp"}
		if _, triggered, cost := watchoutState(t, c, "aspnet-core", "The smoothest path", a); triggered || cost != 0 {
			t.Errorf("a team knowing %s and C#, in weeks: ASP.NET Core's learning-curve watchout is triggered (cost %d)", o.Label, cost)
		}
	}
	if _, triggered, _ := watchoutState(t, c, "aspnet-core", "The smoothest path", catalog.Answers{"languages": {"java"}, "deadline": {"months"}}); triggered {
		t.Error("a Java team with months: ASP.NET Core's learning-curve watchout is triggered")
	}
	if _, triggered, _ := watchoutState(t, c, "phoenix", "Functional programming", catalog.Answers{"languages": {"elixir"}, "deadline": {"weeks"}}); triggered {
		t.Error("an Elixir team in weeks: Phoenix's onboarding watchout is triggered")
	}
	if _, triggered, _ := watchoutState(t, c, "phoenix", "Functional programming", catalog.Answers{"languages": {"ruby"}, "deadline": {"weeks"}}); !triggered {
		t.Error("a Ruby team in weeks: Phoenix's onboarding watchout is not triggered")
	}
}
