package redisstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// bounds are the round-trip limits a client ends up with.
type bounds struct {
	Dial, Read, Write time.Duration
	Contexts          bool
}

func boundsOf(t *testing.T, c redis.UniversalClient) bounds {
	t.Helper()
	switch c := c.(type) {
	case *redis.Client: // a single server, or the master behind Sentinel
		o := c.Options()
		return bounds{o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.ContextTimeoutEnabled}
	case *redis.ClusterClient:
		o := c.Options()
		return bounds{o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.ContextTimeoutEnabled}
	}
	t.Fatalf("unexpected client type %T", c)
	return bounds{}
}

// Every form of URL bounds each round trip well inside a turn, honours contexts, and keeps the
// timeouts a URL sets.
func TestEveryClientBoundsItsRoundTrips(t *testing.T) {
	forms := map[string]string{
		"one server": "redis://127.0.0.1:1/0",
		"Sentinel":   "redis://127.0.0.1:1/0?master_name=mymaster",
		"Cluster":    "redis://127.0.0.1:1?addr=127.0.0.1:2",
	}
	for form, base := range forms {
		sep := "?"
		if base != forms["one server"] {
			sep = "&"
		}
		for _, tt := range []struct {
			query string
			want  bounds
		}{
			{"", bounds{2 * time.Second, time.Second, time.Second, true}},
			{"dial_timeout=7s&read_timeout=3s&write_timeout=4s", bounds{7 * time.Second, 3 * time.Second, 4 * time.Second, true}},
			// go-redis: a write timeout left out follows the read timeout.
			{"read_timeout=3s", bounds{2 * time.Second, 3 * time.Second, 3 * time.Second, true}},
			{"write_timeout=4s", bounds{2 * time.Second, time.Second, 4 * time.Second, true}},
		} {
			url := base
			if tt.query != "" {
				url += sep + tt.query
			}
			t.Run(fmt.Sprintf("%s %s", form, tt.query), func(t *testing.T) {
				c, err := newClient(url)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if got := boundsOf(t, c); got != tt.want {
					t.Errorf("%s: %+v, want %+v", url, got, tt.want)
				}
			})
		}
	}
}
