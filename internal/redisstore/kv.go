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
