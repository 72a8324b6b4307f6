package config_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
)

// What the shipped words mean. The parser's mechanisms (negation, dismissal, numbers, phrases
// inside longer ones) are tested in internal/dialog on a fixture; these cases pin what the shipped
// cues, synonyms, patterns and aliases make of the way people actually write.

// fact is how the engine confirms an answer back: "<short>: <label>, <label>".
func fact(t testing.TB, cat *catalog.Catalog, qid string, oids ...string) string {
	t.Helper()
	q := question(t, cat, qid)
	return q.Short + ": " + strings.Join(q.Labels(oids), ", ")
}

// outcome is how an answer to the open question was read.
type outcome int

const (
	answered  outcome = iota // saved as the options in want
	ambiguous                // several options of a one-choice question: the user is asked which
	tooHigh                  // a number past the options
	unread                   // nothing in it answers the question
)

func TestTheShippedWordsAnswerTheirQuestion(t *testing.T) {
	cat := shippedCatalog(t)
	tests := []struct {
		question, text string
		want           []string
		outcome        outcome
	}{
		{"project", "an MVP", []string{"mvp"}, answered},
		{"project", "content site", []string{"content"}, answered},
		{"project", "banana", nil, unread},
		{"project", "", nil, unread},
		{"languages", "we're mostly a Python and TypeScript shop", []string{"python", "typescript"}, answered},
		{"languages", "JavaScript", []string{"javascript"}, answered},
		{"languages", "Java", []string{"java"}, answered},
		{"languages", "C# and .NET, some node", []string{"csharp", "javascript"}, answered},
		{"languages", "we don't use java any more, mostly kotlin", []string{"kotlin"}, answered},
		{"languages", "golang", []string{"go"}, answered},
		{"languages", "go", []string{"go"}, answered},
		{"languages", "python, go", []string{"python", "go"}, answered},
		{"languages", "none", []string{"none"}, answered},
		{"languages", "python, or none really", []string{"python"}, answered},
		{"languages", "1, 3", []string{"java", "csharp"}, answered},
		{"languages", "4 and 6", []string{"python", "typescript"}, answered},
		{"languages", "12", nil, tooHigh},
		{"team", "2", []string{"small"}, answered},
		{"team", "0", nil, unread}, // a head count of nobody
		{"team", "option 4", nil, tooHigh},
		{"team", "3", []string{"small"}, answered},  // a head count, not option 3
		{"scale", "2", []string{"small"}, answered}, // two users; "option 2" is the option
		{"scale", "option 2", []string{"growing"}, answered},
		{"scale", "5000", []string{"growing"}, answered},
		{"team", "4 devs", []string{"small"}, answered},
		{"team", "four engineers", []string{"small"}, answered},
		{"team", "just me", []string{"solo"}, answered},
		{"team", "25 engineers across three squads", []string{"large"}, answered},
		{"team", "A small team (2-9)", []string{"small"}, answered},
		{"team", "small, maybe large later", []string{"small", "large"}, ambiguous},
		{"team", "small or large", []string{"small", "large"}, ambiguous},
		{"team", "weeks", nil, unread},
		{"deadline", "we launch in 6 weeks", []string{"weeks"}, answered},
		{"deadline", "in 3 months", []string{"months"}, answered},
		{"deadline", "two years", []string{"long_term"}, answered},
		{"deadline", "long_term", []string{"long_term"}, answered},
		{"deadline", "Within weeks!", []string{"weeks"}, answered},
		{"scale", "small", []string{"small"}, answered},
		{"scale", "millions of users", []string{"massive"}, answered},
		{"scale", "enormous amounts maybe", []string{"massive"}, answered},
		{"hiring", "no", []string{"no"}, answered},
		{"hiring", "Yes.", []string{"yes"}, answered},
		{"hiring", "we're not hiring", []string{"no"}, answered},
		{"hiring", "we're hiring", []string{"yes"}, answered},
		{"typing", "not important", []string{"not_important"}, answered},
		{"typing", "type safety is a must", []string{"important"}, answered},
		{"footprint", "cold starts don't matter", []string{"no"}, answered},
		{"footprint", "we scale to zero, so cold starts matter", []string{"yes"}, answered},
		{"compliance", "GDPR and SOC 2", []string{"regulated"}, answered},
		{"hosting", "AWS Lambda", []string{"serverless_edge"}, answered},
		{"architecture", "no microservices, one monolith", []string{"monolith"}, answered},
	}
	for _, tt := range tests {
		t.Run(tt.question+"/"+tt.text, func(t *testing.T) {
			c := newChat(t, cat)
			c.open(tt.question)
			r := c.say(tt.text)
			got := c.session().Answers[tt.question]
			q := question(t, cat, tt.question)
			switch tt.outcome {
			case answered:
				if !slices.Equal(got, tt.want) {
					t.Errorf("%s: %q saved %v, want %v; notes %v", tt.question, tt.text, got, tt.want, r.Notes)
				}
				return
			case ambiguous:
				var offered []string
				for i, l := range q.Labels(tt.want) {
					offered = append(offered, fmt.Sprintf("%d %s", i+1, l))
				}
				if which := strings.Join(offered, ", "); !noted(r, dialog.NoteUnclear, which) {
					t.Errorf("%s: %q is not asked back as %q: %v", tt.question, tt.text, which, r.Notes)
				}
			case tooHigh:
				if !noted(r, dialog.NoteUnclear, fmt.Sprintf("from 1 to %d", len(q.Options))) {
					t.Errorf("%s: %q is not refused as out of range: %v", tt.question, tt.text, r.Notes)
				}
			case unread:
				if !noted(r, dialog.NoteUnclear, "about "+q.Short) {
					t.Errorf("%s: %q is not reported unread: %v", tt.question, tt.text, r.Notes)
				}
			}
			if got != nil {
				t.Errorf("%s: %q saved %v, want nothing", tt.question, tt.text, got)
			}
		})
	}
}

