package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/golden"
)

// fixture loads the small test catalog shared with the catalog package's tests.
func fixture(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.LoadDir(filepath.Join("..", "catalog", "testdata", "valid"))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// fakeStore holds the test's one conversation in memory. Once the conversation has started (its
// first save), Load answers load() and Save answers save() when they are set: that is how a test
// makes the store forget, refuse or fail in the middle of a conversation.
type fakeStore struct {
	mu    sync.Mutex
	s     *dialog.Session
	saves int
	load  func() error
	save  func() error
}

func (f *fakeStore) Load(_ context.Context, _ dialog.Key) (dialog.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.saves > 0 && f.load != nil {
		if err := f.load(); err != nil {
			return dialog.Session{}, err
		}
	}
	if f.s == nil {
		return dialog.Session{}, dialog.ErrNoSession
	}
	return *f.s, nil
}

func (f *fakeStore) Save(_ context.Context, _ dialog.Key, s dialog.Session) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.saves > 0 && f.save != nil {
		if err := f.save(); err != nil {
			return 0, err
		}
	}
	f.saves++
	s.Version++
	f.s = &s
	return s.Version, nil
}

// converse runs a piped console over store with the given input and returns what it wrote and
// what it logged.
func converse(t *testing.T, store dialog.SessionStore, kept bool, input string) (out, log string) {
	t.Helper()
	var o, l bytes.Buffer
	clock := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	err := Console{
		Engine: dialog.New(fixture(t), store, clock),
		Key:    dialog.Key{Team: "console", User: "tester"},
		In:     strings.NewReader(input),
		Out:    &o,
		Kept:   kept,
		Log:    zerolog.New(&l),
	}.Run(context.Background())
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	return o.String(), l.String()
}

// firstQuestion is how the console asks cat's first question.
func firstQuestion(cat *catalog.Catalog) string {
	return fmt.Sprintf("Question 1 of %d: %s", len(cat.Questions), cat.Questions[0].Text)
}

func TestTurnErrorsAreExplainedAndTheConversationGoesOn(t *testing.T) {
	cat := fixture(t)
	storeDown := errors.New("dial tcp 127.0.0.1:6379: connection refused")
	tests := []struct {
		name  string
		store *fakeStore
		// want appear in this order after the answer "1" is echoed
		want    []string
		wantLog string
	}{
		{
			name:  "an expired conversation starts afresh",
			store: &fakeStore{load: func() error { return dialog.ErrNoSession }},
			want:  []string{"> 1", "That conversation has expired, so here is a fresh one.", firstQuestion(cat), "> quit", byeLost},
		},
		{
			name:  "a conflicting save asks to send the answer again",
			store: &fakeStore{save: func() error { return dialog.ErrConflict }},
			want:  []string{"> 1", "That answer collided with another change to your conversation; please send it again.\n> quit", byeLost},
		},
		{
			name:    "a store that is down saves nothing and says so",
			store:   &fakeStore{load: func() error { return storeDown }},
			want:    []string{"> 1", "Sorry, I can't reach the session store right now, so nothing was saved. Try again in a moment.\n> quit", byeLost},
			wantLog: storeDown.Error(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, log := converse(t, tt.store, false, "1\nquit\n")
			// compared without line breaks: the console wraps its own lines like the replies
			rest := unwrap(out)
			rest = rest[strings.Index(rest, firstQuestion(cat))+1:] // past the greeting's question
			for _, w := range tt.want {
				w = unwrap(w)
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("after the greeting, the transcript lacks %q (in this order %q):\n%s", w, tt.want, out)
				}
				rest = rest[i+len(w):]
			}
			if tt.wantLog != "" && !strings.Contains(log, tt.wantLog) || tt.wantLog == "" && log != "" {
				t.Errorf("log = %q, want it to hold %q", log, tt.wantLog)
			}
		})
	}
}

func TestLeavingTellsTheTruthAboutWhatIsKept(t *testing.T) {
	for _, tt := range []struct {
		name  string
		kept  bool
		input string
		want  string // "" : no goodbye
	}{
		{"quit with a shared store", true, "quit\n", byeKept},
		{"quit with the memory store", false, "QUIT\n", byeLost},
		{"bye, spelt as people do", false, "  Bye \n", byeLost},
		{"the end of piped input leaves the transcript as it is", true, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := converse(t, &fakeStore{}, tt.kept, tt.input)
			for _, bye := range []string{byeKept, byeLost} {
				// the goodbye is wrapped like every other line: compare without line breaks
				if got := strings.Contains(unwrap(out), bye); got != (bye == tt.want) {
					t.Errorf("transcript holds %q: %v, want %v:\n%s", bye, got, bye == tt.want, out)
				}
			}
		})
	}
}

// unwrap undoes wrap's line breaks for comparison: a newline followed by indentation is a space.
func unwrap(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func TestCancellingEndsTheConsoleWhileItWaitsForInput(t *testing.T) {
	// A pipe nobody writes to: the read blocks, as stdin does while nobody types.
	r, w := io.Pipe()
	t.Cleanup(func() { _ = w.Close() }) // releases the reading goroutine after the test
	ctx, cancel := context.WithCancel(context.Background())
	greeted := make(chan struct{})
	out := &notifyWriter{after: firstQuestion(fixture(t)), done: greeted}
	result := make(chan error, 1)
	go func() {
		result <- Console{
			Engine: dialog.New(fixture(t), &fakeStore{}, time.Now),
			Key:    dialog.Key{Team: "console", User: "tester"},
			In:     r,
			Out:    out,
			Kept:   true,
			Log:    zerolog.Nop(),
		}.Run(ctx)
	}()
	<-greeted
	cancel() // what SIGINT does to the run context when the input is piped
	select {
	case err := <-result:
		if err != nil {
			t.Errorf("Run = %v, want nil (leaving is not an error)", err)
		}
	case <-time.After(time.Minute): // a deadlock guard, not a timing assertion
		t.Fatal("Run is still waiting for input after its context was cancelled")
	}
	if got := unwrap(out.String()); !strings.HasSuffix(got, byeKept) {
		t.Errorf("transcript ends %q, want the goodbye %q", got[max(0, len(got)-len(byeKept)):], byeKept)
	}
}

// notifyWriter collects output and closes done once it holds after.
type notifyWriter struct {
	mu    sync.Mutex
	b     bytes.Buffer
	after string
	done  chan struct{}
	once  sync.Once
}

func (n *notifyWriter) Write(p []byte) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.b.Write(p)
	if strings.Contains(n.b.String(), n.after) {
		n.once.Do(func() { close(n.done) })
	}
	return len(p), nil
}

func (n *notifyWriter) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.b.String()
}

// A whole piped conversation on the fixture catalog, byte for byte: the echo of each line, the
// wrapping at DefaultWidth and the result. Run go test ./internal/console -update to accept a
// change.
func TestAPipedTranscriptIsStable(t *testing.T) {
	cat := fixture(t)
	var input strings.Builder
	input.WriteString("help\n")
	for range cat.Questions {
		input.WriteString("1\n") // every question's first option
	}
	input.WriteString("status\n")
	out, _ := converse(t, &fakeStore{}, false, input.String())
	transcript(t, "piped.golden", out)
}

// transcript checks that out fits DefaultWidth and equals testdata/name (which -update rewrites).
func transcript(t *testing.T, name, out string) {
	t.Helper()
	for i, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > DefaultWidth {
			t.Errorf("line %d is %d columns wide, more than %d: %q", i+1, n, DefaultWidth, l)
		}
	}
	golden.Check(t, name, out)
}
