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
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	Admit(ctx context.Context, claimKey string, claimTTL time.Duration, countKey string, countTTL time.Duration, readKey string) (first bool, n int64, val []byte, err error)
}

// RunKV runs the KV contract against stores made by open; each subtest gets a fresh store.
func RunKV(t *testing.T, open func(t *testing.T) KV) {
	ctx := context.Background()
	t.Run("get of a missing key is not found", func(t *testing.T) {
		if _, _, val, err := open(t).Admit(ctx, "", 0, "", 0, "nope"); val != nil || err != nil {
			t.Fatalf("reading a missing key = %q, %v; want nil", val, err)
		}
	})
	t.Run("set then get, and a copy is returned", func(t *testing.T) {
		kv := open(t)
		val := []byte("thread record")
		if err := kv.Set(ctx, "k", val, time.Hour); err != nil {
			t.Fatal(err)
		}
		val[0] = 'X'
		_, _, got, err := kv.Admit(ctx, "", 0, "", 0, "k")
		if err != nil || string(got) != "thread record" {
			t.Fatalf("read = %q, %v", got, err)
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
				ok, _, _, err := kv.Admit(ctx, "event:Ev1", time.Hour, "", 0, "")
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
				if _, _, _, err := kv.Admit(ctx, "", 0, "rate", time.Hour, ""); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if _, n, _, err := kv.Admit(ctx, "", 0, "rate", time.Hour, ""); err != nil || n != racers+1 {
			t.Fatalf("count after %d racing counts = %d, %v; want %d", racers, n, err, racers+1)
		}
		if _, n, _, _ := kv.Admit(ctx, "", 0, fmt.Sprint("rate", 2), time.Hour, ""); n != 1 {
			t.Fatalf("a new counter starts at %d, want 1", n)
		}
	})
	t.Run("one admission claims, counts and reads together", func(t *testing.T) {
		kv := open(t)
		if err := kv.Set(ctx, "thread", []byte("record"), time.Hour); err != nil {
			t.Fatal(err)
		}
		first, n, val, err := kv.Admit(ctx, "event:Ev2", time.Hour, "rate", time.Hour, "thread")
		if err != nil || !first || n != 1 || string(val) != "record" {
			t.Fatalf("Admit = %v, %d, %q, %v; want true, 1, \"record\"", first, n, val, err)
		}
		first, n, val, err = kv.Admit(ctx, "event:Ev2", time.Hour, "rate", time.Hour, "missing")
		if err != nil || first || n != 2 || val != nil {
			t.Fatalf("second Admit = %v, %d, %q, %v; want false (redelivery), 2, nil", first, n, val, err)
		}
	})
}
