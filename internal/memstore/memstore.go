// Package memstore keeps dialog sessions in process memory: the embedded default when no Redis
// is configured. Sessions do not survive a restart and are not shared between replicas. It also
// answers slackbot's admissions (package admit) on the same sessions, as redisstore does.
package memstore

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
)

// sweepEvery is how many writes pass between sweeps of expired entries.
const sweepEvery = 1024

// Store is an in-memory dialog.SessionStore with a TTL and compare-and-set, and the admissions
// of slackbot. It is safe for concurrent use.
type Store struct {
	ttl time.Duration
	now func() time.Time

	mu     sync.Mutex
	writes int
	byUser map[dialog.Key]entry
	// claims and counts are the admissions' delivery claims and rate-limit counters; marks the
	// turns in flight on each user's session (or on the session a turn may start).
	claims map[string]time.Time
	counts map[string]counter
	marks  map[dialog.Key]mark
}

type entry struct {
	s       dialog.Session
	expires time.Time
}

// mark is the token of a turn in flight and when it was taken.
type mark struct {
	turn string
	at   time.Time
}

type counter struct {
	n       int64
	expires time.Time
}

// New returns an empty store whose sessions expire ttl after their last save, by clock now.
func New(ttl time.Duration, now func() time.Time) *Store {
	return &Store{ttl: ttl, now: now, byUser: map[dialog.Key]entry{}, claims: map[string]time.Time{}, counts: map[string]counter{}, marks: map[dialog.Key]mark{}}
}

// Load returns a copy of k's session, or dialog.ErrNoSession when there is none or it expired.
func (m *Store) Load(_ context.Context, k dialog.Key) (dialog.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(k)
	if !ok {
		return dialog.Session{}, dialog.ErrNoSession
	}
	return e.s.Clone(), nil
}

// Save stores a copy of s if the stored version equals s.Version (0 when none is stored) and
// returns the new version, dropping the turn mark of s.Turn; otherwise it returns
// dialog.ErrConflict.
func (m *Store) Save(_ context.Context, k dialog.Key, s dialog.Session) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, _ := m.live(k)
	if e.s.Version != s.Version {
		return 0, dialog.ErrConflict
	}
	m.release(k, s.Turn)
	e.s = s.Clone()
	e.s.Version, e.s.Turn = s.Version+1, ""
	e.expires = m.now().Add(m.ttl)
	m.byUser[k] = e
	m.wrote()
	return e.s.Version, nil
}

// Admit answers an admission (see package admit) at once: it claims the delivery, counts a
// claimed turn, and reads and marks the session. It never fails.
func (m *Store) Admit(_ context.Context, req admit.Request) (admit.Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	res := admit.Result{First: true}
	if req.Claim != "" {
		claim := req.Key.Team + "/" + req.Key.User + "/" + req.Claim
		if expires, held := m.claims[claim]; held && now.Before(expires) {
			return admit.Result{}, nil
		}
		m.claims[claim] = now.Add(req.ClaimTTL)
		m.wrote()
	}
	if req.Limit > 0 {
		window := req.Key.Team + "/" + req.Key.User + "/" + strconv.FormatInt(req.Window, 10)
		c, ok := m.counts[window]
		if !ok || !now.Before(c.expires) {
			c = counter{expires: now.Add(req.WindowTTL)}
		}
		c.n++
		m.counts[window] = c
		m.wrote()
		if res.Count = c.n; c.n > req.Limit {
			return res, nil
		}
	}
	e, ok := m.live(req.Key)
	if ok {
		res.Session, res.Exists = e.s.Clone(), true
	}
	if req.Turn == "" {
		return res, nil
	}
	if held, marked := m.marks[req.Key]; marked && held.turn != req.Turn {
		if !req.Force && now.Sub(held.at) < req.Live {
			res.Busy = true
			return res, nil
		}
		res.Interrupted = true
	}
	m.marks[req.Key] = mark{turn: req.Turn, at: now}
	res.Session.Turn = req.Turn
	return res, nil
}

// Release drops the mark of turn on k's session, if it still holds it.
func (m *Store) Release(_ context.Context, k dialog.Key, turn string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.release(k, turn)
	return nil
}

func (m *Store) release(k dialog.Key, turn string) {
	if held, ok := m.marks[k]; ok && held.turn == turn {
		delete(m.marks, k)
	}
}

// live returns k's entry unless it expired, in which case it is dropped.
func (m *Store) live(k dialog.Key) (entry, bool) {
	e, ok := m.byUser[k]
	if ok && !m.now().Before(e.expires) {
		delete(m.byUser, k)
		return entry{}, false
	}
	return e, ok
}

// wrote counts a write and, every sweepEvery writes, drops what expired.
func (m *Store) wrote() {
	if m.writes++; m.writes%sweepEvery != 0 {
		return
	}
	now := m.now()
	for k, e := range m.byUser {
		if !now.Before(e.expires) {
			delete(m.byUser, k)
		}
	}
	for c, expires := range m.claims {
		if !now.Before(expires) {
			delete(m.claims, c)
		}
	}
	for w, c := range m.counts {
		if !now.Before(c.expires) {
			delete(m.counts, w)
		}
	}
}
