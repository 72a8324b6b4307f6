package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// KV is the key-value store front ends keep beside sessions (see slackbot.KV).
type KV interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	Count(ctx context.Context, key string, ttl time.Duration) (int64, error)
}

// RunKV runs the KV contract against stores made by open; each subtest gets a fresh store.
func RunKV(t *testing.T, open func(t *testing.T) KV) {
	ctx := context.Background()
	t.Run("get of a missing key is not found", func(t *testing.T) {
		if _, ok, err := open(t).Get(ctx, "nope"); ok || err != nil {
			t.Fatalf("Get = %v, %v", ok, err)
		}
	})
	t.Run("set then get, and a copy is returned", func(t *testing.T) {
		kv := open(t)
		val := []byte("thread record")
		if err := kv.Set(ctx, "k", val, time.Hour); err != nil {
			t.Fatal(err)
		}
		val[0] = 'X'
		got, ok, err := kv.Get(ctx, "k")
		if !ok || err != nil || string(got) != "thread record" {
			t.Fatalf("Get = %q, %v, %v", got, ok, err)
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
				ok, err := kv.Claim(ctx, "event:Ev1", time.Hour)
				if err != nil {
					t.Error(err)
				}
				wins <- ok
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
				if _, err := kv.Count(ctx, "rate", time.Hour); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n, err := kv.Count(ctx, "rate", time.Hour); err != nil || n != racers+1 {
			t.Fatalf("Count after %d racing counts = %d, %v; want %d", racers, n, err, racers+1)
		}
		if n, _ := kv.Count(ctx, fmt.Sprint("rate", 2), time.Hour); n != 1 {
			t.Fatalf("a new counter starts at %d, want 1", n)
		}
	})
}
