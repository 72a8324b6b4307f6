package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/team"
	"github.com/stackpick/stackpick/internal/team/storetest"
)

func TestTeamsContract(t *testing.T) {
	srv := redistest.Start(t)
	storetest.Run(t, func(t *testing.T) team.Store {
		rdb := srv.Client(t)
		if err := rdb.FlushAll(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		return redisstore.NewTeams(rdb, time.Hour, "stackpick:")
	})
}

func TestTeamsExpireAndRefuseAnotherSchema(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	st := redisstore.NewTeams(rdb, 90*24*time.Hour, "stackpick:")
	d := storetest.Sample()
	if _, err := st.Save(ctx, "T1", d); err != nil {
		t.Fatal(err)
	}
	if err := st.Remember(ctx, "T1", "U1", d.ID); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{st.Key("T1", d.ID), "stackpick:teams:2:T1:U1"} {
		if ttl, err := rdb.PTTL(ctx, key).Result(); err != nil || ttl < 89*24*time.Hour || ttl > 90*24*time.Hour {
			t.Errorf("TTL of %s: %v, %v; want about 90 days", key, ttl, err)
		}
	}
	rdb.HSet(ctx, st.Key("T1", d.ID), "data", `{"v":99,"id":"d1"}`)
	if _, err := st.Load(ctx, "T1", d.ID); err == nil {
		t.Fatal("a record of another schema version was read")
	}
}
