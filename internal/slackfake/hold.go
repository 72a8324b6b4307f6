package slackfake

import (
	"context"
	"sync"
)

// Hold withholds Slack's answer to one Web API call: the call is served (a posted message is
// stored, the call recorded) but the HTTP response waits until Release, the request's own
// cancellation or Close. It stands in for a reply lost on the way back, or a process killed while
// it waits.
type Hold struct {
	method  string
	match   func(args map[string]string) bool
	arrived chan Call
	release chan struct{}
	once    sync.Once
}

// HoldNext holds the next call of method whose arguments match (any call when match is nil).
func (s *Server) HoldNext(method string, match func(args map[string]string) bool) *Hold {
	h := &Hold{method: method, match: match, arrived: make(chan Call, 1), release: make(chan struct{})}
	s.mu.Lock()
	s.holds = append(s.holds, h)
	s.mu.Unlock()
	return h
}

// Wait returns the held call once it has arrived.
func (h *Hold) Wait(ctx context.Context) (Call, error) {
	select {
	case c := <-h.arrived:
		h.arrived <- c // later Waits see it too
		return c, nil
	case <-ctx.Done():
		return Call{}, ctx.Err()
	}
}

// Release lets the held response go. It is idempotent.
func (h *Hold) Release() { h.once.Do(func() { close(h.release) }) }

// takeHoldLocked returns the first hold waiting for a call of method with args, and removes it.
func (s *Server) takeHoldLocked(method string, args map[string]string) *Hold {
	for i, h := range s.holds {
		if h.method == method && (h.match == nil || h.match(args)) {
			s.holds = append(s.holds[:i], s.holds[i+1:]...)
			return h
		}
	}
	return nil
}

// withhold blocks a served call's response while its hold lasts.
func (h *Hold) withhold(ctx context.Context, c Call) {
	h.arrived <- c
	select {
	case <-h.release:
	case <-ctx.Done():
	}
}
