package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"
)

// Metrics is what a Client reports about its traffic (see package metrics).
type Metrics interface {
	// RedisRoundTrip counts one request sent: a command, or a whole pipeline.
	RedisRoundTrip()
	// RedisError counts one failed command by its lowercase name ("dial" for a failed connect).
	RedisError(command string)
}

// Options are what Open needs besides the URL. The zero value logs and counts nothing.
type Options struct {
	// Log receives go-redis's own messages (dial failures, pool trouble) at warn level. go-redis
	// has one logger per process, so the last Open with a logger wins.
	Log *zerolog.Logger
	// Metrics counts round trips and failed commands; nil counts nothing.
	Metrics Metrics
}

// Client is an open connection pool to one Redis deployment (single node, Sentinel or Cluster).
// Build the session store on it with Store; Close it when done.
type Client struct {
	rdb redis.UniversalClient
	log zerolog.Logger
}

// Open connects to the Redis that rawURL names and checks that it answers:
//   - redis://[user:pass@]host:port/db, or rediss:// for TLS: one server;
//   - ...?master_name=NAME[&addr=host:port...]: Sentinel (the host and each addr are sentinels);
//   - ...?addr=host:port[&addr=...]: Cluster (the host and each addr are seed nodes).
//
// Other query parameters are go-redis options (dial_timeout, read_timeout, pool_size...).
//
// Every round trip is bounded, so a Redis that hangs (up, connection open, answering nothing)
// fails a command in about a second instead of holding a turn for its whole budget: unless the
// URL sets them, connecting times out after 2 s (dial_timeout) and each socket read or write after
// 1 s (read_timeout, write_timeout; a write_timeout left out follows a read_timeout that is set,
// as in go-redis). A caller's context deadline or cancellation always applies too (go-redis's
// ContextTimeoutEnabled), whatever the URL says; the startup ping is bounded by ctx.
//
// Errors start with "parse redis URL" or "ping redis" and never contain the password.
func Open(ctx context.Context, rawURL string, o Options) (*Client, error) {
	rdb, err := newClient(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse redis URL: %w", err)
	}
	if o.Log != nil {
		redis.SetLogger(redisLog{o.Log.With().Str("component", "go-redis").Logger()})
	}
	if o.Metrics != nil {
		rdb.AddHook(hook{o.Metrics})
	}
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("ping redis: %w", err)
	}
	c := &Client{rdb: rdb, log: zerolog.Nop()}
	if o.Log != nil {
		c.log = o.Log.With().Str("component", "redisstore").Logger()
	}
	return c, nil
}

// Store returns a session store on c whose sessions expire ttl after their last save; keys start
// with prefix (e.g. "stackpick:").
func (c *Client) Store(ttl time.Duration, prefix string) *Store {
	s := New(c.rdb, ttl, prefix)
	s.log = c.log
	return s
}

// Teams returns the team decision store on this client, whose decisions expire ttl after their
// last change.
func (c *Client) Teams(ttl time.Duration, prefix string) *Teams { return NewTeams(c.rdb, ttl, prefix) }

// Ping checks that Redis answers, for readiness probes; the error is go-redis's, unwrapped.
func (c *Client) Ping(ctx context.Context) error { return c.rdb.Ping(ctx).Err() }

// Close releases the connections. Stores built on c fail afterwards.
func (c *Client) Close() error { return c.rdb.Close() }

// errUnparsableURL is the error of a URL that does not parse, which says nothing of its text.
var errUnparsableURL = errors.New("not a valid URL (not shown: it may hold a password); percent-encode any special characters in the user name and password")

func newClient(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error quotes the URL, and even its reason can quote part of a password (a "/" or "#"
		// in one ends the user info early: `invalid port ":hunter" after host`), so none of it is
		// shown.
		return nil, errUnparsableURL
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		o, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, err
		}
		bound(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout)
		o.ContextTimeoutEnabled = true
		return redis.NewFailoverClient(o), nil
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, err
		}
		bound(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout)
		o.ContextTimeoutEnabled = true
		return redis.NewClusterClient(o), nil
	}
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	bound(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout)
	o.ContextTimeoutEnabled = true
	return redis.NewClient(o), nil
}

// The bounds of a round trip when the URL sets none (see Open): far inside a turn's budget
// (30 s), so a hung Redis leaves time to tell the user, and far above a healthy Redis's
// sub-millisecond answers, so load does not trip them. A command that times out is not retried
// (go-redis cannot know whether it ran), so a hung Redis costs a turn about one read timeout per
// round trip.
const (
	defaultDialTimeout  = 2 * time.Second
	defaultReadTimeout  = time.Second
	defaultWriteTimeout = time.Second
)

// bound fills in the timeouts the URL left unset (zero; go-redis parses an explicit 0 or -1 as
// "no timeout", which is kept).
func bound(dial, read, write *time.Duration) {
	if *dial == 0 {
		*dial = defaultDialTimeout
	}
	if *write == 0 && *read == 0 {
		*write = defaultWriteTimeout
	}
	if *read == 0 {
		*read = defaultReadTimeout
	}
}

// redisLog sends go-redis's own messages to a zerolog logger instead of the standard library's.
type redisLog struct{ log zerolog.Logger }

func (r redisLog) Printf(_ context.Context, format string, v ...any) {
	r.log.Warn().Msgf(format, v...)
}
