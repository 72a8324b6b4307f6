package dialog

import (
	"slices"
	"strconv"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
)

// The parser's tests run on the catalog in testdata/catalog, whose cues, synonyms and patterns
// are made for them (see the comment at the top of its questions.yaml). What the shipped words
// mean is the acceptance suite's business (config/).

// loadCatalog loads the dialog tests' catalog.
func loadCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.LoadDir("testdata/catalog")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// question returns c's question qid, failing the test when the catalog lacks it.
func question(t testing.TB, c *catalog.Catalog, qid string) *catalog.Question {
	t.Helper()
	q, ok := c.Question(qid)
	if !ok {
		t.Fatalf("the catalog has no question %q", qid)
	}
	return q
}

func TestParseAnswer(t *testing.T) {
	c := loadCatalog(t)
	tooHigh := func(qid string) string { return strconv.Itoa(len(question(t, c, qid).Options) + 1) }
	tests := []struct {
		name, question, text string
		want                 []string
		outcome              parseOutcome
	}{
		{"cues of a several-choice question", "languages", "we're mostly a Python and TypeScript shop", []string{"python", "typescript"}, parsedOK},
		{"a label alone", "languages", "TypeScript", []string{"typescript"}, parsedOK},
		{"a cue of several words", "languages", "it is all written in Go", []string{"go"}, parsedOK},
		{"a synonym in a longer answer", "languages", "py mostly", []string{"python"}, parsedOK},
		{"a negated cue", "languages", "we don't write python any more, mostly typescript", []string{"typescript"}, parsedOK},
		{"an id alone", "languages", "go", []string{"go"}, parsedOK},
		{"an exclusive option alone", "languages", "none", []string{"none"}, parsedOK},
		{"an exclusive option beside a concrete one", "languages", "python, or none really", []string{"python"}, parsedOK},
		{"numbers with a comma", "languages", "1, 3", []string{"go", "typescript"}, parsedOK},
		{"numbers with and", "languages", "2 and 3", []string{"python", "typescript"}, parsedOK},
		{"a number past the options", "languages", tooHigh("languages"), nil, parsedOutOfRange},
		{"a number", "team", "2", []string{"small"}, parsedOK},
		{"zero", "team", "0", nil, parsedOutOfRange},
		{"a pattern with digits", "team", "3 devs", []string{"small"}, parsedOK},
		{"a pattern with words", "team", "three people", []string{"small"}, parsedOK},
		{"a synonym of several words", "team", "just me", []string{"solo"}, parsedOK},
		{"a pattern for the largest option", "team", "20 developers in two groups", []string{"large"}, parsedOK},
		{"the whole label with punctuation", "team", "A few people (2-5)", []string{"small"}, parsedOK},
		{"two options of a one-choice question", "team", "small, maybe large later", []string{"small", "large"}, parsedAmbiguous},
		{"a pattern in a sentence", "deadline", "we launch in 3 weeks", []string{"weeks"}, parsedOK},
		{"an id with an underscore", "deadline", "long_term", []string{"long_term"}, parsedOK},
		{"an id typed with a space", "deadline", "long term, really", []string{"long_term"}, parsedOK},
		{"a label with an exclamation mark", "deadline", "Within weeks!", []string{"weeks"}, parsedOK},
		{"typographic quotes", "deadline", "No rush, it’s a long-term build", []string{"long_term"}, parsedOK},
		{"a whole synonym that another option also contains", "hiring", "no", []string{"no"}, parsedOK},
		{"a synonym with a full stop", "hiring", "Yes.", []string{"yes"}, parsedOK},
		{"a negated synonym and a cue", "hiring", "we're not hiring", []string{"no"}, parsedOK},
		{"a cue", "hiring", "we're hiring", []string{"yes"}, parsedOK},
		{"a dismissed cue", "startup", "boot time doesn't matter", []string{"no"}, parsedOK},
		{"a dismissed cue and nothing else", "startup", "fast boot doesn't matter much", nil, parsedNone},
		{"a cue that is not dismissed", "startup", "we scale down at night, so boot time matters", []string{"yes"}, parsedOK},
		{"a phrase inside a longer one counts once", "architecture", "we want a modular monolith", []string{"modular"}, parsedOK},
		{"a negated cue beside another", "architecture", "no microservices, one monolith", []string{"monolith"}, parsedOK},
		{"nothing", "project", "banana", nil, parsedNone},
		{"empty", "project", "", nil, parsedNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := question(t, c, tt.question)
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
		name   string
		text   string
		want   catalog.Answers
		unsure []string
	}{
		{"cues and patterns of several questions", "a prototype in Python, 3 devs, ship in 2 weeks", catalog.Answers{
			"project": {"prototype"}, "languages": {"python"}, "team": {"small"}, "deadline": {"weeks"},
		}, nil},
		{"cues of several words", "our go team builds a reverse proxy for a big team of users", catalog.Answers{
			"project": {"proxy"}, "languages": {"go"}, "team": {"large"},
		}, nil},
		{"negations and a phrase inside another", "no microservices: a modular monolith, and we're not hiring", catalog.Answers{
			"architecture": {"modular"}, "hiring": {"no"},
		}, nil},
		{"a dismissed cue", "a prototype; fast boot is not a concern", catalog.Answers{"project": {"prototype"}}, nil},
		{"synonyms count only in direct answers", "yes, a demo in ts, asap, just me", catalog.Answers{}, nil},
		{"two options of a one-choice question", "a prototype, maybe a web service later", catalog.Answers{}, []string{question(t, c, "project").Short}},
		{"nothing", "hello there", catalog.Answers{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unsure := extract(c, tt.text, func(string) bool { return true })
			if len(got) != len(tt.want) {
				t.Errorf("extract(%q) = %v, want %v", tt.text, got, tt.want)
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

func TestExtractSkipsTheQuestionsNotWanted(t *testing.T) {
	c := loadCatalog(t)
	got, _ := extract(c, "a prototype in Python", func(qid string) bool { return qid != "project" })
	if _, ok := got["project"]; ok || !slices.Equal(got["languages"], []string{"python"}) {
		t.Errorf("extract without project = %v, want only languages: [python]", got)
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
	last := len(c.Questions)
	for ref, want := range map[string]string{
		"size":                        "team", // an alias
		"team":                        "team", // the id
		"Team Size":                   "team", // the short name, in any case
		"2":                           c.Questions[1].ID,
		"question 2":                  c.Questions[1].ID,
		strconv.Itoa(last):            c.Questions[last-1].ID,
		"Boot":                        "startup",
		"startup time":                "startup",
		"question " + strconv.Itoa(1): c.Questions[0].ID,
		"recruiting":                  "hiring",
	} {
		if q, ok := findQuestion(c, ref); !ok || q.ID != want {
			t.Errorf("findQuestion(%q) = %v, %v; want %s", ref, q, ok, want)
		}
	}
	for _, ref := range []string{"colour", "0", strconv.Itoa(last + 1), ""} {
		if q, ok := findQuestion(c, ref); ok {
			t.Errorf("findQuestion(%q) = %s, want none", ref, q.ID)
		}
	}
}
