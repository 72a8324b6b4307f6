package redisstore

import (
	"context"
	"errors"
	"net"
	"slices"

	"github.com/redis/go-redis/v9"
)

// hook is the go-redis hook that reports a Client's traffic to Metrics: one round trip per
// command and one per pipeline (go-redis's own retries of it are inside, not counted again), and
// each failed command by name (a pipeline counts each failed command in it). A new connection's
// set-up (HELLO, then CLIENT SETINFO…) passes through the hook too, whenever the pool dials; it is
// the cost of a connection, not of a request, so it is not counted as a round trip.
type hook struct{ m Metrics }

func (h hook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := next(ctx, network, addr)
		if err != nil {
			h.m.RedisError("dial")
		}
		return conn, err
	}
}

func (h hook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !setup(cmd) {
			h.m.RedisRoundTrip()
		}
		err := next(ctx, cmd) // cmd.Err() is set only after the hooks return
		h.failed(cmd.Name(), err)
		return err
	}
}

func (h hook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if slices.ContainsFunc(cmds, request) {
			h.m.RedisRoundTrip()
		}
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			h.failed(cmd.Name(), cmd.Err())
		}
		return err
	}
}

// failed counts a failed command. Not failures: redis.Nil (a missing key is an answer), NOSCRIPT
// (go-redis then sends the script) and CLIENT SETINFO refused by servers before 7.2 (go-redis
// ignores it when connecting).
func (h hook) failed(command string, err error) {
	if err != nil && !errors.Is(err, redis.Nil) && !redis.HasErrorPrefix(err, "NOSCRIPT") && command != "client" {
		h.m.RedisError(command)
	}
}

// setup reports whether cmd is one go-redis sends to set up a new connection. The stores never
// send these themselves.
func setup(cmd redis.Cmder) bool {
	switch cmd.Name() {
	case "hello", "auth", "select", "client", "readonly":
		return true
	}
	return false
}

// request reports whether cmd is one the stores sent (not connection set-up).
func request(cmd redis.Cmder) bool { return !setup(cmd) }
