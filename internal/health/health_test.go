package health_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

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
