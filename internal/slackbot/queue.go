package slackbot

import (
	"sync"
)

// userQueues runs jobs one at a time per user, in arrival order, each user on a goroutine of its
// own while it has work, so one user's turns never race in this process and a slow user never
// holds up another. Adding a job never blocks, so the Socket Mode read loop never waits on work;
// a user's queue holds at most max jobs waiting, so a flood cannot take the process's memory.
//
// A worker that runs out of work for its user waits for another user's, up to maxIdle of them:
// a turn then usually starts on a stack that has already grown to a turn's size, instead of
// growing a fresh goroutine's by copying (about 5% of the bot's CPU under load).
type userQueues struct {
	max int

	mu      sync.Mutex
	queues  map[string][]func() // the users with a worker, and their jobs waiting
	idle    int                 // workers waiting for a user
	handoff chan string         // a user for an idle worker: one send per idle worker taken
	jobs    sync.WaitGroup      // queued and not yet finished
}

// maxIdle is how many workers wait for work; the others end when their user's queue empties.
const maxIdle = 64

func newUserQueues(max int) *userQueues {
	return &userQueues{max: max, queues: map[string][]func(){}, handoff: make(chan string, maxIdle)}
}

// add queues job for key and gives key a worker if it has none. It reports false, dropping
// job, when max jobs of key are already waiting.
func (q *userQueues) add(key string, job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	pending, running := q.queues[key]
	if len(pending) >= q.max {
		return false
	}
	q.queues[key] = append(pending, job)
	q.jobs.Add(1)
	switch {
	case running:
	case q.idle > 0:
		q.idle--
		q.handoff <- key // never blocks: the buffer holds one per idle worker
	default:
		go q.work(key)
	}
	return true
}

// work runs key's jobs, then waits for another user's while fewer than maxIdle workers wait.
func (q *userQueues) work(key string) {
	for {
		q.drain(key)
		q.mu.Lock()
		if q.idle >= maxIdle {
			q.mu.Unlock()
			return
		}
		q.idle++
		q.mu.Unlock()
		key = <-q.handoff
	}
}

// drain runs key's jobs until none is left, then forgets key.
func (q *userQueues) drain(key string) {
	for {
		q.mu.Lock()
		jobs := q.queues[key]
		if len(jobs) == 0 {
			delete(q.queues, key)
			q.mu.Unlock()
			return
		}
		job := jobs[0]
		q.queues[key] = jobs[1:]
		q.mu.Unlock()
		job()
		q.jobs.Done()
	}
}

// wait returns when every queued job has run.
func (q *userQueues) wait() { q.jobs.Wait() }
