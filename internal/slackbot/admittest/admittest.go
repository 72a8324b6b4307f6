// Package admittest is the contract every store behind slackbot's admission port must meet (see
// package admit): run Run from the store's own tests, against a fresh store per subtest.
package admittest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
)

// Store is what slackbot calls on its store: admissions and releases, beside the sessions they
// read and mark.
type Store interface {
	dialog.SessionStore
	Admit(ctx context.Context, req admit.Request) (admit.Result, error)
	Release(ctx context.Context, k dialog.Key, turn string) error
}

var alice = dialog.Key{Team: "T1", User: "U1"}

// Run runs the contract against stores made by open; each subtest gets a fresh store.
func Run(t *testing.T, open func(t *testing.T) Store) {
	ctx := context.Background()
	admitOK := func(t *testing.T, st Store, req admit.Request) admit.Result {
		t.Helper()
		got, err := st.Admit(ctx, req)
		if err != nil {
			t.Fatalf("Admit(%+v) = %v", req, err)
		}
		return got
	}
	withSession := func(t *testing.T) Store {
		t.Helper()
		st := open(t)
		if _, err := st.Save(ctx, alice, dialog.Session{ID: "s1", Step: 3, Shown: 3, Current: "team"}); err != nil {
			t.Fatal(err)
		}
		return st
	}
	t.Run("an empty admission wins, counts nothing and finds no session", func(t *testing.T) {
		got := admitOK(t, open(t), admit.Request{Key: alice})
		if !got.First || got.Count != 0 || got.Exists || got.Busy || got.Interrupted {
			t.Fatalf("Admit = %+v; want First, no count, no session", got)
		}
	})
	t.Run("the session is read back with its version", func(t *testing.T) {
		got := admitOK(t, withSession(t), admit.Request{Key: alice})
		if !got.Exists || got.Session.ID != "s1" || got.Session.Version != 1 || got.Session.Current != "team" || got.Session.Shown != 3 {
			t.Fatalf("Admit read %+v (exists %v); want the saved session at version 1", got.Session, got.Exists)
		}
	})
	t.Run("only the first of racing claims wins", func(t *testing.T) {
		st := open(t)
		const racers = 16
		var wg sync.WaitGroup
		wins := make(chan bool, racers)
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := st.Admit(ctx, admit.Request{Key: alice, Claim: "Ev1", ClaimTTL: time.Hour})
				if err != nil {
					t.Error(err)
				}
				wins <- got.First
			}()
		}
		wg.Wait()
		close(wins)
		n := 0
		for w := range wins {
			if w {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d claims of one id won, want 1", n)
		}
	})
	t.Run("racing counts are all counted", func(t *testing.T) {
		st := open(t)
		const racers = 16
		req := admit.Request{Key: alice, Limit: 100, Window: 7, WindowTTL: time.Hour}
		var wg sync.WaitGroup
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := st.Admit(ctx, req); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if got := admitOK(t, st, req); got.Count != racers+1 {
			t.Fatalf("count after %d racing counts = %d; want %d", racers, got.Count, racers+1)
		}
		req.Window = 8
		if got := admitOK(t, st, req); got.Count != 1 {
			t.Fatalf("a new window starts at %d, want 1", got.Count)
		}
	})
	t.Run("a redelivery is not counted, reads nothing and marks nothing", func(t *testing.T) {
		st := withSession(t)
		req := admit.Request{Key: alice, Claim: "Ev2", ClaimTTL: time.Hour, Limit: 100, Window: 1, WindowTTL: time.Hour, Turn: "a", Live: time.Hour}
		if got := admitOK(t, st, req); !got.First || got.Count != 1 || !got.Exists {
			t.Fatalf("first delivery = %+v; want First, a count of 1 and the session", got)
		}
		if err := st.Release(ctx, alice, "a"); err != nil {
			t.Fatal(err)
		}
		req.Turn = "b"
		if got := admitOK(t, st, req); got.First || got.Count != 0 || got.Exists {
			t.Fatalf("redelivery = %+v; want not First, uncounted, nothing read", got)
		}
		req.Claim, req.Turn = "Ev3", "c"
		if got := admitOK(t, st, req); !got.First || got.Count != 2 || got.Busy {
			t.Fatalf("the next delivery = %+v; want First and a count of 2 (the redelivery uncounted), not busy", got)
		}
	})
	t.Run("a turn past the limit is counted but neither reads nor marks", func(t *testing.T) {
		st := withSession(t)
		req := admit.Request{Key: alice, Limit: 1, Window: 1, WindowTTL: time.Hour, Turn: "a", Live: time.Hour}
		admitOK(t, st, req)
		if err := st.Release(ctx, alice, "a"); err != nil {
			t.Fatal(err)
		}
		req.Turn = "b"
		if got := admitOK(t, st, req); got.Count != 2 || got.Exists {
			t.Fatalf("turn past the limit = %+v; want a count of 2 and no session", got)
		}
		req.Limit, req.Turn = 0, "c"
		if got := admitOK(t, st, req); got.Busy || got.Interrupted {
			t.Fatalf("after a refused turn, the next one = %+v: the refused turn left a mark", got)
		}
	})
	t.Run("a live mark makes the next turn busy until it saves or is released", func(t *testing.T) {
		st := withSession(t)
		first := admitOK(t, st, admit.Request{Key: alice, Turn: "a", Live: time.Hour})
		if first.Busy || first.Interrupted || first.Session.Turn != "a" {
			t.Fatalf("first turn = %+v; want marked with its token, not busy", first)
		}
		second := admitOK(t, st, admit.Request{Key: alice, Turn: "b", Live: time.Hour})
		if !second.Busy || second.Interrupted {
			t.Fatalf("second turn while the first is live = %+v; want busy", second)
		}
		if _, err := st.Save(ctx, alice, first.Session); err != nil {
			t.Fatal(err)
		}
		third := admitOK(t, st, admit.Request{Key: alice, Turn: "b", Live: time.Hour})
		if third.Busy || third.Interrupted || third.Session.Version != 2 {
			t.Fatalf("after the first turn saved, the next = %+v; want the new version, not busy", third)
		}
		if err := st.Release(ctx, alice, "b"); err != nil {
			t.Fatal(err)
		}
		if got := admitOK(t, st, admit.Request{Key: alice, Turn: "c", Live: time.Hour}); got.Busy || got.Interrupted {
			t.Fatalf("after a release, the next = %+v; want not busy", got)
		}
	})
	t.Run("another turn's save or release leaves the mark", func(t *testing.T) {
		st := withSession(t)
		loaded := admitOK(t, st, admit.Request{Key: alice}).Session
		admitOK(t, st, admit.Request{Key: alice, Turn: "a", Live: time.Hour})
		if err := st.Release(ctx, alice, "z"); err != nil {
			t.Fatal(err)
		}
		loaded.Turn = "z"
		if _, err := st.Save(ctx, alice, loaded); err != nil {
			t.Fatal(err)
		}
		if got := admitOK(t, st, admit.Request{Key: alice, Turn: "b", Live: time.Hour}); !got.Busy {
			t.Fatalf("turn a's mark did not survive another turn's release and save: %+v", got)
		}
	})
	t.Run("a dead mark, or one taken by force, means an interrupted turn", func(t *testing.T) {
		st := withSession(t)
		admitOK(t, st, admit.Request{Key: alice, Turn: "a", Live: time.Hour})
		if got := admitOK(t, st, admit.Request{Key: alice, Turn: "b", Live: time.Hour, Force: true}); got.Busy || !got.Interrupted || got.Session.Turn != "b" {
			t.Fatalf("forced admission = %+v; want interrupted and marked b", got)
		}
		// With Live 0 every mark is dead: the one b left was never released.
		if got := admitOK(t, st, admit.Request{Key: alice, Turn: "c"}); got.Busy || !got.Interrupted {
			t.Fatalf("admission over a dead mark = %+v; want interrupted", got)
		}
		if got := admitOK(t, st, admit.Request{Key: alice, Turn: "c"}); got.Interrupted || got.Busy {
			t.Fatalf("a turn finding its own mark (a resent admission) = %+v; want neither busy nor interrupted", got)
		}
	})
	t.Run("a turn that may start a conversation marks it too", func(t *testing.T) {
		st := open(t)
		first := admitOK(t, st, admit.Request{Key: alice, Turn: "a", Live: time.Hour})
		if first.Exists || first.Busy || first.Interrupted || first.Session.Turn != "a" {
			t.Fatalf("first turn = %+v; want no session, marked with its token", first)
		}
		if got := admitOK(t, st, admit.Request{Key: alice, Turn: "b", Live: time.Hour}); !got.Busy || got.Exists {
			t.Fatalf("second turn while the first may be starting the conversation = %+v; want busy", got)
		}
		if _, err := st.Load(ctx, alice); !errors.Is(err, dialog.ErrNoSession) {
			t.Fatalf("a mark alone loads as %v, want ErrNoSession", err)
		}
		started := first.Session
		started.ID = "s"
		if _, err := st.Save(ctx, alice, started); err != nil {
			t.Fatal(err)
		}
		if got := admitOK(t, st, admit.Request{Key: alice, Turn: "b", Live: time.Hour}); got.Busy || got.Interrupted || !got.Exists {
			t.Fatalf("after the first turn saved the new conversation, the next = %+v; want it, not busy", got)
		}
	})
}
