package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/dialog/storetest"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
	"github.com/stackpick/stackpick/internal/slackbot/admittest"
)

func TestContract(t *testing.T) {
	srv := redistest.Start(t)
	storetest.Run(t, func(t *testing.T) dialog.SessionStore {
		rdb := srv.Client(t)
		if err := rdb.FlushAll(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		return redisstore.New(rdb, time.Hour, "stackpick:")
	})
}

func TestSaveSetsTheTTLAndExpiryMeansNoSession(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	st := redisstore.New(rdb, 7*24*time.Hour, "stackpick:")
	k := dialog.Key{Team: "T1", User: "U1"}
	if _, err := st.Save(ctx, k, dialog.Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	ttl, err := rdb.PTTL(ctx, st.Key(k)).Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 6*24*time.Hour || ttl > 7*24*time.Hour {
		t.Fatalf("TTL after save = %v, want just under 7 days", ttl)
	}
	// Expiry is Redis deleting the key; do what it does.
	if err := rdb.Del(ctx, st.Key(k)).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(ctx, k); !errors.Is(err, dialog.ErrNoSession) {
		t.Fatalf("Load after expiry = %v, want ErrNoSession", err)
	}
	// A user who kept an old version in hand cannot resurrect the expired session.
	if _, err := st.Save(ctx, k, dialog.Session{ID: "s", Version: 1}); !errors.Is(err, dialog.ErrConflict) {
		t.Fatalf("Save with the pre-expiry version = %v, want ErrConflict", err)
	}
}

func TestARecordOfAnotherSchemaVersionIsRefused(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	st := redisstore.New(rdb, time.Hour, "stackpick:")
	k := dialog.Key{Team: "T1", User: "U1"}
	if err := rdb.HSet(ctx, st.Key(k), "ver", 3, "data", `{"v":99,"id":"future"}`).Err(); err != nil {
		t.Fatal(err)
	}
	_, err := st.Load(ctx, k)
	if err == nil || !strings.Contains(err.Error(), "schema version 99") {
		t.Fatalf("Load of a schema 99 record = %v, want a schema version error", err)
	}
}

// A record written before sessions held doubts, clarifications and undos is still schema 1: it
// loads as a session with none of them.
func TestARecordWithoutTheNewerFieldsLoads(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	st := redisstore.New(rdb, time.Hour, "stackpick:")
	k := dialog.Key{Team: "T1", User: "U1"}
	old := `{"v":1,"id":"old","n":3,"a":{"project":["mvp"]},"s":["hiring"],"c":"team","h":["project","hiring"],"t0":1,"t1":2}`
	if err := rdb.HSet(ctx, st.Key(k), "ver", 3, "data", old).Err(); err != nil {
		t.Fatal(err)
	}
	s, err := st.Load(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "old" || s.Current != "team" || fmt.Sprint(s.Answers) != "map[project:[mvp]]" || s.Unsure != nil || s.Pending != nil || s.Undo != nil {
		t.Fatalf("Load of an older record = %+v", s)
	}
}

func TestRedisDownIsAnErrorNotNoSession(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := redisstore.New(rdb, time.Hour, "stackpick:")
	srv.Stop()
	// A save keeps trying through a short outage; this one ends with the context.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := st.Load(ctx, dialog.Key{Team: "T", User: "U"})
	if err == nil || errors.Is(err, dialog.ErrNoSession) {
		t.Fatalf("Load with Redis down = %v, want a Redis error", err)
	}
	if _, err := st.Save(ctx, dialog.Key{Team: "T", User: "U"}, dialog.Session{}); err == nil || errors.Is(err, dialog.ErrConflict) {
		t.Fatalf("Save with Redis down = %v, want a Redis error", err)
	}
}

// A save that cannot reach Redis keeps trying, with the same write token, and lands once Redis is
// back: the reply it records may already be on the user's screen.
func TestASaveOutlastsAShortOutage(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	st := redisstore.New(srv.Client(t), time.Hour, "p:")
	k := dialog.Key{Team: "T", User: "U"}
	srv.Stop()
	saved := make(chan error, 1)
	go func() {
		_, err := st.Save(ctx, k, dialog.Session{ID: "s", Step: 1, Shown: 1})
		saved <- err
	}()
	srv.Restart(t)
	if err := <-saved; err != nil {
		t.Fatalf("a save through a short outage = %v, want it saved", err)
	}
	if s, err := st.Load(ctx, k); err != nil || s.ID != "s" || s.Version != 1 {
		t.Fatalf("after the outage, Load = %+v, %v; want the session saved once", s, err)
	}
}

func TestAdmissionContract(t *testing.T) {
	srv := redistest.Start(t)
	admittest.Run(t, func(t *testing.T) admittest.Store {
		rdb := srv.Client(t)
		if err := rdb.FlushAll(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		return redisstore.New(rdb, time.Hour, "stackpick:")
	})
}

// A failure inside the admission script fails the admission: a counter that is not a number is
// not a count of 0, and a session record that cannot be decoded is not "no session".
func TestAdmitReportsFailures(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	st := redisstore.New(rdb, time.Hour, "p:")
	k := dialog.Key{Team: "T", User: "U"}
	if err := rdb.Set(ctx, "{"+st.Key(k)+"}:rate:5", "not a number", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Admit(ctx, admit.Request{Key: k, Claim: "ev1", ClaimTTL: time.Minute, Limit: 10, Window: 5, WindowTTL: time.Minute}); err == nil {
		t.Fatalf("Admit over a counter that is not a number = %+v, nil; want an error", got)
	}
	if err := rdb.HSet(ctx, st.Key(k), "ver", 1, "data", "{not json").Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Admit(ctx, admit.Request{Key: k}); err == nil || !strings.Contains(err.Error(), "decode") {
		t.Fatalf("Admit of a bad record = %+v, %v; want a decode error", got, err)
	}
	if _, err := st.Admit(ctx, admit.Request{Key: dialog.Key{Team: "T", User: "V"}, Claim: "ev3", ClaimTTL: time.Minute, Limit: 10, Window: 5, WindowTTL: time.Minute}); err != nil {
		t.Fatalf("a won claim, a count and no session are no failure: %v", err)
	}
}

// Every key an admission writes expires: the claim after its TTL, the window after its own, which
// a later count does not extend. (The keys share the session's hash slot, which the contract's
// run on a real Cluster proves.)
func TestAdmissionKeysExpire(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	st := redisstore.New(rdb, time.Hour, "p:")
	k := dialog.Key{Team: "T", User: "U"}
	req := admit.Request{Key: k, Claim: "id", ClaimTTL: 15 * time.Minute, Limit: 10, Window: 9, WindowTTL: 2 * time.Minute}
	_, _ = st.Admit(ctx, req)
	req.Claim = "id2"
	_, _ = st.Admit(ctx, req) // a later count keeps the window's end
	for key, want := range map[string]time.Duration{"{" + st.Key(k) + "}:seen:id": 15 * time.Minute, "{" + st.Key(k) + "}:rate:9": 2 * time.Minute} {
		ttl, err := rdb.PTTL(ctx, key).Result()
		if err != nil || ttl <= want-time.Minute/2 || ttl > want {
			t.Errorf("PTTL(%s) = %v, %v; want just under %v", key, ttl, err, want)
		}
	}
}

// A write whose reply was lost is resent by go-redis; the scripts must treat the resend as the
// write it repeats. Running a script twice with the same token stands in for that resend.
func TestResentWritesAreRecognised(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	st := redisstore.New(rdb, time.Hour, "p:")
	k := dialog.Key{Team: "T", User: "U"}
	if _, err := st.Save(ctx, k, dialog.Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	args := []any{1, `{"v":1,"id":"s","n":2}`, 60000, "token-1", ""}
	first, err := redisstore.CASScript.Run(ctx, rdb, []string{st.Key(k)}, args...).Int64()
	if err != nil || first != 2 {
		t.Fatalf("first save = %d, %v; want version 2", first, err)
	}
	again, err := redisstore.CASScript.Run(ctx, rdb, []string{st.Key(k)}, args...).Int64()
	if err != nil || again != 2 {
		t.Fatalf("the resent save = %d, %v; want the version it made, 2", again, err)
	}
	other, _ := redisstore.CASScript.Run(ctx, rdb, []string{st.Key(k)}, 1, `{}`, 60000, "token-2", "").Int64()
	if other != -1 {
		t.Fatalf("another writer's save with the old version = %d, want -1 (conflict)", other)
	}

	claim := func(token string) bool {
		got, err := redisstore.AdmitWithToken(st, ctx, token, admit.Request{Key: k, Claim: "Ev1", ClaimTTL: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		return got.First
	}
	won, resent, lost := claim("a"), claim("a"), claim("b")
	if !won || !resent || lost {
		t.Fatalf("claims = %v, %v, %v; a claim must win, win again when resent, and lose to another delivery", won, resent, lost)
	}
}

// The Sentinel URL form finds the master through a real Sentinel, and every store operation
// (scripts, pipelines) works through the failover client.
func TestOpenThroughSentinel(t *testing.T) {
	ctx := context.Background()
	master := redistest.Start(t)
	sentinel := redistest.StartSentinel(t, master, "mymaster")
	open := func(t *testing.T, name string) (*redisstore.Client, error) {
		c, err := redisstore.Open(ctx, "redis://"+sentinel.Addr+"/0?master_name="+name, redisstore.Options{})
		if err == nil {
			t.Cleanup(func() { _ = c.Close() })
		}
		return c, err
	}
	if _, err := open(t, "nosuchmaster"); err == nil {
		t.Fatal("a master the Sentinel does not know was accepted")
	}
	flushed := master.Client(t)
	fresh := func(t *testing.T) *redisstore.Client {
		c, err := open(t, "mymaster")
		if err != nil {
			t.Fatal(err)
		}
		if err := flushed.FlushAll(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	storetest.Run(t, func(t *testing.T) dialog.SessionStore { return fresh(t).Store(time.Hour, "stackpick:") })
	admittest.Run(t, func(t *testing.T) admittest.Store { return fresh(t).Store(time.Hour, "stackpick:") })
}

// counts records what a Client reports.
type counts struct {
	mu     sync.Mutex
	trips  int
	failed []string
}

func (c *counts) RedisRoundTrip() { c.mu.Lock(); c.trips++; c.mu.Unlock() }
func (c *counts) RedisError(command string) {
	c.mu.Lock()
	c.failed = append(c.failed, command)
	c.mu.Unlock()
}

func (c *counts) snapshot() (int, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.trips, slices.Clone(c.failed)
}

// countedClient opens a Client on a fresh server whose round trips and failures m counts.
func countedClient(t *testing.T) (*redistest.Server, *redisstore.Client, *counts) {
	t.Helper()
	srv := redistest.Start(t)
	m := &counts{}
	c, err := redisstore.Open(context.Background(), "redis://"+srv.Addr+"/0", redisstore.Options{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return srv, c, m
}

// A Client counts a round trip per command and per pipeline, and each failed command by name;
// a missing key and a script not yet loaded are answers, not failures.
func TestOpenCountsRoundTripsAndFailedCommands(t *testing.T) {
	ctx := context.Background()
	srv, c, m := countedClient(t)
	st := c.Store(time.Hour, "p:")
	k := dialog.Key{Team: "T", User: "U"}
	// The first save loads the script (EVALSHA answers NOSCRIPT, then EVAL): two round trips.
	if _, err := st.Save(ctx, k, dialog.Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		name  string
		trips int
		do    func() error
	}{
		{"a load is one command", 1, func() error { _, err := st.Load(ctx, k); return err }},
		{"a load of nothing is one command", 1, func() error {
			if _, err := st.Load(ctx, dialog.Key{Team: "T", User: "nobody"}); !errors.Is(err, dialog.ErrNoSession) {
				return fmt.Errorf("load of nothing = %v, want ErrNoSession", err)
			}
			return nil
		}},
		{"a save with the script loaded is one command", 1, func() error {
			_, err := st.Save(ctx, k, dialog.Session{ID: "s", Version: 1})
			return err
		}},
		{"an admission is one script", 2, func() error { // loading it the first time: two
			_, err := st.Admit(ctx, admit.Request{Key: k, Claim: "E1", ClaimTTL: time.Minute, Limit: 10, Window: 1, WindowTTL: time.Minute, Turn: "t1", Live: time.Minute})
			return err
		}},
		{"an admission with the script loaded is one command", 1, func() error {
			_, err := st.Admit(ctx, admit.Request{Key: k, Claim: "E2", ClaimTTL: time.Minute, Limit: 10, Window: 1, WindowTTL: time.Minute, Turn: "t2", Live: time.Minute, Force: true})
			return err
		}},
		{"a ping is one command", 1, func() error { return c.Ping(ctx) }},
	} {
		before, _ := m.snapshot()
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if after, _ := m.snapshot(); after-before != step.trips {
			t.Errorf("%s: counted %d round trips, want %d", step.name, after-before, step.trips)
		}
	}
	if _, failed := m.snapshot(); len(failed) != 0 {
		t.Fatalf("failures counted while Redis was up: %v", failed)
	}

	srv.Stop()
	if _, err := st.Load(ctx, k); err == nil {
		t.Fatal("a load with Redis stopped succeeded")
	}
	if _, failed := m.snapshot(); !slices.Contains(failed, "hmget") {
		t.Errorf("failed commands counted with Redis stopped: %v, want hmget among them", failed)
	}
}
