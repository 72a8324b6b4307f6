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
	entries map[string]kvEntry
}

type kvEntry struct {
	val     []byte
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
	e, ok := k.entries[key]
	if !ok || !k.now().Before(e.expires) {
		delete(k.entries, key)
		return nil, false, nil
	}
	return bytes.Clone(e.val), true, nil
}

// Set stores a copy of val under key for ttl.
func (k *KV) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.entries[key] = kvEntry{val: bytes.Clone(val), expires: k.now().Add(ttl)}
	return nil
}
