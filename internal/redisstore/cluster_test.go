package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/dialog/storetest"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackbot/admittest"
)

// The contracts hold on a real three-master Redis Cluster opened through the Cluster URL form,
// where a script or a transaction may only touch keys of one slot. One cluster serves every
// contract: creating one takes redis-cli about 3 s.
func TestContractsOnCluster(t *testing.T) {
	ctx := context.Background()
	cluster := redistest.StartCluster(t)
	open := func(t *testing.T) *redisstore.Client {
		c, err := redisstore.Open(ctx, cluster.URL(), redisstore.Options{})
		if err != nil {
			t.Fatalf("open %s: %v", cluster.URL(), err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	fresh := func(t *testing.T) *redisstore.Client {
		cluster.FlushAll(t)
		return open(t)
	}
	t.Run("session store", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) dialog.SessionStore { return fresh(t).Store(time.Hour, "stackpick:") })
	})
	t.Run("admission", func(t *testing.T) {
		admittest.Run(t, func(t *testing.T) admittest.Store { return fresh(t).Store(time.Hour, "stackpick:") })
	})
	t.Run("allowance", func(t *testing.T) {
		runAllowanceContract(t, func(t *testing.T) (func() *redisstore.Allowance, redis.UniversalClient) {
			cluster.FlushAll(t)
			return func() *redisstore.Allowance { return open(t).Allowance("p:") }, cluster.Client(t)
		})
	})
}
