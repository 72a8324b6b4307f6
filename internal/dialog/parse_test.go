package dialog

import (
	"slices"
	"testing"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
)

func loadCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseAnswer(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		question, text string
		want           []string
		outcome        parseOutcome
	}{
		{"languages", "we're mostly a Python and TypeScript shop", []string{"python", "typescript"}, parsedOK},
		{"languages", "JavaScript", []string{"javascript"}, parsedOK},
		{"languages", "Java", []string{"java"}, parsedOK},
		{"languages", "C# and .NET, some node", []string{"csharp", "javascript"}, parsedOK},
		{"languages", "we don't use java any more, mostly kotlin", []string{"kotlin"}, parsedOK},
		{"languages", "golang", []string{"go"}, parsedOK},
		{"languages", "go", []string{"go"}, parsedOK},
		{"languages", "none", []string{"none"}, parsedOK},
		{"languages", "python, or none really", []string{"python"}, parsedOK},
		{"languages", "1, 3", []string{"java", "csharp"}, parsedOK},
		{"languages", "4 and 6", []string{"python", "typescript"}, parsedOK},
		{"languages", "12", nil, parsedOutOfRange},
		{"team", "2", []string{"small"}, parsedOK},
		{"team", "0", nil, parsedOutOfRange},
		{"team", "4 devs", []string{"small"}, parsedOK},
		{"team", "four engineers", []string{"small"}, parsedOK},
		{"team", "just me", []string{"solo"}, parsedOK},
		{"team", "25 engineers across three squads", []string{"large"}, parsedOK},
		{"team", "A small team (2-10)", []string{"small"}, parsedOK},
		{"team", "small, maybe large later", []string{"small", "large"}, parsedAmbiguous},
		{"deadline", "we launch in 6 weeks", []string{"weeks"}, parsedOK},
		{"deadline", "in 3 months", []string{"months"}, parsedOK},
		{"deadline", "two years", []string{"long_term"}, parsedOK},
		{"deadline", "long_term", []string{"long_term"}, parsedOK},
		{"deadline", "Within weeks!", []string{"weeks"}, parsedOK},
		{"hiring", "no", []string{"no"}, parsedOK},
		{"hiring", "Yes.", []string{"yes"}, parsedOK},
		{"hiring", "we're not hiring", []string{"no"}, parsedOK},
		{"hiring", "we're hiring", []string{"yes"}, parsedOK},
		{"typing", "not important", []string{"not_important"}, parsedOK},
		{"typing", "type safety is a must", []string{"important"}, parsedOK},
		{"scale", "small", []string{"small"}, parsedOK},
		{"scale", "millions of users", []string{"massive"}, parsedOK},
		{"footprint", "cold starts don't matter", []string{"no"}, parsedOK},
		{"footprint", "we scale to zero, so cold starts matter", []string{"yes"}, parsedOK},
		{"compliance", "GDPR and SOC 2", []string{"regulated"}, parsedOK},
		{"hosting", "AWS Lambda", []string{"serverless_edge"}, parsedOK},
		{"architecture", "no microservices, one monolith", []string{"monolith"}, parsedOK},
		{"project", "banana", nil, parsedNone},
		{"project", "", nil, parsedNone},
	}
	for _, tt := range tests {
		t.Run(tt.question+"/"+tt.text, func(t *testing.T) {
			q, _ := c.Question(tt.question)
			got, outcome := parseAnswer(q, tt.text)
			if outcome != tt.outcome || (outcome != parsedNone && outcome != parsedOutOfRange && !slices.Equal(got, tt.want)) {
				t.Errorf("parseAnswer(%s, %q) = %v, %v; want %v, %v", tt.question, tt.text, got, outcome, tt.want, tt.outcome)
			}
		})
	}
}

func TestExtractFromADescription(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		text   string
		want   catalog.Answers
		unsure []string
	}{
		{"a B2B SaaS in Python, 4 devs, launch in 6 weeks, EU customers", catalog.Answers{
			"project": {"saas"}, "languages": {"python"}, "team": {"small"}, "deadline": {"weeks"}, "compliance": {"regulated"},
		}, nil},
		{"We're a Go shop building an API gateway on Kubernetes for millions of users", catalog.Answers{
			"project": {"gateway"}, "languages": {"go"}, "hosting": {"containers"}, "scale": {"massive"},
		}, nil},
		{"no microservices: a modular monolith, and we're not hiring", catalog.Answers{
			"architecture": {"modular"}, "hiring": {"no"},
		}, nil},
		{"an MVP, maybe a SaaS later", catalog.Answers{}, []string{"project"}},
		{"hello there", catalog.Answers{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, unsure := extract(c, tt.text, func(string) bool { return true })
			if len(got) != len(tt.want) {
				t.Errorf("extract = %v, want %v", got, tt.want)
			}
			for q, opts := range tt.want {
				if !slices.Equal(got[q], opts) {
					t.Errorf("extract[%s] = %v, want %v (all: %v)", q, got[q], opts, got)
				}
			}
			if !slices.Equal(unsure, tt.unsure) {
				t.Errorf("unsure = %v, want %v", unsure, tt.unsure)
			}
		})
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text     string
		ok       bool
		action   Action
		question string
		answer   string
	}{
		{"skip", true, ActSkip, "", ""},
		{"Back.", true, ActBack, "", ""},
		{"  START OVER ", true, ActRestart, "", ""},
		{"help!", true, ActHelp, "", ""},
		{"?", true, ActHelp, "", ""},
		{"done", true, ActFinish, "", ""},
		{"status", true, ActStatus, "", ""},
		{"change traffic to massive", true, ActChange, "traffic", "massive"},
		{"Change team size to just me", true, ActChange, "team size", "just me"},
		{"set team: small", true, ActChange, "team", "small"},
		{"change 5", true, ActChange, "5", ""},
		{"python", false, 0, "", ""},
		{"skip the ORM please", false, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cmd, ok := parseCommand(tt.text)
			if ok != tt.ok || cmd.action != tt.action || cmd.question != tt.question || cmd.answer != tt.answer {
				t.Errorf("parseCommand(%q) = %+v, %v; want %v %q %q, %v", tt.text, cmd, ok, tt.action, tt.question, tt.answer, tt.ok)
			}
		})
	}
}

func TestFindQuestion(t *testing.T) {
	c := loadCatalog(t)
	for ref, want := range map[string]string{
		"traffic": "scale", "scale": "scale", "5": "scale", "question 5": "scale", "Team Size": "team",
		"deploy": "hosting", "languages": "languages", "latency": "performance",
	} {
		if q, ok := findQuestion(c, ref); !ok || q.ID != want {
			t.Errorf("findQuestion(%q) = %v, %v; want %s", ref, q, ok, want)
		}
	}
	for _, ref := range []string{"colour", "0", "15", ""} {
		if q, ok := findQuestion(c, ref); ok {
			t.Errorf("findQuestion(%q) = %s, want none", ref, q.ID)
		}
	}
}
