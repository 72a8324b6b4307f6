package memstore

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/stackpick/stackpick/internal/slackbot/admit"
)

// KV is an in-memory key-value store with a TTL, the embedded counterpart of redisstore.KV.
type KV struct {
	now func() time.Time

	mu      sync.Mutex
	writes  int
	entries map[string]kvEntry
}

type kvEntry struct {
	val     []byte
	n       int64 // an admission's counter
	expires time.Time
}

// NewKV returns an empty KV using clock now.
func NewKV(now func() time.Time) *KV {
	return &KV{now: now, entries: map[string]kvEntry{}}
}

// Set stores a copy of val under key for ttl.
func (k *KV) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.put(key, bytes.Clone(val), ttl)
	return nil
}

// Admit claims req.Claim, counts req.Count in its fixed window and reads a copy of req.Read's
// value, at once (see package admit); an empty key skips its part. It never fails.
func (k *KV) Admit(_ context.Context, req admit.Request) (admit.Result, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	res := admit.Result{First: true}
	if req.Claim != "" {
		if _, held := k.live(req.Claim); held {
			res.First = false
		} else {
			k.put(req.Claim, nil, req.ClaimTTL)
		}
	}
	if req.Count != "" {
		e, ok := k.live(req.Count)
		if !ok {
			k.put(req.Count, nil, req.Window)
			e = k.entries[req.Count]
		}
		e.n++
		k.entries[req.Count] = e
		res.Count = e.n
	}
	if req.Read != "" {
		if e, ok := k.live(req.Read); ok {
			res.Value = bytes.Clone(e.val)
		}
	}
	return res, nil
}

// live returns key's entry unless it expired, in which case it is dropped.
func (k *KV) live(key string) (kvEntry, bool) {
	e, ok := k.entries[key]
	if ok && !k.now().Before(e.expires) {
		delete(k.entries, key)
		return kvEntry{}, false
	}
	return e, ok
}

// put stores an entry and, every sweepEvery writes, drops the expired ones.
func (k *KV) put(key string, val []byte, ttl time.Duration) {
	k.entries[key] = kvEntry{val: val, expires: k.now().Add(ttl)}
	if k.writes++; k.writes%sweepEvery == 0 {
		now := k.now()
		for key, e := range k.entries {
			if !now.Before(e.expires) {
				delete(k.entries, key)
			}
		}
	}
}
