package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/internal/slackbot/admit"
)

// KV keeps small front-end records beside the sessions (for Slack: which message shows which
// question, seen delivery ids, rate-limit windows), with a TTL, in the same Redis.
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

// Admit answers an admission (see package admit) in one round trip, a pipeline of SET NX GET
// (the claim), INCR and EXPIRE NX (the count) and GET (the read). Each command's own reply is
// checked: an error of any of them fails the admission, naming the part that failed.
func (k *KV) Admit(ctx context.Context, req admit.Request) (admit.Result, error) {
	return k.admit(ctx, writeToken(), req)
}

// admit is Admit with the claim's token given. The claim stores the token, so a resent pipeline
// (go-redis resends one whose reply was lost) finds its own token and still wins: a lost reply
// never turns a first delivery into a "redelivery".
func (k *KV) admit(ctx context.Context, token string, req admit.Request) (admit.Result, error) {
	var claim *redis.StatusCmd
	var count *redis.IntCmd
	var window *redis.BoolCmd
	var read *redis.StringCmd
	// The pipeline's own error is that of its first failed command, which may be the claim's or
	// the read's redis.Nil (not a failure) hiding a real error after it: every command is checked
	// on its own below instead.
	_, _ = k.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		if req.Claim != "" {
			claim = p.SetArgs(ctx, k.prefix+req.Claim, token, redis.SetArgs{Mode: "NX", Get: true, TTL: req.ClaimTTL})
		}
		if req.Count != "" {
			count = p.Incr(ctx, k.prefix+req.Count)
			window = p.ExpireNX(ctx, k.prefix+req.Count, req.Window)
		}
		if req.Read != "" {
			read = p.Get(ctx, k.prefix+req.Read)
		}
		return nil
	})
	res := admit.Result{First: true}
	if claim != nil {
		held, err := claim.Result()
		switch {
		case errors.Is(err, redis.Nil): // nothing held the claim: this call set it
		case err != nil:
			return admit.Result{}, fmt.Errorf("redis admit: claim %s: %w", req.Claim, err)
		default:
			res.First = held == token
		}
	}
	if count != nil {
		n, err := count.Result()
		if err != nil {
			return admit.Result{}, fmt.Errorf("redis admit: count %s: %w", req.Count, err)
		}
		if err := window.Err(); err != nil {
			return admit.Result{}, fmt.Errorf("redis admit: window of %s: %w", req.Count, err)
		}
		res.Count = n
	}
	if read != nil {
		val, err := read.Bytes()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return admit.Result{}, fmt.Errorf("redis admit: read %s: %w", req.Read, err)
		default:
			res.Value = val
		}
	}
	return res, nil
}
