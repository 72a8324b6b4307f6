// Package health serves a replica's operations endpoints: /healthz (the process is alive),
// /readyz (its dependencies answer) and /metrics.
package health

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Check is one readiness condition; Probe returns nil when it holds.
type Check struct {
	Name  string
	Probe func(ctx context.Context) error
}

// probeTimeout bounds each readiness probe: the checks run at once, so /readyz answers within
// a Kubernetes probe's default timeoutSeconds (1).
const probeTimeout = time.Second

// errNoAnswer is the failure of a probe still running at its bound.
var errNoAnswer = fmt.Errorf("no answer within %v", probeTimeout)

// Handler serves /healthz, /readyz (every check must pass) and /metrics. The checks of one
// /readyz run at once, each bounded by probeTimeout: a probe that has not answered by then is
// reported failing ("no answer within 1s") even if it ignores its context, so /readyz answers
// within about a second whatever its dependencies do.
func Handler(metrics http.Handler, checks ...Check) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		failed := probe(r.Context(), checks)
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

// probe runs every check at once and returns the failures, "name: reason", in the order of
// checks. A probe still running at its bound is left to finish on its own, unobserved.
func probe(ctx context.Context, checks []Check) []string {
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, probeTimeout)
			defer cancel()
			answer := make(chan error, 1)
			go func() { answer <- c.Probe(ctx) }()
			select {
			case errs[i] = <-answer:
			case <-ctx.Done():
				errs[i] = errNoAnswer
			}
		})
	}
	wg.Wait()
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, checks[i].Name+": "+err.Error())
		}
	}
	return failed
}
