package redistest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/internal/redistest"
)

// The cluster is a real one: its three masters share the slots, so keys spread over all of them,
// and a command on keys of different slots is refused.
func TestStartClusterServesEverySlotOnThreeMasters(t *testing.T) {
	ctx := context.Background()
	c := redistest.StartCluster(t)
	rdb := c.Client(t)
	for i := range 100 {
		if err := rdb.Set(ctx, fmt.Sprintf("k%d", i), i, 0).Err(); err != nil {
			t.Fatalf("set k%d: %v", i, err)
		}
	}
	keys := c.Keys(t)
	var total int64
	for i, n := range keys {
		if n == 0 {
			t.Errorf("node %s holds none of 100 keys: %v", c.Nodes[i].Addr, keys)
		}
		total += n
	}
	if total != 100 {
		t.Errorf("the nodes hold %d keys in all (%v), want 100", total, keys)
	}
	if err := rdb.MSet(ctx, "a", 1, "b", 2).Err(); err == nil || !strings.Contains(err.Error(), "CROSSSLOT") {
		t.Errorf("MSET of keys in two slots = %v, want CROSSSLOT", err)
	}

	o, err := redis.ParseClusterURL(c.URL())
	if err != nil {
		t.Fatalf("parse %s: %v", c.URL(), err)
	}
	if got, want := strings.Join(o.Addrs, " "), c.Nodes[0].Addr+" "+c.Nodes[1].Addr+" "+c.Nodes[2].Addr; got != want {
		t.Errorf("URL %s names seeds %s, want %s", c.URL(), got, want)
	}

	c.FlushAll(t)
	if keys := c.Keys(t); keys[0]+keys[1]+keys[2] != 0 {
		t.Errorf("keys after FlushAll: %v", keys)
	}
}