// An opening description picks up every question it clearly settles (cues, patterns and amounts);
// an answer the description leaves in doubt is asked later.
func TestTheShippedCuesFillInADescription(t *testing.T) {
	cat := shippedCatalog(t)
	tests := []struct {
		text   string
		want   catalog.Answers
		unsure []string // question ids
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
		{"python; a small team, maybe several teams later", catalog.Answers{"languages": {"python"}}, []string{"team"}},
		{"hello there", catalog.Answers{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			c := newChat(t, cat)
			r := c.do(dialog.Input{Action: dialog.ActStart, Text: tt.text})
			got := c.session().Answers
			if len(got) != len(tt.want) {
				t.Errorf("answers = %v, want %v", got, tt.want)
			}
			for q, opts := range tt.want {
				if !slices.Equal(got[q], opts) {
					t.Errorf("%s = %v, want %v (all: %v)", q, got[q], opts, got)
				}
			}
			for _, qid := range tt.unsure {
				if !noted(r, dialog.NoteInfo, "I wasn't sure about "+question(t, cat, qid).Short) {
					t.Errorf("no doubt about %s reported: %v", qid, r.Notes)
				}
			}
		})
	}
}

func TestAnOpeningDescriptionPrefills(t *testing.T) {
	cat := shippedCatalog(t)
	c := newChat(t, cat)
	r := c.do(dialog.Input{Action: dialog.ActStart, Text: "an AI product in Python on AWS Lambda"})
	want := strings.Join([]string{
		fact(t, cat, "project", "ai"), fact(t, cat, "languages", "python"), fact(t, cat, "hosting", "serverless_edge"),
	}, "; ")
	if !noted(r, dialog.NoteSaved, want) {
		t.Fatalf("opening description not confirmed as %q: %v", want, r.Notes)
	}
	if r.Ask == nil || r.Ask.QuestionID != "team" {
		t.Fatalf("after the description the bot asks %+v, want team", r.Ask)
	}
}

