package dialog

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// The reader's tests run on the catalog in testdata/catalog, whose words are made for them (see
// the comment at the top of its questions.yaml). What the shipped words make of the way people
// write is the acceptance suite's business (config/), with its corpus.

// loadCatalog loads the dialog tests' catalog.
func loadCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.LoadDir("testdata/catalog")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testDay is "now" for the reader's tests: deadlines such as "by Q3" are counted from it.
var testDay = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// read is what u says, in a short notation: "team=small", "ask", "unsure=team",
// "clarify=small|large", "command=skip", "change=deadline=weeks", "other".
func read(u Understanding) string {
	answers := func(a catalog.Answers) string {
		var parts []string
		for _, q := range slices.Sorted(maps.Keys(a)) {
			parts = append(parts, q+"="+strings.Join(a[q], "+"))
		}
		return strings.Join(parts, " ")
	}
	switch u.Intent {
	case IntentAnswer:
		return answers(u.Answers)
	case IntentAskBack:
		return "ask=" + u.Question + ":" + strings.Join(u.Focus, "+")
	case IntentUnsure:
		return strings.TrimSpace("unsure=" + strings.Join(u.Unsure, "+") + " " + answers(u.Answers))
	case IntentClarify:
		var opts []string
		for _, c := range u.Candidates {
			opts = append(opts, c.Option)
		}
		return "clarify=" + strings.Join(opts, "|")
	case IntentCommand:
		switch {
		case u.Command != "change":
			return "command=" + u.Command
		case len(u.Answers) > 0:
			return "change=" + answers(u.Answers)
		case u.Unread:
			return "change=" + u.Question + ":unread"
		}
		return "change=" + u.Question
	}
	switch {
	case len(u.Uncovered) > 0:
		return "uncovered=" + strings.Join(u.Uncovered, "+")
	case u.OutOfRange:
		return "out of range"
	case u.Chat:
		return "chat"
	}
	return "other"
}

