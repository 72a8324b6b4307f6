package slackbot

import (
	"sync"
)

// userQueues runs jobs one at a time per user, in arrival order, each user on its own goroutine,
// so one user's turns never race in this process and a slow user never holds up another. Adding
// a job never blocks, so the Socket Mode read loop never waits on work; a user's queue holds at
// most max jobs waiting, so a flood cannot take the process's memory.
type userQueues struct {
	max int

	mu     sync.Mutex
	queues map[string][]func()
	wg     sync.WaitGroup
}

func newUserQueues(max int) *userQueues {
	return &userQueues{max: max, queues: map[string][]func(){}}
}

// add queues job for key and starts a worker for key if none runs. It reports false, dropping
// job, when max jobs of key are already waiting.
func (q *userQueues) add(key string, job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	pending, running := q.queues[key]
	if len(pending) >= q.max {
		return false
	}
	q.queues[key] = append(pending, job)
	if !running {
		q.wg.Add(1)
		go q.drain(key)
	}
	return true
}

// drain runs key's jobs until none is left, then forgets key.
func (q *userQueues) drain(key string) {
	defer q.wg.Done()
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
	}
}

// wait returns when every queued job has run.
func (q *userQueues) wait() { q.wg.Wait() }
