package memstore

import (
	"bytes"
	"context"
	"sync"
	"time"
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
	n       int64 // Count's counter
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

// Admit claims claimKey for claimTTL (first is false when it is held), counts countKey in a
// fixed window of countTTL, and reads a copy of readKey's value; an empty key skips its part.
func (k *KV) Admit(_ context.Context, claimKey string, claimTTL time.Duration, countKey string, countTTL time.Duration, readKey string) (first bool, n int64, val []byte, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	first = true
	if claimKey != "" {
		if _, held := k.live(claimKey); held {
			first = false
		} else {
			k.put(claimKey, nil, claimTTL)
		}
	}
	if countKey != "" {
		e, ok := k.live(countKey)
		if !ok {
			k.put(countKey, nil, countTTL)
			e = k.entries[countKey]
		}
		e.n++
		k.entries[countKey] = e
		n = e.n
	}
	if readKey != "" {
		if e, ok := k.live(readKey); ok {
			val = bytes.Clone(e.val)
		}
	}
	return first, n, val, nil
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
