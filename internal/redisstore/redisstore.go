// Package redisstore keeps dialog sessions in Redis, so any replica can continue any conversation
// and nothing is lost on restart. It owns the key layout, the encoding (with a schema version),
// the TTL and compare-and-set, slackbot's admission (one script on keys of the session's slot),
// and maps Redis answers to dialog's sentinel errors. Open builds the
// go-redis client itself (its logger, and a hook reporting round trips and failed commands to a
// small Metrics interface), so its callers never import go-redis.
package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
)

// schemaVersion is written with every session; a record of another version is refused rather
// than misread. A field whose absence means what it always meant needs no new version (which
// would refuse every conversation in progress): Unsure, Pending and Undo came within version 1,
// and a record without them is a session with nothing unsure, no clarification open and nothing
// to undo; Behind and View came the same way (a record without them was shown in full, and has
// no view: the bot continues in the thread the user's event came from). An older replica of a
// rolling deploy ignores their keys and drops them when it saves: an unsure question is asked
// again, an undo is lost, a failed delivery is taken as shown. The undo's answers came to be
// stored as their change from the session's under a key of their own ("bu", not "b"), for the
// same reason: an older replica finds no undo, rather than misread one.
const schemaVersion = 1

// Store is a dialog.SessionStore on any go-redis client: single node, Sentinel or Cluster. A
// session is one hash {ver, data} under one key, so every operation touches one slot.
type Store struct {
	rdb    redis.UniversalClient
	ttl    time.Duration
	prefix string
	log    zerolog.Logger // says when a save retries
}

// New returns a store whose sessions expire ttl after their last save. Keys start with prefix
// (e.g. "stackpick:").
func New(rdb redis.UniversalClient, ttl time.Duration, prefix string) *Store {
	return &Store{rdb: rdb, ttl: ttl, prefix: prefix, log: zerolog.Nop()}
}

// Key returns the Redis key of k's session.
func (s *Store) Key(k dialog.Key) string {
	return s.prefix + "session:" + strconv.Itoa(len(k.Team)) + ":" + k.Team + ":" + k.User
}

// record is the stored shape of a session. Field names are short because every session is
// stored; changing their meaning needs a new schemaVersion.
type record struct {
	Schema int    `json:"v"`
	ID     string `json:"id"`
	Step   int    `json:"n"`
	state
	Pending []string `json:"p,omitempty"`
	// Undo is the state before the last answers read from typed text. Its answers are mostly the
	// session's own, so they are stored as the change back to them (see changeTo); FullUndo is an
	// undo as records before that held it, whole, and is read but no longer written.
	Undo     *state `json:"bu,omitempty"`
	FullUndo *state `json:"b,omitempty"`
	Started  int64  `json:"t0"` // Unix nanoseconds
	Updated  int64  `json:"t1"`
	// Behind is Step - Shown: how many steps the user has not been shown. A record from before
	// deliveries were recorded has none, and it meant that: the user was assumed to see it all.
	Behind int    `json:"w,omitempty"`
	View   string `json:"vw,omitempty"` // the front end's record, as its bytes
	// Ranked are the answers of the last shortlist shown; WhatIf the hypothetical change offered.
	Ranked catalog.Answers `json:"r,omitempty"`
	WhatIf catalog.Answers `json:"wi,omitempty"`
}

// state is what a session and its undo snapshot share, stored under the same keys. It has the
// fields of dialog.Snapshot, in its order, so one converts to the other: a field added to the
// snapshot does not compile here until it is stored.
type state struct {
	Answers  catalog.Answers `json:"a,omitempty"`
	Skipped  []string        `json:"s,omitempty"`
	Unsure   []string        `json:"u,omitempty"`
	Current  string          `json:"c,omitempty"`
	History  []string        `json:"h,omitempty"`
	Finished bool            `json:"f,omitempty"`
}

// Load returns k's session, or dialog.ErrNoSession when there is none (or it expired).
func (s *Store) Load(ctx context.Context, k dialog.Key) (dialog.Session, error) {
	vals, err := s.rdb.HMGet(ctx, s.Key(k), "ver", "data").Result()
	if err != nil {
		return dialog.Session{}, fmt.Errorf("redis load session: %w", err)
	}
	ver, _ := vals[0].(string)
	data, _ := vals[1].(string)
	sess, err := s.decode(ver, data)
	if err != nil && !errors.Is(err, dialog.ErrNoSession) {
		return dialog.Session{}, fmt.Errorf("redis load session: %w", err)
	}
	return sess, err
}

// decode turns a stored version and record into a session; dialog.ErrNoSession when either is
// missing.
func (s *Store) decode(ver, data string) (dialog.Session, error) {
	if ver == "" || data == "" {
		return dialog.Session{}, dialog.ErrNoSession
	}
	var r record
	version, err := decodeRecord(ver, data, &r, &r.Schema, schemaVersion)
	if err != nil {
		return dialog.Session{}, err
	}
	// Answers is never nil, in a session or its snapshot, as the engine makes them.
	if r.Answers == nil {
		r.Answers = catalog.Answers{}
	}
	var undo *dialog.Snapshot
	switch {
	case r.Undo != nil:
		sn := dialog.Snapshot(*r.Undo)
		sn.Answers = r.Answers.With(r.Undo.Answers) // the undo is stored as its change (see changeTo)
		undo = &sn
	case r.FullUndo != nil:
		if r.FullUndo.Answers == nil {
			r.FullUndo.Answers = catalog.Answers{}
		}
		sn := dialog.Snapshot(*r.FullUndo)
		undo = &sn
	}
	var view []byte
	if r.View != "" {
		view = []byte(r.View)
	}
	return dialog.Session{
		ID: r.ID, Version: version, Step: r.Step, Answers: r.Answers, Skipped: r.Skipped, Unsure: r.Unsure,
		Current: r.Current, Pending: r.Pending, Undo: undo, History: r.History, Finished: r.Finished,
		Started: fromNanos(r.Started), Updated: fromNanos(r.Updated), Shown: r.Step - r.Behind, View: view,
		Ranked: r.Ranked, WhatIf: r.WhatIf,
	}, nil
}

