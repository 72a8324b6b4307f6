package health_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/health"
)

func TestReadyzNeedsEveryCheck(t *testing.T) {
	redisUp := true
	h := health.Handler(http.NotFoundHandler(),
		health.Check{Name: "slack", Probe: func(context.Context) error { return nil }},
		health.Check{Name: "redis", Probe: func(context.Context) error {
			if !redisUp {
				return errors.New("connection refused")
			}
			return nil
		}})
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code, rec.Body.String()
	}
	if code, body := get("/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("all up: %d %q", code, body)
	}
	redisUp = false
	if code, body := get("/readyz"); code != 503 || body != "not ready\nredis: connection refused\n" {
		t.Errorf("redis down: %d %q", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d while a dependency is down; it reports the process only", code)
	}
}

// A probe that never answers, even one ignoring its context, is reported failing at its bound
// instead of holding /readyz; the other checks are still reported.
func TestReadyzBoundsEveryProbe(t *testing.T) {
	hung := make(chan struct{})
	t.Cleanup(func() { close(hung) })
	h := health.Handler(http.NotFoundHandler(),
		health.Check{Name: "slack", Probe: func(context.Context) error { return nil }},
		health.Check{Name: "redis", Probe: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }},
		health.Check{Name: "stuck", Probe: func(context.Context) error { <-hung; return nil }})
	answered := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		answered <- rec
	}()
	select {
	case rec := <-answered:
		body := rec.Body.String()
		if rec.Code != 503 || !strings.HasPrefix(body, "not ready\nredis: ") || !strings.HasSuffix(body, "\nstuck: no answer within 1s\n") || strings.Contains(body, "slack") {
			t.Errorf("/readyz = %d %q; want 503 naming redis and stuck", rec.Code, body)
		}
	case <-time.After(30 * time.Second): // the test's own bound, far above the probes'
		t.Fatal("/readyz is still waiting for a probe that never answers")
	}
}
