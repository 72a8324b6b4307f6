package metrics

import (
	"context"
	"errors"
	"net"

	"github.com/redis/go-redis/v9"
)

// RedisHook returns a go-redis hook that counts failed commands by name (a pipeline counts each
// failed command in it). redis.Nil, a missing key, is an answer, not a failure.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m} }

type redisHook struct{ m *Metrics }

func (h redisHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := next(ctx, network, addr)
		if err != nil {
			h.m.redisErrs.WithLabelValues("dial").Inc()
		}
		return conn, err
	}
}

func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd) // cmd.Err() is set only after the hooks return
		h.count(cmd.Name(), err)
		return err
	}
}

func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			h.count(cmd.Name(), cmd.Err())
		}
		return err
	}
}

// count counts a failed command. Not failures: redis.Nil, NOSCRIPT (go-redis then sends the
// script) and CLIENT SETINFO refused by servers before 7.2 (go-redis ignores it when connecting).
func (h redisHook) count(command string, err error) {
	if err != nil && !errors.Is(err, redis.Nil) && !isNoScript(err) && command != "client" {
		h.m.redisErrs.WithLabelValues(command).Inc()
	}
}

func isNoScript(err error) bool { return redis.HasErrorPrefix(err, "NOSCRIPT") }
