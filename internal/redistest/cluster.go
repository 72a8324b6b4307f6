package redistest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a three-master Redis Cluster (no replicas) of redis-server processes on loopback
// ports, each with its data and cluster config in a temporary directory.
type Cluster struct {
	Nodes []*Server
	rdb   *redis.ClusterClient
}

// clusterSize is how many masters a Cluster has: the fewest redis-cli --cluster create accepts.
const clusterSize = 3

// clusterReadyTimeout bounds the wait for every node to report the cluster ok.
const clusterReadyTimeout = 30 * time.Second

// StartCluster runs a fresh three-master Redis Cluster for the test, created with redis-cli
// --cluster create, and returns once every node reports cluster_state:ok with all slots served
// and every node known; the nodes stop at cleanup. It skips the test when redis-server or
// redis-cli is missing, or fails it when STACKPICK_REQUIRE_REDIS=1 (see the package doc).
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	if !Available(t) {
		t.Skip("redis-server is not on PATH; skipping the Redis Cluster run (set " + RequireEnv + "=1 to fail instead)")
	}
	if _, err := exec.LookPath("redis-cli"); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("redis-cli is not on PATH and %s=1: it creates the Redis Cluster", RequireEnv)
		}
		t.Skip("redis-cli is not on PATH; skipping the Redis Cluster run (set " + RequireEnv + "=1 to fail instead)")
	}
	c := &Cluster{}
	addrs := make([]string, clusterSize)
	for i := range clusterSize {
		c.Nodes = append(c.Nodes, startNode(t))
		addrs[i] = c.Nodes[i].Addr
	}
	ctx, cancel := context.WithTimeout(context.Background(), clusterReadyTimeout)
	defer cancel()
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, "redis-cli", args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, n := range c.Nodes {
		if err := waitClusterOK(ctx, n.Addr); err != nil {
			t.Fatal(err)
		}
	}
	c.rdb = c.Client(t)
	return c
}

// startNode starts one cluster node on a port whose cluster bus port (the port + 10000) is free
// too, retrying on another port when the one picked was taken before the server bound it.
func startNode(t testing.TB) *Server {
	t.Helper()
	return launch(t, freeClusterPort, Server{cluster: true})
}

// clusterBusOffset is how far above a node's port Redis Cluster puts the node's cluster bus.
const clusterBusOffset = 10000

// freeClusterPort picks a free port whose bus port is free too, both below the kernel's
// ephemeral range for the reason freePort gives.
func freeClusterPort() (int, error) {
	for attempt := 0; attempt < 100; attempt++ {
		port := 20000 + rand.IntN(32768-clusterBusOffset-20000)
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		bus, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+clusterBusOffset)))
		l.Close()
		if err == nil {
			bus.Close()
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port pair (port, port+%d) found between 20000 and 32768", clusterBusOffset)
}

// clusterPoll is how often waitClusterOK reads a node's CLUSTER INFO.
const clusterPoll = 20 * time.Millisecond

// waitClusterOK reads the node's CLUSTER INFO until it says the cluster is ok, every slot is
// served and every node is known, or ctx ends. Nodes learn of each other over the cluster bus
// in their own time: there is no event to wait for, only this state.
func waitClusterOK(ctx context.Context, addr string) error {
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	want := []string{"cluster_state:ok", "cluster_slots_ok:16384", "cluster_known_nodes:" + strconv.Itoa(clusterSize)}
	tick := time.NewTicker(clusterPoll)
	defer tick.Stop()
	var info string
	for {
		var err error
		info, err = rdb.ClusterInfo(ctx).Result()
		if err == nil && containsAll(info, want) {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("redis cluster node %s not ready after %v (want %s): %v\n%s", addr, clusterReadyTimeout, strings.Join(want, ", "), err, info)
		}
	}
}

// containsAll reports whether every one of lines is a line of info.
func containsAll(info string, lines []string) bool {
	have := map[string]bool{}
	for _, l := range strings.Split(info, "\n") {
		have[strings.TrimSpace(l)] = true
	}
	for _, l := range lines {
		if !have[l] {
			return false
		}
	}
	return true
}

// URL is the cluster in the form redisstore.Open reads as a Cluster: the first node as the host,
// the others as addr parameters (all of them seed nodes).
func (c *Cluster) URL() string {
	u := "redis://" + c.Nodes[0].Addr
	for i, n := range c.Nodes[1:] {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		u += sep + "addr=" + n.Addr
	}
	return u
}

// Client returns a new cluster client of the nodes, closed at the test's cleanup.
func (c *Cluster) Client(t testing.TB) *redis.ClusterClient {
	t.Helper()
	addrs := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		addrs[i] = n.Addr
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping the redis cluster: %v", err)
	}
	return rdb
}

// FlushAll empties every node (a cluster client's FLUSHALL would reach one).
func (c *Cluster) FlushAll(t testing.TB) {
	t.Helper()
	err := c.rdb.ForEachMaster(context.Background(), func(ctx context.Context, n *redis.Client) error {
		return n.FlushAll(ctx).Err()
	})
	if err != nil {
		t.Fatalf("flush the redis cluster: %v", err)
	}
}

// Keys returns how many keys each node holds, in the order of Nodes.
func (c *Cluster) Keys(t testing.TB) []int64 {
	t.Helper()
	counts := make([]int64, len(c.Nodes))
	for i, n := range c.Nodes {
		rdb := redis.NewClient(&redis.Options{Addr: n.Addr})
		k, err := rdb.DBSize(context.Background()).Result()
		_ = rdb.Close()
		if err != nil {
			t.Fatalf("dbsize of redis cluster node %s: %v", n.Addr, err)
		}
		counts[i] = k
	}
	return counts
}
