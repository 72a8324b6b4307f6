package memstore

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/stackpick/stackpick/internal/team"
)

// Teams is an in-memory team.Store with a TTL and compare-and-set. It is safe for concurrent use.
type Teams struct {
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex
	decisions map[string]teamEntry // workspace + "/" + id
	mine      map[string][]string  // workspace + "/" + user -> ids, first remembered first
}

type teamEntry struct {
	d       team.Decision
	expires time.Time
}

// NewTeams returns an empty store whose decisions expire ttl after their last save, by clock now.
func NewTeams(ttl time.Duration, now func() time.Time) *Teams {
	return &Teams{ttl: ttl, now: now, decisions: map[string]teamEntry{}, mine: map[string][]string{}}
}

// Load returns a copy of the decision, or team.ErrNotFound.
func (m *Teams) Load(_ context.Context, workspace, id string) (team.Decision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.decisions[workspace+"/"+id]
	if !ok || !m.now().Before(e.expires) {
		return team.Decision{}, team.ErrNotFound
	}
	return e.d.Clone(), nil
}

// Save stores a copy of d if the stored version equals d.Version (0: none) and returns the new
// version; otherwise team.ErrConflict.
func (m *Teams) Save(_ context.Context, workspace string, d team.Decision) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := workspace + "/" + d.ID
	e, ok := m.decisions[key]
	if !ok || !m.now().Before(e.expires) {
		e = teamEntry{}
	}
	if e.d.Version != d.Version {
		return 0, team.ErrConflict
	}
	e.d = d.Clone()
	e.d.Version = d.Version + 1
	e.expires = m.now().Add(m.ttl)
	m.decisions[key] = e
	m.sweep()
	return e.d.Version, nil
}

// sweep drops expired decisions; teams are few, so every save may look at them all.
func (m *Teams) sweep() {
	now := m.now()
	for key, e := range m.decisions {
		if !now.Before(e.expires) {
			delete(m.decisions, key)
		}
	}
}

// Remember notes that user takes part in decision id.
func (m *Teams) Remember(_ context.Context, workspace, user, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := workspace + "/" + user
	if !slices.Contains(m.mine[key], id) {
		m.mine[key] = append(m.mine[key], id)
	}
	return nil
}

// Mine lists user's decisions, latest first, at most max.
func (m *Teams) Mine(_ context.Context, workspace, user string, max int) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := slices.Clone(m.mine[workspace+"/"+user])
	slices.Reverse(ids)
	return ids[:min(max, len(ids))], nil
}
