package redisstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
)

// runAllowanceContract checks Allowances on a fresh Redis per subtest: open empties the Redis and
// returns a maker of Allowances with prefix "p:" on it (each with its own connection pool, as
// another replica has) and a client of it to look at the keys. Intervals are a minute, so that a
// test taking less than a minute sees every booked call still owed.
func runAllowanceContract(t *testing.T, open func(t *testing.T) (replica func() *redisstore.Allowance, _ redis.UniversalClient)) {
	ctx := context.Background()
	const interval = time.Minute
	const forever = time.Hour
	take := func(t *testing.T, a *redisstore.Allowance, key string, burst int, maxWait time.Duration) time.Duration {
		t.Helper()
		wait, err := a.Take(ctx, key, interval, burst, maxWait)
		if err != nil {
			t.Fatalf("Take(%s) = %v", key, err)
		}
		return wait
	}

	t.Run("a burst goes at once, then each call waits one interval more", func(t *testing.T) {
		replica, _ := open(t)
		a := replica()
		for i := range 3 {
			if w := take(t, a, "chat.update", 3, 0); w != 0 {
				t.Fatalf("call %d of a burst of 3 waits %v, want 0", i+1, w)
			}
		}
		refused := take(t, a, "chat.update", 3, 0)
		if refused <= 0 || refused > interval {
			t.Fatalf("the 4th call's wait = %v, want in (0, %v]", refused, interval)
		}
		// The refused call booked nothing: the next one waits as long, not an interval more.
		fourth := take(t, a, "chat.update", 3, forever)
		if fourth <= 0 || fourth > interval {
			t.Fatalf("the 4th call, booked, waits %v; want in (0, %v] (the refused call must book nothing)", fourth, interval)
		}
		fifth := take(t, a, "chat.update", 3, forever)
		if fifth <= interval || fifth > 2*interval || fifth-fourth > interval {
			t.Fatalf("the 5th call waits %v after the 4th's %v; want one interval (%v) more", fifth, fourth, interval)
		}
	})

	t.Run("keys have allowances of their own", func(t *testing.T) {
		replica, _ := open(t)
		a := replica()
		take(t, a, "chat.postMessage:C1", 1, 0)
		if w := take(t, a, "chat.postMessage:C1", 1, 0); w == 0 {
			t.Fatal("a burst of 1 allowed two calls")
		}
		if w := take(t, a, "chat.postMessage:C2", 1, 0); w != 0 {
			t.Fatalf("another channel's first call waits %v, want 0", w)
		}
	})

	t.Run("replicas racing for one allowance share it", func(t *testing.T) {
		const replicas, calls, burst = 8, 5, 10
		replica, _ := open(t)
		var wg sync.WaitGroup
		waits := make(chan time.Duration, replicas*calls)
		for range replicas {
			a := replica()
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range calls {
					w, err := a.Take(ctx, "conversations.open", interval, burst, 0)
					if err != nil {
						t.Error(err)
						return
					}
					waits <- w
				}
			}()
		}
		wg.Wait()
		close(waits)
		went := 0
		for w := range waits {
			if w == 0 {
				went++
			}
		}
		if went != burst {
			t.Fatalf("%d of %d racing calls went at once, want the burst, %d", went, replicas*calls, burst)
		}
	})

	t.Run("the key is prefixed and expires once the allowance is whole", func(t *testing.T) {
		replica, rdb := open(t)
		a := replica()
		for range 3 {
			take(t, a, "views.publish", 5, 0)
		}
		ttl, err := rdb.PTTL(ctx, "p:views.publish").Result()
		if err != nil {
			t.Fatal(err)
		}
		// Three calls booked: the allowance is whole again three intervals after the first.
		if ttl <= 2*interval || ttl > 3*interval {
			t.Fatalf("PTTL(p:views.publish) = %v, want in (%v, %v]", ttl, 2*interval, 3*interval)
		}
	})

	t.Run("a pace that cannot be kept is refused", func(t *testing.T) {
		replica, _ := open(t)
		a := replica()
		for _, tc := range []struct {
			interval time.Duration
			burst    int
		}{{0, 1}, {time.Second, 0}} {
			if _, err := a.Take(ctx, "k", tc.interval, tc.burst, forever); err == nil {
				t.Errorf("Take with interval %v and burst %d succeeded", tc.interval, tc.burst)
			}
		}
	})
}

func TestAllowanceContract(t *testing.T) {
	srv := redistest.Start(t)
	runAllowanceContract(t, func(t *testing.T) (func() *redisstore.Allowance, redis.UniversalClient) {
		rdb := srv.Client(t)
		if err := rdb.FlushAll(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		return func() *redisstore.Allowance { return redisstore.NewAllowance(srv.Client(t), "p:") }, rdb
	})
}

// A Take is one round trip once its script is loaded, and an error when Redis is down, never a
// wait of 0.
func TestAllowanceIsOneRoundTripAndFailsWithRedisDown(t *testing.T) {
	ctx := context.Background()
	srv, c, m := countedClient(t)
	a := c.Allowance("p:")
	if _, err := a.Take(ctx, "chat.update", time.Second, 1, 0); err != nil {
		t.Fatal(err)
	}
	before, _ := m.snapshot()
	if _, err := a.Take(ctx, "chat.update", time.Second, 1, 0); err != nil {
		t.Fatal(err)
	}
	if after, _ := m.snapshot(); after-before != 1 {
		t.Errorf("a Take counted %d round trips, want 1", after-before)
	}

	srv.Stop()
	if w, err := a.Take(ctx, "chat.update", time.Second, 1, time.Hour); err == nil {
		t.Fatalf("Take with Redis stopped = %v, nil; want an error", w)
	}
}
