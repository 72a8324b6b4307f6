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

// FuzzUnderstand reads any text at every question of the test catalog and after the shortlist:
// only known questions and options come back, a one-choice question never gets more than one, and
// a clarification offers options of the open question.
func FuzzUnderstand(f *testing.F) {
	for _, seed := range []string{"we're mostly a Python and TypeScript shop", "1, 3", "12", "3 devs", "not hiring",
		"no microservices: a modular monolith", "boot time doesn't matter", "", "   ", "c#", ".net", "\x00\xff",
		"9999999999999999999999", "change 4 to ~1e9 weeks", "the first 99", "q3 2099", "half a half a million"} {
		f.Add(seed)
	}
	c := loadCatalog(f)
	lx := compileLexicon(c)
	f.Fuzz(func(t *testing.T, text string) {
		at := []string{""}
		for _, q := range c.Questions {
			at = append(at, q.ID)
		}
		for _, at := range at {
			u := lx.understand(Point{Question: at, Pending: nil}, text, testDay)
			if err := c.CheckAnswers(nonEmpty(u.Answers)); err != nil {
				t.Fatalf("at %q, %q: %v", at, text, err)
			}
			for _, cand := range u.Candidates {
				q, _ := c.Question(at)
				if _, ok := q.Option(cand.Option); cand.Question != at || !ok {
					t.Fatalf("at %q, %q offers %+v", at, text, cand)
				}
			}
		}
	})
}

// nonEmpty drops cleared answers, which a change may return.
func nonEmpty(a catalog.Answers) catalog.Answers {
	out := catalog.Answers{}
	for q, opts := range a {
		if len(opts) > 0 {
			out[q] = opts
		}
	}
	return out
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
