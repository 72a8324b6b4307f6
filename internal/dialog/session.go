package dialog

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Sentinel errors. Stores return ErrNoSession and ErrConflict; Engine.Handle returns ErrNoSession
// and ErrStale (wrapped) for inputs it cannot apply; Engine.Recommendation returns ErrNoSession
// and ErrUnfinished (wrapped) when there is no recommendation yet.
var (
	// ErrNoSession means the user has no stored conversation (never started, or expired).
	ErrNoSession = errors.New("no session")
	// ErrConflict means the session changed since it was loaded; reload and apply again.
	ErrConflict = errors.New("session changed concurrently")
	// ErrStale means a control (button, menu) was used on a message from an earlier step or an
	// earlier conversation; the session was left unchanged.
	ErrStale = errors.New("stale control")
	// ErrUnfinished means the conversation is still in progress, so there is no recommendation.
	ErrUnfinished = errors.New("conversation not finished")
)

// Key identifies one user's conversation: a workspace and a user in it.
type Key struct {
	Team string
	User string
}

// SessionStore keeps sessions between turns. Implementations must be safe for concurrent use.
type SessionStore interface {
	// Load returns the stored session for k, with its Version set, or ErrNoSession.
	Load(ctx context.Context, k Key) (Session, error)
	// Save stores s under k if the stored version still equals s.Version (0: nothing stored) and
	// returns the new version; otherwise it stores nothing and returns ErrConflict.
	Save(ctx context.Context, k Key, s Session) (int64, error)
}

// maxHistory bounds the back-stack so a session stays small however long it runs.
const maxHistory = 32

// Session is one user's conversation state. It holds no front-end data.
type Session struct {
	ID      string          // identifies this conversation; a restart makes a new one
	Version int64           // the store's compare-and-set version; 0 = never saved
	Step    int             // grows with every change; controls carry it to detect stale clicks
	Answers catalog.Answers // question id -> option ids
	Skipped []string        // question ids the user skipped
	Unsure  []string        // question ids the user said they do not know: neutral, and left open
	Current string          // the question being asked; "" once finished
	// Pending are the options of Current that the last reply offered in a clarification, in its
	// order: the next reply is read against them first.
	Pending []string
	// Undo is the state before the last answers taken from typed text, until the next change.
	Undo     *Snapshot
	History  []string // questions asked before Current, most recent last, for "back"
	Finished bool
	Started  time.Time
	Updated  time.Time
	// Shown is the Step of the last reply the user was shown. A front end that shows a reply after
	// the turn (Slack) reports whether it did (see Engine.Run), so Shown < Step means the store is
	// ahead of what the user sees: the next turn shows where the conversation is first.
	Shown int
	// View is the front end's own record of where the conversation is shown (for Slack, its DM
	// thread and the message of the open question), saved with the session so the two cannot
	// drift apart. The engine keeps it and never reads it.
	View []byte
	// Ranked are the answers of the last shortlist the user was shown, so the next one can say
	// what moved; nil before the first.
	Ranked catalog.Answers
	// WhatIf is the hypothetical change the last reply showed (question id -> option ids; none:
	// cleared), until it is kept or another change is made.
	WhatIf catalog.Answers
	// Turn is the token of the front end's turn that loaded the session, not part of the
	// conversation: a store that marks turns in flight clears the mark when this turn saves.
	Turn string
}

// Snapshot is what an undo restores.
type Snapshot struct {
	Answers  catalog.Answers
	Skipped  []string
	Unsure   []string
	Current  string
	History  []string
	Finished bool
}

func (s *Session) snapshot() *Snapshot {
	return Snapshot{Answers: s.Answers, Skipped: s.Skipped, Unsure: s.Unsure, Current: s.Current, History: s.History, Finished: s.Finished}.clone()
}

// clone returns a deep copy (whose Answers are never nil).
func (sn Snapshot) clone() *Snapshot {
	sn.Answers = sn.Answers.Clone()
	if sn.Answers == nil {
		sn.Answers = catalog.Answers{}
	}
	sn.Skipped, sn.Unsure, sn.History = slices.Clone(sn.Skipped), slices.Clone(sn.Unsure), slices.Clone(sn.History)
	return &sn
}

// without returns ids without id.
func without(ids []string, id string) []string {
	return slices.DeleteFunc(ids, func(x string) bool { return x == id })
}

func (s *Session) restore(sn *Snapshot) {
	s.Answers, s.Skipped, s.Unsure, s.Current, s.History, s.Finished = sn.Answers, sn.Skipped, sn.Unsure, sn.Current, sn.History, sn.Finished
}

func (s *Session) answered(qid string) bool { return len(s.Answers[qid]) > 0 }

