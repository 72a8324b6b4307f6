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

// Get returns a copy of the value under key; ok is false when there is none or it expired.
func (k *KV) Get(_ context.Context, key string) ([]byte, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.live(key)
	if !ok {
		return nil, false, nil
	}
	return bytes.Clone(e.val), true, nil
}

// Set stores a copy of val under key for ttl.
func (k *KV) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.put(key, bytes.Clone(val), ttl)
	return nil
}

// Claim stores key for ttl if it is not there yet and reports whether this call stored it.
func (k *KV) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.live(key); ok {
		return false, nil
	}
	k.put(key, nil, ttl)
	return true, nil
}

// Count increments the counter under key and returns its new value; the counter expires ttl after
// its first increment.
func (k *KV) Count(_ context.Context, key string, ttl time.Duration) (int64, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.live(key)
	if !ok {
		k.put(key, nil, ttl)
		e = k.entries[key]
	}
	e.n++
	k.entries[key] = e
	return e.n, nil
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
