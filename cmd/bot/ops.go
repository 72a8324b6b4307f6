package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/health"
)

// defaultHTTPAddr is where /healthz, /readyz and /metrics are served unless STACKPICK_HTTP_ADDR
// says otherwise.
const defaultHTTPAddr = ":8080"

// serveUntilDone serves h on addr (the value of the setting variable, named in errors) until ctx
// ends, and returns the address it listens on.
func serveUntilDone(ctx context.Context, variable, addr string, h http.Handler) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", variable, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	return ln.Addr(), nil
}

// reloadOnHangup re-reads the config on every SIGHUP until ctx ends. A config that fails
// validation is rejected with its compiler-style problems logged, and the running one stays.
func reloadOnHangup(ctx context.Context, load func() (*catalog.Catalog, error), apply func(*catalog.Catalog), counted func(ok bool), lg zerolog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
			}
			cat, err := load()
			counted(err == nil)
			if err != nil {
				lg.Error().Str("problems", err.Error()).Msg("config reload rejected; the running config stays")
				continue
			}
			apply(cat)
			lg.Info().Int("frameworks", len(cat.Frameworks)).Int("questions", len(cat.Questions)).Msg("config reloaded")
		}
	}()
}

// runHealthcheck asks this machine's /healthz and fails unless it answers 200: the container's
// HEALTHCHECK, which has no shell or curl to call.
func runHealthcheck(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	addr := orDefault(getenv("STACKPICK_HTTP_ADDR"), defaultHTTPAddr)
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("STACKPICK_HTTP_ADDR: %q is not host:port", addr)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort("127.0.0.1", port)+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	_, err = fmt.Fprint(stdout, string(body))
	return err
}

// readiness lists what /readyz checks: the Slack connection, and Redis when it is configured.
func readiness(slackReady func(context.Context) error, redisPing func(context.Context) error) []health.Check {
	checks := []health.Check{{Name: "slack", Probe: slackReady}}
	if redisPing != nil {
		checks = append(checks, health.Check{Name: "redis", Probe: redisPing})
	}
	return checks
}
