package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// KV keeps small front-end records beside the sessions (for Slack: which message shows which
// question), with a TTL, in the same Redis.
type KV struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewKV returns a KV whose keys start with prefix.
func NewKV(rdb redis.UniversalClient, prefix string) *KV {
	return &KV{rdb: rdb, prefix: prefix}
}

// Get returns the value under key; ok is false when there is none.
func (k *KV) Get(ctx context.Context, key string) (val []byte, ok bool, err error) {
	val, err = k.rdb.Get(ctx, k.prefix+key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("redis get %s: %w", key, err)
	}
	return val, true, nil
}

// Set stores val under key for ttl.
func (k *KV) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if err := k.rdb.Set(ctx, k.prefix+key, val, ttl).Err(); err != nil {
		return fmt.Errorf("redis set %s: %w", key, err)
	}
	return nil
}

// Claim stores key for ttl if it is not there yet and reports whether this call stored it: the
// first of several deliveries of one Slack event claims its id, the redeliveries do not.
func (k *KV) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	n, err := claimScript.Run(ctx, k.rdb, []string{k.prefix + key}, writeToken(), ttl.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("redis claim %s: %w", key, err)
	}
	return n == 1, nil
}

// claimScript sets the key to this claim's token unless another claim holds it; a resend of the
// same claim (same token) still wins, so a lost reply never turns a first delivery into a
// "redelivery".
var claimScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then return 1 end
return 0
`)

// countScript increments a counter and starts its expiry on the first increment, in one trip.
var countScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`)

// Count increments the counter under key and returns its new value; the counter expires ttl after
// its first increment (a fixed window).
func (k *KV) Count(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	n, err := countScript.Run(ctx, k.rdb, []string{k.prefix + key}, ttl.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("redis count %s: %w", key, err)
	}
	return n, nil
}
