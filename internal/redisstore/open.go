package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/redis/go-redis/v9"
)

// Open connects to the Redis that url names and checks that it answers:
//   - redis://[user:pass@]host:port/db, or rediss:// for TLS: one server;
//   - ...?master_name=NAME[&addr=host:port...]: Sentinel (the host and each addr are sentinels);
//   - ...?addr=host:port[&addr=...]: Cluster (the host and each addr are seed nodes).
//
// Other query parameters are go-redis options (dial_timeout, read_timeout, pool_size...). The
// returned client must be closed by the caller.
func Open(ctx context.Context, rawURL string) (redis.UniversalClient, error) {
	rdb, err := newClient(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse redis URL: %w", err)
	}
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("ping redis: %w", err)
	}
	return rdb, nil
}

func newClient(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error quotes the URL, password included; keep only the reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, err
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		o, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, err
		}
		return redis.NewFailoverClient(o), nil
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, err
		}
		return redis.NewClusterClient(o), nil
	}
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return redis.NewClient(o), nil
}