func TestTheReader(t *testing.T) {
	lx := compileLexicon(loadCatalog(t))
	tests := []struct {
		name     string
		question string // "" at the shortlist
		text     string
		want     string
		answered catalog.Answers
		pending  []string
	}{
		// Options by number, label, id, synonym, cue and pattern.
		{"a number", "languages", "2", "languages=python", nil, nil},
		{"numbers with a comma", "languages", "1, 3", "languages=go+typescript", nil, nil},
		{"numbers with and", "languages", "2 and 3", "languages=python+typescript", nil, nil},
		{"a number past the options", "languages", "9", "out of range", nil, nil},
		{"an option number", "project", "option 2", "project=service", nil, nil},
		{"a hash and a number", "project", "#3", "project=proxy", nil, nil},
		{"an ordinal", "project", "the second one", "project=service", nil, nil},
		{"the last", "project", "the last one", "project=proxy", nil, nil},
		{"the first two", "languages", "the first two", "languages=go+python", nil, nil},
		{"a number word", "project", "two", "project=service", nil, nil},
		{"a label", "languages", "TypeScript", "languages=typescript", nil, nil},
		{"an id typed with a space", "deadline", "long term, really", "deadline=long_term", nil, nil},
		{"cues of a several-choice question", "languages", "we're mostly a Python and TypeScript shop", "languages=python+typescript", nil, nil},
		{"a synonym in a short answer", "languages", "py mostly", "languages=python", nil, nil},
		{"an exclusive option beside a concrete one", "languages", "python, or none really", "languages=python", nil, nil},
		{"all of them", "languages", "all of them", "languages=go+python+typescript", nil, nil},
		{"all but one", "languages", "everything except typescript", "languages=go+python", nil, nil},
		{"a pattern", "team", "a one-person shop", "team=solo", nil, nil},
		{"a whole synonym another option contains", "hiring", "no", "hiring=no", nil, nil},
		{"two options of a one-choice question", "team", "small, maybe large later", "clarify=small|large", nil, nil},
		{"the same synonym in two options", "startup", "fine", "startup=no", nil, nil},

		// Negation, dismissal, phrases inside longer ones, what is being left.
		{"a negated cue", "languages", "we don't write python any more, mostly typescript", "languages=typescript", nil, nil},
		{"a negated synonym and a cue", "hiring", "we're not hiring", "hiring=no", nil, nil},
		{"a dismissed cue", "startup", "boot time doesn't matter", "startup=no", nil, nil},
		{"a phrase inside a longer one counts once", "architecture", "we want a modular monolith", "architecture=modular", nil, nil},
		{"what is being left is not an answer", "languages", "typescript, but we're moving off python", "languages=typescript", nil, nil},
		{"a legacy system named in a description", "project", "replace a legacy python monolith with a web service; the go team will do it", "languages=go project=service", nil, nil},
		{"an idiom is not an answer", "languages", "let's go with python", "languages=python", nil, nil},

		// Amounts.
		{"a head count", "team", "3 of us", "team=small", nil, nil},
		{"a bare number is a head count", "team", "3", "team=small", nil, nil},
		{"a marked number is an option number", "team", "option 3", "team=large", nil, nil},
		{"a head count in words", "team", "a dozen engineers", "team=large", nil, nil},
		{"teams counted", "team", "two teams", "team=large", nil, nil},
		{"teams with their size", "team", "two teams of 2", "team=small", nil, nil},
		{"a head count of skills is not the team", "team", "just me, but two people know python", "team=solo", nil, nil},
		{"a hedged head count at a boundary", "team", "~6", "clarify=small|large", nil, nil},
		{"a head count read for another question", "project", "a prototype, 3 devs", "project=prototype team=small", nil, nil},
		{"a duration", "deadline", "in 6 weeks", "deadline=weeks", nil, nil},
		{"a longer duration", "deadline", "18 months", "deadline=long_term", nil, nil},
		{"a duration and a half", "deadline", "a month and a half", "deadline=weeks", nil, nil},
		{"a quarter", "deadline", "by Q1", "deadline=long_term", nil, nil},
		{"the end of the year", "deadline", "end of year", "deadline=weeks", nil, nil},
		{"a month", "deadline", "by january", "deadline=weeks", nil, nil},
		{"a season and a year", "deadline", "summer 2027", "deadline=long_term", nil, nil},
		{"a number alone at a dated question", "deadline", "6", "clarify=weeks|long_term", nil, nil},
		{"the earliest deadline is the first version's", "deadline", "3 weeks for a demo, the rest in 2 years", "deadline=weeks", nil, nil},
		{"years of experience are not a deadline", "project", "a web service, the go team has 10 years of experience", "languages=go project=service", nil, nil},
		{"a date without a deadline word, read for another question", "project", "a web service; hiring more next year", "project=service", nil, nil},

		// Typos.
		{"a typo", "languages", "pyhton mostly", "languages=python", nil, nil},
		{"a typo with swapped letters", "languages", "typescirpt", "languages=typescript", nil, nil},
		{"two typos in a long word", "languages", "tpyescirpt", "languages=typescript", nil, nil},
		{"two typos in a shorter word are too many", "languages", "pyhtno", "other", nil, nil},
		{"a typo that fits two words is fixed by the next word", "architecture", "moduler monolith", "architecture=modular", nil, nil},
		{"a singular of a cue", "architecture", "a microservice", "architecture=split", nil, nil},

		// Doubt.
		{"doubt", "team", "no idea", "unsure=team", nil, nil},
		{"doubt is not no", "hiring", "not sure", "unsure=hiring", nil, nil},
		{"doubt with an answer anyway", "languages", "not sure, python i guess", "languages=python", nil, nil},
		{"doubt about another question", "languages", "not sure if we're hiring", "unsure=hiring", nil, nil},
		{"doubt about the question named before it", "team", "hiring is still up in the air", "unsure=hiring", nil, nil},
		{"depends is about the question asked", "team", "depends on the hiring", "unsure=team", nil, nil},
		{"doubt at a question with an undecided option", "architecture", "dunno", "architecture=undecided", nil, nil},

		// Questions back.
		{"a question back", "architecture", "what is a modular monolith?", "ask=architecture:modular", nil, nil},
		{"a question back without a question mark", "hiring", "should we hire", "ask=hiring:", nil, nil},
		{"a question back about another question", "project", "what does startup time mean", "ask=startup:", nil, nil},
		{"an answer with a question mark", "languages", "python?", "languages=python", nil, nil},

		// Clarifications.
		{"a clarification answered by number", "team", "2", "team=large", nil, []string{"small", "large"}},
		{"a clarification answered by ordinal", "team", "the first one", "team=small", nil, []string{"small", "large"}},
		{"a clarification answered by name", "team", "large", "team=large", nil, []string{"small", "large"}},
		{"both asks again", "team", "both", "clarify=small|large", nil, []string{"small", "large"}},

		// Commands and changes.
		{"a command", "team", "skip", "command=skip", nil, nil},
		{"a command with fillers", "team", "oops, undo that pls", "command=undo", nil, nil},
		{"change to", "team", "change the deadline to 6 weeks", "change=deadline=weeks", nil, nil},
		{"change without to", "team", "change deadline asap", "change=deadline=weeks", nil, nil},
		{"change a question by number", "team", "change 4 to 1 week", "change=deadline=weeks", nil, nil},
		{"change with nothing after", "team", "change languages", "change=languages", nil, nil},
		{"change with an unreadable answer", "team", "change languages to banana", "change=languages:unread", nil, nil},
		{"change an unknown question", "team", "change colour to blue", "change=", nil, nil},
		{"make it", "hiring", "make it 8 devs", "change=team=large", nil, nil},
		{"add", "team", "add go", "change=languages=go+python", catalog.Answers{"languages": {"python"}}, nil},
		{"drop", "team", "drop python", "change=languages=go", catalog.Answers{"languages": {"go", "python"}}, nil},
		{"remove an answer", "team", "remove the hiring answer", "change=hiring=", catalog.Answers{"hiring": {"no"}}, nil},
		{"change to add", "team", "change languages to add go", "change=languages=go+python", catalog.Answers{"languages": {"python"}}, nil},
		{"a correction", "hiring", "actually we're 8 devs now", "change=team=large", catalog.Answers{"team": {"small"}}, nil},
		{"after the shortlist, what changed", "", "we're hiring after all", "change=hiring=yes", catalog.Answers{"hiring": {"no"}}, nil},
		{"set up is not a change", "architecture", "set up microservices", "architecture=split", nil, nil},

		// The rest.
		{"an unlisted language", "languages", "rust", "uncovered=rust", nil, nil},
		{"small talk", "team", "thanks!", "chat", nil, nil},
		{"nothing", "project", "banana", "other", nil, nil},
		{"empty", "project", "", "other", nil, nil},
		{"earlier questions are not answered again", "hiring", "yes, python devs", "hiring=yes", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := lx.understand(Point{Question: tt.question, Answers: tt.answered, Pending: tt.pending}, tt.text, testDay)
			if got := read(u); got != tt.want {
				t.Errorf("at %q, %q reads as %q; want %q (%+v)", tt.question, tt.text, got, tt.want, u)
			}
		})
	}
}

