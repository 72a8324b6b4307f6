package dialog

import (
	"bytes"
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

// Handle applies one turn of user k, for a front end that shows the reply as soon as it is
// returned (the console): the reply counts as shown. It returns an error wrapping ErrNoSession
// when the input needs a conversation and there is none (never started or expired), ErrStale
// when a control no longer matches the conversation or names a question the catalog no longer
// has (nothing is changed), ErrConflict when the session kept changing under it, or the store's
// error.
func (e *Engine) Handle(ctx context.Context, k Key, in Input) (Reply, error) {
	st, err := e.load(ctx, k)
	if err != nil {
		return Reply{}, err
	}
	return e.Run(ctx, k, in, st, func(context.Context, Reply) Delivery { return Delivery{Shown: true} })
}

// Started is a session as a front end loaded it at the start of its turn, and what it learnt
// then.
type Started struct {
	Session Session
	Exists  bool
	// Interrupted is set when an earlier turn began after the session's last save and never
	// finished: it may have shown the user a reply that was never saved, so what the user sees
	// is unknown.
	Interrupted bool
}

// Delivery is what a front end reports to Run once it has shown a reply.
type Delivery struct {
	// Shown is true when every message of the reply reached the user.
	Shown bool
	// View, when not nil, replaces the session's View.
	View []byte
}

// Run applies in to the session st holds, hands the reply to deliver, and then saves the new
// state with what deliver reports: whether the user saw this step, and the front end's View. So
// the store never assumes a delivery: when a reply does not reach the user, the answers are
// saved but the session knows the user is behind. It saves whenever anything changed, a
// delivery included, or st's session carries a turn token to clear. When the session changed
// under it, Run reloads it, applies in again and delivers the new reply (a race can show a reply
// twice; the state is never doubled). deliver is not called when the input cannot be applied.
// The save after a delivery runs even when ctx was cancelled meanwhile (a shutdown, a delivery
// that used up the turn's time), bounded by the store's own timeouts: it records whether the
// user saw the reply. Errors are those of Handle.
func (e *Engine) Run(ctx context.Context, k Key, in Input, st Started, deliver func(context.Context, Reply) Delivery) (Reply, error) {
	token := st.Session.Turn
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			var err error
			if st, err = e.load(ctx, k); err != nil {
				return Reply{}, err
			}
			st.Session.Turn = token
		}
		s := st.Session
		cur := e.current.Load()
		if st.Exists {
			s.fit(cur.cat)
		}
		t := &turn{cat: cur.cat, model: cur.model, lex: cur.lex, now: e.now(), exists: st.Exists, interrupted: st.Interrupted, old: s}
		reply, err := t.apply(in)
		if err != nil {
			return Reply{}, fmt.Errorf("apply turn of %s/%s: %w", k.Team, k.User, err)
		}
		if t.changed {
			t.s.Step = s.Step + 1
		}
		reply.Session, reply.Step = t.s.ID, t.s.Step
		d := deliver(ctx, reply)
		t.s.Shown, t.s.View, t.s.Turn = s.Shown, s.View, token
		// The user now sees this step if the reply reached them and shows where the conversation
		// is (its question or shortlist), or nothing moved while they saw it all already.
		if d.Shown && (reply.Ask != nil && !reply.Reask || reply.Result != nil || !t.changed && s.Shown == s.Step) {
			t.s.Shown = t.s.Step
		}
		if d.View != nil {
			t.s.View = d.View
		}
		if !t.changed && (!st.Exists || !t.aside && t.s.Shown == s.Shown && bytes.Equal(t.s.View, s.View) && token == "") {
			return reply, nil
		}
		t.s.Version = s.Version
		t.s.Updated = t.now
		version, err := e.store.Save(context.WithoutCancel(ctx), k, t.s)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return Reply{}, fmt.Errorf("save session of %s/%s: %w", k.Team, k.User, err)
		}
		t.s.Version = version
		if t.changed {
			reply.Lifecycle = lifecycle(st.Exists, s, t.s)
		}
		return reply, nil
	}
	return Reply{}, fmt.Errorf("save session of %s/%s after %d attempts: %w", k.Team, k.User, maxAttempts, ErrConflict)
}

// load reads k's session for a turn; a missing one is not an error.
func (e *Engine) load(ctx context.Context, k Key) (Started, error) {
	s, err := e.store.Load(ctx, k)
	if err != nil && !errors.Is(err, ErrNoSession) {
		return Started{}, fmt.Errorf("load session of %s/%s: %w", k.Team, k.User, err)
	}
	return Started{Session: s, Exists: err == nil}, nil
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

// Finished is a finished conversation's answers, for a front end that takes them elsewhere (a
// team decision): the answers, the questions the user was unsure of, and when it last changed.
type Finished struct {
	Answers catalog.Answers
	Unsure  []string
	Updated time.Time
}

// Finished returns the answers of k's finished conversation. It returns an error wrapping
// ErrNoSession when k has no conversation, ErrUnfinished when it is still in progress, or the
// store's error.
func (e *Engine) Finished(ctx context.Context, k Key) (Finished, error) {
	s, err := e.store.Load(ctx, k)
	if err != nil {
		return Finished{}, fmt.Errorf("load session of %s/%s: %w", k.Team, k.User, err)
	}
	if !s.Finished {
		return Finished{}, fmt.Errorf("answers of %s/%s: %w", k.Team, k.User, ErrUnfinished)
	}
	s.fit(e.current.Load().cat)
	return Finished{Answers: s.Answers, Unsure: s.Unsure, Updated: s.Updated}, nil
}

// Ranker returns the catalog and the ranking model the engine ranks with now, as one pair.
func (e *Engine) Ranker() (*catalog.Catalog, *ranking.Model) {
	cur := e.current.Load()
	return cur.cat, cur.model
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
