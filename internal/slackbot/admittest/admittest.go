// Package admittest is the contract every store behind slackbot's admission port must meet (see
// package admit): run Run from the store's own tests, against a fresh store per subtest.
package admittest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/slackbot/admit"
)

// Store is what slackbot calls on its record store: admissions and the thread-record write.
type Store interface {
	Admit(ctx context.Context, req admit.Request) (admit.Result, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// Run runs the contract against stores made by open; each subtest gets a fresh store.
func Run(t *testing.T, open func(t *testing.T) Store) {
	ctx := context.Background()
	t.Run("an empty admission wins, counts nothing and reads nothing", func(t *testing.T) {
		got, err := open(t).Admit(ctx, admit.Request{})
		if err != nil || !got.First || got.Count != 0 || got.Value != nil {
			t.Fatalf("Admit({}) = %+v, %v; want First, no count, no value", got, err)
		}
	})
	t.Run("reading a missing key finds nothing", func(t *testing.T) {
		if got, err := open(t).Admit(ctx, admit.Request{Read: "nope"}); got.Value != nil || err != nil {
			t.Fatalf("reading a missing key = %q, %v; want nil", got.Value, err)
		}
	})
	t.Run("set then read, and a copy is returned", func(t *testing.T) {
		kv := open(t)
		val := []byte("thread record")
		if err := kv.Set(ctx, "k", val, time.Hour); err != nil {
			t.Fatal(err)
		}
		val[0] = 'X'
		got, err := kv.Admit(ctx, admit.Request{Read: "k"})
		if err != nil || string(got.Value) != "thread record" {
			t.Fatalf("read = %q, %v", got.Value, err)
		}
		got.Value[0] = 'Y'
		if again, _ := kv.Admit(ctx, admit.Request{Read: "k"}); string(again.Value) != "thread record" {
			t.Fatalf("changing a read value changed the stored one: %q", again.Value)
		}
	})
	t.Run("a set replaces the value", func(t *testing.T) {
		kv := open(t)
		for _, v := range []string{"one", "two"} {
			if err := kv.Set(ctx, "k", []byte(v), time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := kv.Admit(ctx, admit.Request{Read: "k"}); err != nil || string(got.Value) != "two" {
			t.Fatalf("read after two sets = %q, %v; want the second", got.Value, err)
		}
	})
	t.Run("only the first of racing claims wins", func(t *testing.T) {
		kv := open(t)
		const racers = 16
		var wg sync.WaitGroup
		wins := make(chan bool, racers)
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := kv.Admit(ctx, admit.Request{Claim: "event:Ev1", ClaimTTL: time.Hour})
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
		kv := open(t)
		const racers = 16
		var wg sync.WaitGroup
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := kv.Admit(ctx, admit.Request{Count: "rate", Window: time.Hour}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if got, err := kv.Admit(ctx, admit.Request{Count: "rate", Window: time.Hour}); err != nil || got.Count != racers+1 {
			t.Fatalf("count after %d racing counts = %d, %v; want %d", racers, got.Count, err, racers+1)
		}
		if got, _ := kv.Admit(ctx, admit.Request{Count: "rate2", Window: time.Hour}); got.Count != 1 {
			t.Fatalf("a new counter starts at %d, want 1", got.Count)
		}
	})
	t.Run("one admission claims, counts and reads together", func(t *testing.T) {
		kv := open(t)
		if err := kv.Set(ctx, "thread", []byte("record"), time.Hour); err != nil {
			t.Fatal(err)
		}
		req := admit.Request{Claim: "event:Ev2", ClaimTTL: time.Hour, Count: "rate", Window: time.Hour, Read: "thread"}
		got, err := kv.Admit(ctx, req)
		if err != nil || !got.First || got.Count != 1 || string(got.Value) != "record" {
			t.Fatalf("Admit = %+v, %v; want First, 1, \"record\"", got, err)
		}
		req.Read = "missing"
		got, err = kv.Admit(ctx, req)
		if err != nil || got.First || got.Count != 2 || got.Value != nil {
			t.Fatalf("second Admit = %+v, %v; want a redelivery, 2, nil", got, err)
		}
	})
}