func (s *Session) skipped(qid string) bool { return slices.Contains(s.Skipped, qid) }

func (s *Session) unsure(qid string) bool { return slices.Contains(s.Unsure, qid) }

// setUnsure records that the user does not know qid's answer.
func (s *Session) setUnsure(qid string) {
	delete(s.Answers, qid)
	s.Skipped = without(s.Skipped, qid)
	if !s.unsure(qid) {
		s.Unsure = append(s.Unsure, qid)
	}
}

func (s *Session) setAnswer(qid string, opts []string) {
	if s.Answers == nil {
		s.Answers = catalog.Answers{}
	}
	s.Answers[qid] = opts
	s.Skipped, s.Unsure = without(s.Skipped, qid), without(s.Unsure, qid)
}

func (s *Session) skip(qid string) {
	delete(s.Answers, qid)
	s.Unsure = without(s.Unsure, qid)
	if !s.skipped(qid) {
		s.Skipped = append(s.Skipped, qid)
	}
}

// leave records that the user moved on from the current question, which is then unset.
func (s *Session) leave() {
	if s.Current == "" {
		return
	}
	s.History = append(s.History, s.Current)
	if len(s.History) > maxHistory {
		s.History = s.History[len(s.History)-maxHistory:]
	}
	s.Current = ""
}

// fit drops what cat no longer has (after a config reload): answers to unknown questions or
// options, unknown skips and history entries. An open question that is gone gives way to the
// first question still unanswered, or to the shortlist when none is left.
func (s *Session) fit(cat *catalog.Catalog) {
	known := func(qid string) bool { _, ok := cat.Question(qid); return ok }
	fitAnswers(s.Answers, cat, false)
	fitAnswers(s.Ranked, cat, false)
	fitAnswers(s.WhatIf, cat, true)
	s.Skipped = slices.DeleteFunc(s.Skipped, func(qid string) bool { return !known(qid) })
	s.Unsure = slices.DeleteFunc(s.Unsure, func(qid string) bool { return !known(qid) })
	if q, ok := cat.Question(s.Current); !ok || slices.ContainsFunc(s.Pending, func(id string) bool { _, ok := q.Option(id); return !ok }) {
		s.Pending = nil
	}
	if s.Undo != nil && !s.Undo.fits(cat) {
		s.Undo = nil
	}
	s.History = slices.DeleteFunc(s.History, func(qid string) bool { return !known(qid) })
	if s.Current == "" || known(s.Current) {
		return
	}
	var open bool
	s.Current, open = s.firstOpen(cat)
	s.Finished = !open
}

// fitAnswers drops from a the questions and options cat lacks; a question left with no option
// goes too, unless keepEmpty (a what-if that clears an answer).
func fitAnswers(a catalog.Answers, cat *catalog.Catalog, keepEmpty bool) {
	for qid, opts := range a {
		q, ok := cat.Question(qid)
		if ok {
			opts = slices.DeleteFunc(opts, func(id string) bool { _, ok := q.Option(id); return !ok })
		}
		if !ok || len(opts) == 0 && !(keepEmpty && len(a[qid]) == 0) {
			delete(a, qid)
			continue
		}
		a[qid] = opts
	}
}

// firstOpen returns the first question in cat neither answered nor skipped; ok is false when
// none is left.
func (s *Session) firstOpen(cat *catalog.Catalog) (qid string, ok bool) {
	for _, q := range cat.Questions {
		if !s.answered(q.ID) && !s.skipped(q.ID) && !s.unsure(q.ID) {
			return q.ID, true
		}
	}
	return "", false
}

// Clone returns a deep copy: a turn never mutates the session it loaded, and an in-process
// store never shares maps or slices with its callers.
func (s Session) Clone() Session {
	c := s
	c.restore(s.snapshot())
	c.Pending, c.View = slices.Clone(s.Pending), slices.Clone(s.View)
	c.Ranked, c.WhatIf = s.Ranked.Clone(), s.WhatIf.Clone()
	if s.Undo != nil {
		c.Undo = s.Undo.clone()
	}
	return c
}

// fits reports whether everything the snapshot names is still in cat, so restoring it after a
// config reload cannot bring back what the reload removed.
func (sn *Snapshot) fits(cat *catalog.Catalog) bool {
	for qid, opts := range sn.Answers {
		q, ok := cat.Question(qid)
		if !ok || slices.ContainsFunc(opts, func(id string) bool { _, ok := q.Option(id); return !ok }) {
			return false
		}
	}
	for _, list := range [][]string{sn.Skipped, sn.Unsure, sn.History, {sn.Current}} {
		for _, qid := range list {
			if _, ok := cat.Question(qid); qid != "" && !ok {
				return false
			}
		}
	}
	return true
}
