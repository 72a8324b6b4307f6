package dialog

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// MaxInputRunes is the longest typed message the engine reads; longer ones are refused.
const MaxInputRunes = 4000

// maxAttempts bounds compare-and-set retries when turns of one user race.
const maxAttempts = 16

// Engine runs conversations: one Input in, one Reply out. It is safe for concurrent use; turns of
// the same user that race are serialised by the store's compare-and-set.
type Engine struct {
	current atomic.Pointer[compiled]
	store   SessionStore
	now     func() time.Time
}

// compiled is a catalog and the ranking model compiled from it. They are swapped as one, so a turn
// never asks the questions of one catalog and ranks with another.
type compiled struct {
	cat   *catalog.Catalog
	model *ranking.Model
	lex   *lexicon
}

// New returns an engine over a loaded catalog and a session store; now is its clock.
func New(cat *catalog.Catalog, store SessionStore, now func() time.Time) *Engine {
	e := &Engine{store: store, now: now}
	e.SetCatalog(cat)
	return e
}

// Catalog returns the catalog the engine asks from.
func (e *Engine) Catalog() *catalog.Catalog { return e.current.Load().cat }

// SetCatalog replaces the catalog (a config reload) for the turns that start from now on; turns in
// flight finish on the one they started with. Conversations carry over: answers to questions or
// options the new catalog lacks are dropped when next loaded, and a conversation whose open
// question is gone moves on to the next unanswered one.
func (e *Engine) SetCatalog(cat *catalog.Catalog) {
	e.current.Store(&compiled{cat: cat, model: ranking.Compile(cat), lex: compileLexicon(cat)})
}

// Handle applies one turn of user k and returns what to show. It returns an error wrapping
// ErrNoSession when the input needs a conversation and there is none (never started or
// expired), ErrStale when a control no longer matches the conversation or names a question the
// catalog no longer has (nothing is changed), ErrConflict when the session kept changing under
// it, or the store's error.
func (e *Engine) Handle(ctx context.Context, k Key, in Input) (Reply, error) {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		s, err := e.store.Load(ctx, k)
		exists := err == nil
		if err != nil && !errors.Is(err, ErrNoSession) {
			return Reply{}, fmt.Errorf("load session of %s/%s: %w", k.Team, k.User, err)
		}
		cur := e.current.Load()
		if exists {
			s.fit(cur.cat)
		}
		t := &turn{cat: cur.cat, model: cur.model, lex: cur.lex, now: e.now(), exists: exists, old: s}
		reply, err := t.apply(in)
		if err != nil {
			return Reply{}, fmt.Errorf("apply turn of %s/%s: %w", k.Team, k.User, err)
		}
		if !t.changed {
			reply.Session, reply.Step = s.ID, s.Step
			return reply, nil
		}
		t.s.Step = s.Step + 1
		t.s.Version = s.Version
		t.s.Updated = t.now
		version, err := e.store.Save(ctx, k, t.s)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return Reply{}, fmt.Errorf("save session of %s/%s: %w", k.Team, k.User, err)
		}
		t.s.Version = version
		reply.Session, reply.Step = t.s.ID, t.s.Step
		reply.Lifecycle = lifecycle(exists, s, t.s)
		return reply, nil
	}
	return Reply{}, fmt.Errorf("save session of %s/%s after %d attempts: %w", k.Team, k.User, maxAttempts, ErrConflict)
}

// newSessionID makes a conversation id from its start time; a restart within the same
// nanosecond is told apart by the previous id.
func newSessionID(now time.Time, previous string) string {
	id := strconv.FormatInt(now.UnixNano(), 36)
	if id == previous {
		id += "b"
	}
	return id
}

// Recommendation returns the ranking of k's finished conversation. It returns an error wrapping
// ErrNoSession when k has no conversation, ErrUnfinished when the conversation is still in
// progress, or the store's error.
func (e *Engine) Recommendation(ctx context.Context, k Key) (*ranking.Result, error) {
	s, err := e.store.Load(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("load session of %s/%s: %w", k.Team, k.User, err)
	}
	if !s.Finished {
		return nil, fmt.Errorf("recommend for %s/%s: %w", k.Team, k.User, ErrUnfinished)
	}
	cur := e.current.Load()
	s.fit(cur.cat)
	res := cur.model.Rank(s.Answers)
	return &res, nil
}

// lifecycle says what a saved turn did to the conversation as a whole: old was loaded (when
// existed), now was saved.
func lifecycle(existed bool, old, now Session) Lifecycle {
	started := !existed || now.ID != old.ID
	return Lifecycle{
		Started:   started,
		Completed: now.Finished && (started || !old.Finished),
		Abandoned: started && existed && !old.Finished,
	}
}
