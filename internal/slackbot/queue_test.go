package slackbot

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// A user's jobs run one at a time in arrival order; another user's are not held up by them.
func TestAUsersJobsRunInOrderAndAloneWhileOthersGoOn(t *testing.T) {
	q := newUserQueues(10)
	var mu sync.Mutex
	var ran []int
	blocked, release := make(chan struct{}), make(chan struct{})
	q.add("U1", func() { close(blocked); <-release })
	for i := 1; i <= 5; i++ {
		q.add("U1", func() { mu.Lock(); ran = append(ran, i); mu.Unlock() })
	}
	<-blocked
	other := make(chan struct{})
	q.add("U2", func() { close(other) })
	<-other // U2's job ran while U1's first still holds U1's queue
	mu.Lock()
	if len(ran) != 0 {
		t.Errorf("U1's jobs %v ran while its first was running", ran)
	}
	mu.Unlock()
	close(release)
	q.wait()
	if !slices.Equal(ran, []int{1, 2, 3, 4, 5}) {
		t.Errorf("U1's jobs ran as %v, want 1 to 5 in order", ran)
	}
}

// Workers left without work wait for other users' jobs, but no more than maxIdle of them, and
// every job still runs once.
func TestIdleWorkersAreReusedAndBounded(t *testing.T) {
	q := newUserQueues(10)
	const users = 3 * maxIdle
	var wg sync.WaitGroup
	hold := make(chan struct{})
	wg.Add(users)
	for u := 0; u < users; u++ { // every user's worker busy at once
		q.add(fmt.Sprint("U", u), func() { wg.Done(); <-hold })
	}
	wg.Wait()
	close(hold)
	q.wait()
	var ran atomic.Int32
	for u := 0; u < users; u++ {
		q.add(fmt.Sprint("V", u), func() { ran.Add(1) })
	}
	q.wait()
	if n := ran.Load(); n != users {
		t.Errorf("%d jobs ran, want %d", n, users)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.idle > maxIdle {
		t.Errorf("%d workers wait for work, want at most %d", q.idle, maxIdle)
	}
}
