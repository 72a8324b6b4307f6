package memstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/dialog/storetest"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
	"github.com/stackpick/stackpick/internal/slackbot/admittest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) dialog.SessionStore { return memstore.New(time.Hour, time.Now) })
}

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestSessionsExpireAfterTheTTLSinceTheLastSave(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st := memstore.New(7*24*time.Hour, clk.now)
	k := dialog.Key{Team: "T", User: "U"}
	if _, err := st.Save(ctx, k, dialog.Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	clk.advance(6 * 24 * time.Hour)
	s, err := st.Load(ctx, k)
	if err != nil {
		t.Fatalf("Load after 6 days = %v, want the session", err)
	}
	if _, err := st.Save(ctx, k, s); err != nil { // a save renews the TTL
		t.Fatal(err)
	}
	clk.advance(6 * 24 * time.Hour)
	if _, err := st.Load(ctx, k); err != nil {
		t.Fatalf("Load 6 days after the renewing save = %v, want the session", err)
	}
	clk.advance(24 * time.Hour)
	if _, err := st.Load(ctx, k); !errors.Is(err, dialog.ErrNoSession) {
		t.Fatalf("Load 7 days after the last save = %v, want ErrNoSession", err)
	}
	if v, err := st.Save(ctx, k, dialog.Session{ID: "new"}); err != nil || v != 1 {
		t.Fatalf("Save of a new session after expiry = %d, %v; want 1, nil", v, err)
	}
}

func TestAdmissionContract(t *testing.T) {
	admittest.Run(t, func(t *testing.T) admittest.Store { return memstore.New(time.Hour, time.Now) })
}

func TestClaimsAndCountsExpire(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st := memstore.New(time.Hour, clk.now)
	req := admit.Request{Key: dialog.Key{Team: "T", User: "U"}, Claim: "id", ClaimTTL: time.Minute, Limit: 10, Window: 1, WindowTTL: time.Minute}
	if got, _ := st.Admit(ctx, req); !got.First || got.Count != 1 {
		t.Fatalf("first admission = %+v; want a won claim and a count of 1", got)
	}
	if got, _ := st.Admit(ctx, req); got.First {
		t.Fatalf("a redelivery within the claim's TTL won: %+v", got)
	}
	clk.advance(time.Minute)
	if got, _ := st.Admit(ctx, req); !got.First || got.Count != 1 {
		t.Errorf("after the TTL, admission = %+v; the claim and the counter must have expired", got)
	}
}
