package dialog

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// memStore is the smallest SessionStore, so the fuzzer exercises the engine alone.
type memStore struct{ s *Session }

func (m *memStore) Load(context.Context, Key) (Session, error) {
	if m.s == nil {
		return Session{}, ErrNoSession
	}
	return m.s.Clone(), nil
}

func (m *memStore) Save(_ context.Context, _ Key, s Session) (int64, error) {
	s = s.Clone()
	s.Version++
	m.s = &s
	return s.Version, nil
}

// FuzzParseAnswer reads any text as an answer to every question of the test catalog and as a
// description: only the question's own options come back, and a one-choice question never gets
// more than one.
func FuzzParseAnswer(f *testing.F) {
	for _, seed := range []string{"we're mostly a Python and TypeScript shop", "1, 3", "12", "3 devs", "not hiring",
		"no microservices: a modular monolith", "boot time doesn't matter", "", "   ", "c#", ".net", "\x00\xff", "9999999999999999999999"} {
		f.Add(seed)
	}
	c := loadCatalog(f)
	f.Fuzz(func(t *testing.T, text string) {
		for qi := range c.Questions {
			q := &c.Questions[qi]
			ids, outcome := parseAnswer(q, text)
			for _, id := range ids {
				if _, ok := q.Option(id); !ok {
					t.Fatalf("%s: parseAnswer(%q) returned unknown option %q", q.ID, text, id)
				}
			}
			if outcome == parsedOK && q.Kind == catalog.One && len(ids) != 1 {
				t.Fatalf("%s: parseAnswer(%q) = %v for a one-choice question", q.ID, text, ids)
			}
		}
		found, _ := extract(c, text, func(string) bool { return true })
		for qid, ids := range found {
			q, _ := c.Question(qid)
			if q.Kind == catalog.One && len(ids) != 1 {
				t.Fatalf("extract(%q)[%s] = %v", text, qid, ids)
			}
		}
		_, _ = parseCommand(text)
		_, _ = findQuestion(c, text)
	})
}

// FuzzTurn sends any text through the engine: no panic, no error, and nothing the user typed comes
// back in a reply.
func FuzzTurn(f *testing.F) {
	for _, seed := range []string{"<!channel> python", "change size to <@U123>", "back", "skip", "done", "restart",
		"a prototype in Python, 3 devs, ship in 2 weeks", "/giphy", strings.Repeat("é", MaxInputRunes+1)} {
		f.Add(seed)
	}
	c := loadCatalog(f)
	f.Fuzz(func(t *testing.T, text string) {
		now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
		eng := New(c, &memStore{}, now)
		k := Key{Team: "T", User: "U"}
		if _, err := eng.Handle(context.Background(), k, Input{Action: ActStart}); err != nil {
			t.Fatal(err)
		}
		for _, in := range []Input{{Action: ActText, Text: text}, {Action: ActStart, Text: text}, {Action: ActText, Text: "done"}, {Action: ActText, Text: text}} {
			r, err := eng.Handle(context.Background(), k, in)
			if err != nil {
				t.Fatalf("Handle(%q): %v", in.Text, err)
			}
			// Replies are built from the config only; a mention could only come from the user.
			for _, n := range r.Notes {
				if strings.Contains(n.Text, "<!") || strings.Contains(n.Text, "<@") {
					t.Fatalf("a note echoes user text: %q", n.Text)
				}
			}
		}
	})
}