// The promise of the README: the shipped checklist often takes five turns when the user writes
// freely.
func TestAFreeTextConversationTakesFiveTurns(t *testing.T) {
	cat := shippedCatalog(t)
	c := newChat(t, cat)
	c.do(dialog.Input{Action: dialog.ActStart})
	r := c.say("a B2B SaaS in Python, 4 devs, launch in 6 weeks, EU customers")
	for _, confirmed := range []string{
		fact(t, cat, "project", "saas"), fact(t, cat, "languages", "python"), fact(t, cat, "team", "small") + ", from 4 people",
		fact(t, cat, "deadline", "weeks") + ", from about 6 weeks", fact(t, cat, "compliance", "regulated"),
	} {
		if !noted(r, dialog.NoteSaved, confirmed) {
			t.Fatalf("the description was not confirmed back with %q: %v", confirmed, r.Notes)
		}
	}
	if r.Ask == nil || r.Ask.QuestionID != "scale" {
		t.Fatalf("after the description the bot asks %+v, want scale", r.Ask)
	}
	for _, turn := range []struct{ text, next string }{
		{"thousands of users, fast responses matter, mostly CRUD plus background jobs, a modular monolith", "hosting"},
		{"kubernetes; batteries included; we're hiring; type safety is a must", "footprint"},
	} {
		r = c.say(turn.text)
		if r.Ask == nil || r.Ask.QuestionID != turn.next {
			t.Fatalf("after %q the bot asks %+v, want %s", turn.text, r.Ask, turn.next)
		}
	}
	r = c.say("cold starts don't matter")
	if r.Result == nil {
		t.Fatalf("five turns did not finish the checklist; asking %+v", r.Ask)
	}
	want := catalog.Answers{
		"project": {"saas"}, "languages": {"python"}, "team": {"small"}, "deadline": {"weeks"}, "compliance": {"regulated"},
		"scale": {"growing"}, "performance": {"important"}, "workload": {"crud", "batch"}, "architecture": {"modular"},
		"hosting": {"containers"}, "batteries": {"batteries"}, "hiring": {"yes"}, "typing": {"important"}, "footprint": {"no"},
	}
	if got := c.session().Answers; !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("answers = %v, want %v", got, want)
	}
}

func TestTheShippedAliasesNameTheirQuestion(t *testing.T) {
	cat := shippedCatalog(t)
	for ref, want := range map[string]string{
		"traffic": "scale", "scale": "scale", "5": "scale", "question 5": "scale", "Team Size": "team",
		"deploy": "hosting", "languages": "languages", "latency": "performance",
	} {
		c := newChat(t, cat)
		c.do(dialog.Input{Action: dialog.ActStart})
		if r := c.say("change " + ref); r.Ask == nil || r.Ask.QuestionID != want {
			t.Errorf("change %s asks %+v, want %s", ref, r.Ask, want)
		}
	}
}

func TestAChangeByAliasReadsTheShippedWords(t *testing.T) {
	cat := shippedCatalog(t)
	c := newChat(t, cat)
	c.do(dialog.Input{Action: dialog.ActStart})
	c.say("2")
	c.say("python")
	r := c.say("change traffic to enormous amounts maybe")
	if !noted(r, dialog.NoteSaved, "Changed "+fact(t, cat, "scale", "massive")) {
		t.Fatalf("change by alias: %v", r.Notes)
	}
	c.say("change traffic to purple")
	if got := c.session().Answers["scale"]; !slices.Equal(got, []string{"massive"}) {
		t.Fatalf("a change that reads as nothing altered the answer: %v", got)
	}
}

// The first seed-based expectation a user meets: what is being built moves the top pick.
func TestChangingAnMVPIntoAGatewayChangesTheTopPick(t *testing.T) {
	cat := shippedCatalog(t)
	c := newChat(t, cat)
	c.do(dialog.Input{Action: dialog.ActStart})
	c.say("an MVP")
	r := c.say("done")
	if r.Result == nil {
		t.Fatal("done did not rank")
	}
	before := r.Result.Shortlist[0].ID
	r = c.say("change project to gateway")
	if r.Result == nil {
		t.Fatalf("a change after the result did not re-rank: %+v", r)
	}
	if after := r.Result.Shortlist[0].ID; after == before {
		t.Fatalf("changing an MVP into a gateway left %s first", before)
	}
}
