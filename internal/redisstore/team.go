package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/team"
)

// teamSchemaVersion is written with every team decision; a record of another version is refused.
const teamSchemaVersion = 1

// Teams is a team.Store on the same Redis: a decision is one hash {ver, data} under one key, and
// each user's decisions a sorted set (by creation) under another. Both expire ttl after their
// last write.
type Teams struct {
	rdb    redis.UniversalClient
	ttl    time.Duration
	prefix string
}

// NewTeams returns a team decision store whose keys start with prefix.
func NewTeams(rdb redis.UniversalClient, ttl time.Duration, prefix string) *Teams {
	return &Teams{rdb: rdb, ttl: ttl, prefix: prefix}
}

// Key is the Redis key of decision id of workspace.
func (t *Teams) Key(workspace, id string) string {
	return fmt.Sprintf("%steam:%d:%s:%s", t.prefix, len(workspace), workspace, id)
}

func (t *Teams) mineKey(workspace, user string) string {
	return fmt.Sprintf("%steams:%d:%s:%s", t.prefix, len(workspace), workspace, user)
}

// teamRecord is the stored shape of a decision; short names, as every participant's answers are
// in it.
type teamRecord struct {
	Schema        int                 `json:"v"`
	ID            string              `json:"id"`
	Owner         string              `json:"o"`
	Created       int64               `json:"t0"`
	JoiningClosed bool                `json:"jc,omitempty"`
	Participants  []participantRecord `json:"p"`
	Invited       []string            `json:"i,omitempty"`
	Vote          *voteRecord         `json:"vo,omitempty"`
	Outcome       *outcomeRecord      `json:"x,omitempty"`
	View          string              `json:"vw,omitempty"`
}

type participantRecord struct {
	User      string          `json:"u"`
	Name      string          `json:"n,omitempty"`
	Answers   catalog.Answers `json:"a,omitempty"`
	Unsure    []string        `json:"s,omitempty"`
	Done      bool            `json:"d,omitempty"`
	Withdrawn bool            `json:"w,omitempty"`
}

type voteRecord struct {
	Options []string          `json:"o"`
	Ballots map[string]string `json:"b,omitempty"`
	Cast    map[string]int64  `json:"t,omitempty"` // Unix microseconds
}

type outcomeRecord struct {
	Chosen string        `json:"c,omitempty"`
	Closed int64         `json:"t"`
	Tally  []countRecord `json:"n,omitempty"`
}

type countRecord struct {
	Framework string   `json:"f"`
	Users     []string `json:"u,omitempty"`
}

func encodeDecision(d team.Decision) ([]byte, error) {
	r := teamRecord{Schema: teamSchemaVersion, ID: d.ID, Owner: d.Owner, Created: toNanos(d.Created),
		JoiningClosed: d.JoiningClosed, Invited: d.Invited, View: string(d.View)}
	for _, p := range d.Participants {
		r.Participants = append(r.Participants, participantRecord(p))
	}
	if d.Vote != nil {
		r.Vote = &voteRecord{Options: d.Vote.Options, Ballots: d.Vote.Ballots, Cast: map[string]int64{}}
		for u, at := range d.Vote.Cast {
			r.Vote.Cast[u] = at.UnixMicro()
		}
	}
	if o := d.Outcome; o != nil {
		r.Outcome = &outcomeRecord{Chosen: o.Chosen, Closed: toNanos(o.Closed)}
		for _, c := range o.Tally {
			r.Outcome.Tally = append(r.Outcome.Tally, countRecord(c))
		}
	}
	return json.Marshal(r)
}

