package slackbot

import (
	"sync"

	"github.com/stackpick/stackpick/internal/dialog"
)

// localLimit is this replica's own count of each user's events, in the same one-minute windows as
// the shared count of the rate limit. It lets the limit plus one event of a user through to the
// store in a window (the one past the limit is the one the store's count explains to the user)
// and refuses the rest at once, without a round trip or a place in the queue. The store's count
// stays the truth across replicas: this only ever refuses what it would refuse too.
type localLimit struct {
	limit int64 // 0: no limit

	mu     sync.Mutex
	window int64
	counts map[dialog.Key]int64 // this window's users only, so the map stays small
}

func newLocalLimit(perMinute int) *localLimit {
	return &localLimit{limit: int64(perMinute), counts: map[dialog.Key]int64{}}
}

// forget takes back the count of an event of k in window that turned out to be a redelivery,
// which the store does not count either.
func (l *localLimit) forget(k dialog.Key, window int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if window == l.window && l.counts[k] > 0 {
		l.counts[k]--
	}
}

// allow counts one event of k in window and reports whether it may go on to the store.
func (l *localLimit) allow(k dialog.Key, window int64) bool {
	if l.limit <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if window != l.window {
		l.window, l.counts = window, map[dialog.Key]int64{}
	}
	l.counts[k]++
	return l.counts[k] <= l.limit+1
}
