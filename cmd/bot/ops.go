package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/health"
)

// opsShutdownGrace bounds how long a stopping server waits for requests in flight (a scrape,
// a profile) before it closes their connections.
const opsShutdownGrace = 5 * time.Second

// timeouts bound one connection of a server: reading a request (headers and body), writing its
// response, and a kept-alive connection left idle. Without them a client that sends headers and
// part of a body, then stalls, holds a connection for ever.
type timeouts struct{ Read, Write, Idle time.Duration }

// The bounds of the operations and pprof servers. Probes and scrapes send no body, so 5 s to read
// a request is generous; /readyz answers within about a second and /metrics is a few KiB, so 10 s
// to answer is too; Prometheus scrapes every 15 to 60 s, and a connection idle for 2 min is closed.
// A CPU profile streams for as long as it was asked to (30 s by default): pprof refuses one longer
// than debugWriteTimeout.
const (
	opsReadTimeout    = 5 * time.Second
	opsWriteTimeout   = 10 * time.Second
	debugWriteTimeout = 5 * time.Minute
	opsIdleTimeout    = 2 * time.Minute
)

// servers runs the process's own HTTP endpoints (operations, pprof) beside the bot.
type servers struct {
	fail context.CancelCauseFunc // ends the run with a server's error
	log  zerolog.Logger
	wg   sync.WaitGroup
}

// serveUntilDone listens on addr (the value of the setting variable, named in errors) and serves
// h there, each connection bounded by limits, until ctx ends, then shuts down gracefully:
// requests in flight get opsShutdownGrace to finish. It returns the address it listens on.
// Should serving fail, the run ends with that error (see failure).
func (s *servers) serveUntilDone(ctx context.Context, variable, addr string, h http.Handler, limits timeouts) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", variable, err)
	}
	s.serve(ctx, variable, ln, h, limits)
	return ln.Addr(), nil
}

// serve is serveUntilDone on a listener.
func (s *servers) serve(ctx context.Context, variable string, ln net.Listener, h http.Handler, limits timeouts) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: limits.Read, ReadTimeout: limits.Read, WriteTimeout: limits.Write, IdleTimeout: limits.Idle}
	stopped := make(chan struct{})
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		defer close(stopped)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.fail(fmt.Errorf("%s: serve: %w", variable, err))
		}
	}()
	go func() {
		defer s.wg.Done()
		select {
		case <-ctx.Done():
		case <-stopped:
			return
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opsShutdownGrace)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			s.log.Warn().Err(err).Str("addr", ln.Addr().String()).Msg("requests still running at the end of the shutdown grace; closing them")
			_ = srv.Close()
		}
	}()
}

// wait returns once every server has stopped. Call it after ctx ended.
func (s *servers) wait() { s.wg.Wait() }

// failure is the error of a server that failed and so ended ctx, else nil.
func (s *servers) failure(ctx context.Context) error {
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return nil
}

// reloadOn re-reads the config on every value from reload until ctx ends, in its own goroutine;
// the returned channel is closed when that goroutine has returned. A config (the YAML files and
// the radar, which load reads together) that fails validation is rejected with its
// compiler-style problems logged, and the running one stays.
func reloadOn(ctx context.Context, reload <-chan struct{}, load func() (*catalog.Catalog, error), apply func(*catalog.Catalog), counted func(ok bool), lg zerolog.Logger) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-reload:
			}
			cat, err := load()
			counted(err == nil)
			if err != nil {
				lg.Error().Str("problems", err.Error()).Msg("config reload rejected; the running config stays")
				continue
			}
			apply(cat)
			lg.Info().Int("frameworks", len(cat.Frameworks)).Int("questions", len(cat.Questions)).Int("on_radar", len(cat.Radar)).Msg("config reloaded")
		}
	}()
	return done
}

// runHealthcheck asks this machine's /healthz and fails unless it answers 200: the container's
// HEALTHCHECK, which has no shell or curl to call.
func runHealthcheck(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	s, err := parseHealthcheck(getenv)
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(s.OpsAddr)
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
