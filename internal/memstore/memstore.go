// Package memstore keeps dialog sessions in process memory: the embedded default when no Redis
// is configured. Sessions do not survive a restart and are not shared between replicas.
package memstore

import (
	"context"
	"sync"
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
)

// sweepEvery is how many saves pass between sweeps of expired sessions.
const sweepEvery = 1024

// Store is an in-memory dialog.SessionStore with a TTL and compare-and-set. It is safe for
// concurrent use.
type Store struct {
	ttl time.Duration
	now func() time.Time

	mu     sync.Mutex
	saves  int
	byUser map[dialog.Key]entry
}

type entry struct {
	s       dialog.Session
	expires time.Time
}

// New returns an empty store whose sessions expire ttl after their last save, by clock now.
func New(ttl time.Duration, now func() time.Time) *Store {
	return &Store{ttl: ttl, now: now, byUser: map[dialog.Key]entry{}}
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
// returns the new version; otherwise it returns dialog.ErrConflict.
func (m *Store) Save(_ context.Context, k dialog.Key, s dialog.Session) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var current int64
	if e, ok := m.live(k); ok {
		current = e.s.Version
	}
	if current != s.Version {
		return 0, dialog.ErrConflict
	}
	s = s.Clone()
	s.Version = current + 1
	m.byUser[k] = entry{s: s, expires: m.now().Add(m.ttl)}
	if m.saves++; m.saves%sweepEvery == 0 {
		m.sweep()
	}
	return s.Version, nil
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

func (m *Store) sweep() {
	now := m.now()
	for k, e := range m.byUser {
		if !now.Before(e.expires) {
			delete(m.byUser, k)
		}
	}
}
