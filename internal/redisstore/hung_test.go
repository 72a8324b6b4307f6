package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
)

// A Redis that hangs (frozen, its connections open) fails a command when the caller's context
// ends, even when the URL sets a read timeout far longer than any turn. (The default timeouts
// are TestEveryClientBoundsItsRoundTrips's.)
func TestAHungRedisFailsACommandWhenItsContextEnds(t *testing.T) {
	srv := redistest.Start(t)
	c, err := redisstore.Open(context.Background(), "redis://"+srv.Addr+"/0?read_timeout=10m", redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	srv.Pause(t)
	defer srv.Resume(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	failed := make(chan error, 1)
	go func() {
		_, err := c.Store(time.Hour, "stackpick:").Load(ctx, dialog.Key{Team: "T1", User: "U1"})
		failed <- err
	}()
	// The test's own bound, far above the context's: it fails only when the load hangs on.
	select {
	case err := <-failed:
		if err == nil || errors.Is(err, dialog.ErrNoSession) {
			t.Errorf("a load from a hung Redis returned %v; want an error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a load from a hung Redis still waits after its context ended")
	}
}
