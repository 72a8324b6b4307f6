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

// Set stores val under key for ttl.
func (k *KV) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if err := k.rdb.Set(ctx, k.prefix+key, val, ttl).Err(); err != nil {
		return fmt.Errorf("redis set %s: %w", key, err)
	}
	return nil
}

// Admit begins a turn in one round trip (a pipeline): it claims claimKey for claimTTL, counts
// countKey in a fixed window of countTTL, and reads readKey. first is false when an earlier
// delivery holds the claim (a redelivery); n is the count with this call; val is nil when readKey
// holds nothing. An empty key skips its part.
func (k *KV) Admit(ctx context.Context, claimKey string, claimTTL time.Duration, countKey string, countTTL time.Duration, readKey string) (first bool, n int64, val []byte, err error) {
	return k.admit(ctx, writeToken(), claimKey, claimTTL, countKey, countTTL, readKey)
}

// admit is Admit with the claim's token given. The claim stores the token, so a resent pipeline
// (go-redis resends one whose reply was lost) finds its own token and still wins: a lost reply
// never turns a first delivery into a "redelivery".
func (k *KV) admit(ctx context.Context, token, claimKey string, claimTTL time.Duration, countKey string, countTTL time.Duration, readKey string) (first bool, n int64, val []byte, err error) {
	var claim *redis.StatusCmd
	var read *redis.StringCmd
	var count *redis.IntCmd
	_, err = k.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		if claimKey != "" {
			claim = p.SetArgs(ctx, k.prefix+claimKey, token, redis.SetArgs{Mode: "NX", Get: true, TTL: claimTTL})
		}
		if countKey != "" {
			count = p.Incr(ctx, k.prefix+countKey)
			p.ExpireNX(ctx, k.prefix+countKey, countTTL)
		}
		if readKey != "" {
			read = p.Get(ctx, k.prefix+readKey)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return false, 0, nil, fmt.Errorf("redis admit: %w", err)
	}
	first = true
	if claim != nil {
		held, err := claim.Result()
		first = errors.Is(err, redis.Nil) || held == token
	}
	if count != nil {
		n = count.Val()
	}
	if read != nil && read.Err() == nil {
		val, _ = read.Bytes()
	}
	return first, n, val, nil
}
