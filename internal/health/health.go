// Package health serves a replica's operations endpoints: /healthz (the process is alive),
// /readyz (its dependencies answer) and /metrics.
package health

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Check is one readiness condition; Probe returns nil when it holds.
type Check struct {
	Name  string
	Probe func(ctx context.Context) error
}

// probeTimeout bounds each readiness probe, well inside a Kubernetes probe's default 1 s timeout
// budget per check.
const probeTimeout = time.Second

// Handler serves /healthz, /readyz (every check must pass) and /metrics.
func Handler(metrics http.Handler, checks ...Check) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		var failed []string
		for _, c := range checks {
			ctx, cancel := context.WithTimeout(r.Context(), probeTimeout)
			if err := c.Probe(ctx); err != nil {
				failed = append(failed, c.Name+": "+err.Error())
			}
			cancel()
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if len(failed) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = fmt.Fprintf(w, "not ready\n%s\n", strings.Join(failed, "\n"))
			return
		}
		_, _ = fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", metrics)
	return mux
}