func decodeDecision(ver, data string) (team.Decision, error) {
	if ver == "" || data == "" {
		return team.Decision{}, team.ErrNotFound
	}
	var r teamRecord
	version, err := decodeRecord(ver, data, &r, &r.Schema, teamSchemaVersion)
	if err != nil {
		return team.Decision{}, err
	}
	d := team.Decision{ID: r.ID, Version: version, Owner: r.Owner, Created: fromNanos(r.Created),
		JoiningClosed: r.JoiningClosed, Invited: r.Invited}
	if r.View != "" {
		d.View = []byte(r.View)
	}
	for _, p := range r.Participants {
		d.Participants = append(d.Participants, team.Participant(p))
	}
	if r.Vote != nil {
		d.Vote = &team.Vote{Options: r.Vote.Options, Ballots: r.Vote.Ballots, Cast: map[string]time.Time{}}
		if d.Vote.Ballots == nil {
			d.Vote.Ballots = map[string]string{}
		}
		for u, at := range r.Vote.Cast {
			d.Vote.Cast[u] = time.UnixMicro(at)
		}
	}
	if o := r.Outcome; o != nil {
		d.Outcome = &team.Outcome{Chosen: o.Chosen, Closed: fromNanos(o.Closed)}
		for _, c := range o.Tally {
			d.Outcome.Tally = append(d.Outcome.Tally, team.Count(c))
		}
	}
	return d, nil
}

// Load returns the decision, or team.ErrNotFound when there is none (or it expired).
func (t *Teams) Load(ctx context.Context, workspace, id string) (team.Decision, error) {
	vals, err := t.rdb.HMGet(ctx, t.Key(workspace, id), "ver", "data").Result()
	if err != nil {
		return team.Decision{}, fmt.Errorf("redis load team decision %s: %w", id, err)
	}
	ver, _ := vals[0].(string)
	data, _ := vals[1].(string)
	d, err := decodeDecision(ver, data)
	if err != nil && !errors.Is(err, team.ErrNotFound) {
		return team.Decision{}, fmt.Errorf("redis load team decision %s: %w", id, err)
	}
	return d, err
}

// teamCASScript stores ARGV[2] if the stored version is still ARGV[1] ("0": no key), bumps the
// version and resets the TTL (ARGV[3] ms); it returns the new version, or -1 on a mismatch.
var teamCASScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'ver') or '0'
if cur ~= ARGV[1] then return -1 end
local nv = tonumber(cur) + 1
redis.call('HSET', KEYS[1], 'ver', nv, 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return nv
`)

// Save stores d if the stored version equals d.Version and returns the new one; otherwise
// team.ErrConflict.
func (t *Teams) Save(ctx context.Context, workspace string, d team.Decision) (int64, error) {
	data, err := encodeDecision(d)
	if err != nil {
		return 0, fmt.Errorf("redis save team decision %s: encode: %w", d.ID, err)
	}
	v, err := teamCASScript.Run(ctx, t.rdb, []string{t.Key(workspace, d.ID)}, d.Version, data, t.ttl.Milliseconds()).Int64()
	switch {
	case err != nil:
		return 0, fmt.Errorf("redis save team decision %s: %w", d.ID, err)
	case v < 0:
		return 0, team.ErrConflict
	}
	return v, nil
}

// rememberScript adds ARGV[1] to the sorted set KEYS[1], unless it is there, ranked after every
// member (scores count up), and resets its TTL (ARGV[2] ms).
var rememberScript = redis.NewScript(`
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  redis.call('ZADD', KEYS[1], (tonumber(top[2]) or 0) + 1, ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

// Remember adds id to user's decisions, after those remembered before it.
func (t *Teams) Remember(ctx context.Context, workspace, user, id string) error {
	if err := rememberScript.Run(ctx, t.rdb, []string{t.mineKey(workspace, user)}, id, t.ttl.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("redis remember team decision %s of %s: %w", id, user, err)
	}
	return nil
}

// Mine lists user's decisions, latest first, at most max.
func (t *Teams) Mine(ctx context.Context, workspace, user string, max int) ([]string, error) {
	ids, err := t.rdb.ZRevRange(ctx, t.mineKey(workspace, user), 0, int64(max)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis list team decisions of %s: %w", user, err)
	}
	return ids, nil
}