func TestTheReaderSaysWhatItCorrectedAndRead(t *testing.T) {
	lx := compileLexicon(loadCatalog(t))
	u := lx.understand(Point{Question: "languages"}, "pyhton and typescirpt, 3 devs", testDay)
	want := []Correction{{"pyhton", "python"}, {"typescirpt", "typescript"}}
	if !slices.Equal(u.Corrections, want) {
		t.Errorf("corrections = %v, want %v", u.Corrections, want)
	}
	if got := u.Readings["team"]; got != "3 people" {
		t.Errorf("team read as %q, want %q", got, "3 people")
	}
	if u.Exact {
		t.Error("an answer read from a sentence is marked exact")
	}
	if u := lx.understand(Point{Question: "languages"}, "Python", testDay); !u.Exact {
		t.Error("a label is not marked exact")
	}
	if u := lx.understand(Point{Question: "architecture"}, "modulars", testDay); u.Exact || len(u.Corrections) > 0 {
		t.Errorf("a plural of a synonym is marked exact or reported as a typo: %+v", u)
	}
}

// A number alone at the team question is a head count, read back with the option number it
// could also have been; one that reads as its own option either way ("1": one person, and
// option 1) was not inferred, so it is exact and has no reading to confirm.
func TestABareNumberIsReadBackUnlessBothReadingsAgree(t *testing.T) {
	cat := loadCatalog(t)
	lx := compileLexicon(cat)
	if u := lx.understand(Point{Question: "team"}, "3", testDay); u.Exact || u.Readings["team"] != "3 people (for option 3, say option 3)" {
		t.Errorf(`"3" at the team question: exact %v, read as %q`, u.Exact, u.Readings["team"])
	}
	for _, text := range []string{"1", "2."} {
		if u := lx.understand(Point{Question: "team"}, text, testDay); !u.Exact || len(u.Readings) > 0 || len(u.Answers["team"]) != 1 {
			t.Errorf("%q at the team question: exact %v, readings %v, answers %v; want exact, unread, one option", text, u.Exact, u.Readings, u.Answers)
		}
	}
	team, _ := cat.Question("team")
	if got := sayBare(quantity{value: 1}, team); got != "1 person (for option 1, say option 1)" {
		t.Errorf("one person reads back as %q", got)
	}
}