// decodeRecord reads a stored compare-and-set version and the JSON record data into r, whose
// schema field is schema; a record of another schema version than want is refused.
func decodeRecord(ver, data string, r any, schema *int, want int) (int64, error) {
	version, err := strconv.ParseInt(ver, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad version %q", ver)
	}
	if err := json.Unmarshal([]byte(data), r); err != nil {
		return 0, fmt.Errorf("decode: %w", err)
	}
	if *schema != want {
		return 0, fmt.Errorf("schema version %d, want %d", *schema, want)
	}
	return version, nil
}

// casScript stores ARGV[2] as the session data if the stored version is still ARGV[1] ("0" when
// the key does not exist), bumps the version, resets the TTL (ARGV[3] ms) and drops the turn mark
// if turn ARGV[5] holds it (see Admit). It returns the new version, or -1 on a version
// mismatch; a resend of a save that already happened (same write token, ARGV[4]) returns the
// version it made. One round trip, atomic on every Redis topology.
var casScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'ver') or '0'
if cur ~= ARGV[1] then
  if redis.call('HGET', KEYS[1], 'tok') == ARGV[4] then return tonumber(cur) end
  return -1
end
local nv = tonumber(cur) + 1
redis.call('HSET', KEYS[1], 'ver', nv, 'data', ARGV[2], 'tok', ARGV[4])
` + dropMark("ARGV[5]") + `
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return nv
`)

// Save stores sess under k if the stored version equals sess.Version (0: none stored) and returns
// the new version, dropping the turn mark of sess.Turn (see Admit); otherwise dialog.ErrConflict.
func (s *Store) Save(ctx context.Context, k dialog.Key, sess dialog.Session) (int64, error) {
	data, err := json.Marshal(encode(sess))
	if err != nil {
		return 0, fmt.Errorf("redis save session: encode: %w", err)
	}
	v, err := s.cas(ctx, k, sess, data)
	switch {
	case errors.Is(err, redis.Nil):
		return 0, fmt.Errorf("redis save session: empty reply: %w", err)
	case err != nil:
		return 0, fmt.Errorf("redis save session: %w", err)
	case v < 0:
		return 0, dialog.ErrConflict
	}
	return v, nil
}

// encode is sess as stored.
func encode(sess dialog.Session) record {
	r := record{
		Schema: schemaVersion, ID: sess.ID, Step: sess.Step, Pending: sess.Pending,
		state: state{Answers: sess.Answers, Skipped: sess.Skipped, Unsure: sess.Unsure, Current: sess.Current,
			History: sess.History, Finished: sess.Finished},
		Started: toNanos(sess.Started), Updated: toNanos(sess.Updated), Behind: sess.Step - sess.Shown, View: string(sess.View),
		Ranked: sess.Ranked, WhatIf: sess.WhatIf,
	}
	if sess.Undo != nil {
		undo := state(*sess.Undo)
		undo.Answers = changeTo(sess.Answers, sess.Undo.Answers)
		r.Undo = &undo
	}
	return r
}

// How long a save keeps trying while Redis cannot be reached, and how long it waits between
// tries: a front end may already have shown the reply, so the save that records it outlasts a
// short outage rather than leave its outcome unknown.
const (
	saveRetryFor   = 10 * time.Second
	saveBackoffMax = time.Second
)

// cas runs casScript with one write token, again while Redis cannot be reached (up to
// saveRetryFor): a resend that finds its own earlier write reports the version it made, so a
// save whose reply was lost is neither lost nor doubled. Redis's own error replies are final.
func (s *Store) cas(ctx context.Context, k dialog.Key, sess dialog.Session, data []byte) (int64, error) {
	token := writeToken()
	deadline := time.Now().Add(saveRetryFor)
	for backoff := 50 * time.Millisecond; ; backoff = min(2*backoff, saveBackoffMax) {
		v, err := casScript.Run(ctx, s.rdb, []string{s.Key(k)}, sess.Version, data, s.ttl.Milliseconds(), token, sess.Turn).Int64()
		var reply redis.Error
		if err == nil || errors.As(err, &reply) || errors.Is(err, redis.Nil) || time.Now().Add(backoff).After(deadline) {
			return v, err
		}
		s.log.Warn().Err(err).Str("team_id", k.Team).Str("user_id", k.User).Dur("retry_in", backoff).Msg("cannot reach Redis to save a session; retrying")
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return 0, err
		}
	}
}

// changeTo returns the change that turns answers from into to: to's answer to each question it
// answers otherwise, and no options for each it leaves unanswered. An answer of no options is
// no answer, in either.
func changeTo(from, to catalog.Answers) catalog.Answers {
	change := catalog.Answers{}
	for qid, opts := range to {
		if !slices.Equal(opts, from[qid]) {
			change[qid] = opts
		}
	}
	for qid, opts := range from {
		if len(opts) > 0 && len(to[qid]) == 0 {
			change[qid] = []string{}
		}
	}
	return change
}

// toNanos and fromNanos keep the zero time as 0 (its UnixNano is undefined).
func toNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
