package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/health"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/metrics"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/slackbot"
	"github.com/stackpick/stackpick/internal/team"
)

// How the bot treats each Slack event: the work on one event is bounded, and a shutdown waits
// this long for in-flight turns.
const (
	turnTimeout   = 30 * time.Second
	shutdownGrace = 10 * time.Second
)

func runServe(ctx context.Context, reload <-chan struct{}, args []string, getenv func(string) string, stderr io.Writer) error {
	s, err := parseServe(args, getenv, stderr)
	if err != nil {
		return err
	}
	lg := s.logger(stderr)
	cat, err := s.loadCatalog()
	if err != nil {
		return configError(err)
	}
	if s.RedisURL == "" {
		lg.Warn().Msg("REDIS_URL is not set: conversations live in this process only; they will not survive a restart or be shared between replicas")
	}
	m := metrics.New()
	st, err := openStores(ctx, s.commonSettings, m, lg)
	if err != nil {
		return err
	}
	defer st.close()
	// With Redis, the replicas pace their Web API calls together, unless told to pace alone.
	var sharedPace slackbot.SharedAllowance
	if s.Pacing && !s.PaceLocally {
		sharedPace = st.pace
	}

	// A server that fails ends the run with its error; every server has shut down before
	// runServe returns.
	ctx, fail := context.WithCancelCause(ctx)
	srvs := &servers{fail: fail, log: lg}
	defer func() { fail(nil); srvs.wait() }()

	engine := dialog.New(cat, st.sessions, time.Now)
	bot := slackbot.New(slackbot.Config{
		BotToken:       s.BotToken,
		AppToken:       s.AppToken,
		APIURL:         s.APIURL,
		Engine:         engine,
		Store:          st.sessions,
		Log:            lg,
		TurnTimeout:    turnTimeout,
		Grace:          shutdownGrace,
		TurnsPerMinute: s.TurnsPerMinute,
		Now:            time.Now,
		PaceToSlack:    s.Pacing,
		SharedPace:     sharedPace,
		Metrics:        m,
		Teams:          st.teams,
		Revisit:        s.Revisit,
	})
	if s.OpsAddr != "" {
		at, err := srvs.serveUntilDone(ctx, "STACKPICK_HTTP_ADDR", s.OpsAddr, health.Handler(m.Handler(), readiness(bot.Ready, st.ping)...),
			timeouts{Read: opsReadTimeout, Write: opsWriteTimeout, Idle: opsIdleTimeout})
		if err != nil {
			return err
		}
		lg.Info().Str("addr", at.String()).Msg("serving /healthz, /readyz and /metrics")
	}
	// The reloader stops, and is waited for, before the stores close.
	reloadCtx, stopReloads := context.WithCancel(ctx)
	reloaded := reloadOn(reloadCtx, reload, s.loadCatalog, engine.SetCatalog, m.Reload, lg)
	defer func() { stopReloads(); <-reloaded }()
	if s.DebugAddr != "" {
		at, err := srvs.serveUntilDone(ctx, "STACKPICK_DEBUG_ADDR", s.DebugAddr, debugHandler(),
			timeouts{Read: opsReadTimeout, Write: debugWriteTimeout, Idle: opsIdleTimeout})
		if err != nil {
			return err
		}
		lg.Info().Str("addr", at.String()).Msg("serving pprof")
	}
	mode := "socket"
	if s.HTTPMode {
		mode = "http"
	}
	lg.Info().Str("mode", mode).Int("frameworks", len(cat.Frameworks)).Int("questions", len(cat.Questions)).Int("on_radar", len(cat.Radar)).Msg("starting")
	if s.HTTPMode {
		ln, lerr := net.Listen("tcp", s.SlackHTTPAddr)
		if lerr != nil {
			return fmt.Errorf("SLACK_HTTP_ADDR: %w", lerr)
		}
		err = bot.RunHTTP(ctx, ln, s.SigningSecret)
	} else {
		err = bot.Run(ctx)
	}
	lg.Info().Msg("stopped")
	if err == nil {
		err = srvs.failure(ctx)
	}
	return err
}

// sessionStore is a session store that also begins and ends the bot's turns (slackbot.Store):
// memstore.Store and redisstore.Store are both.
type sessionStore interface {
	dialog.SessionStore
	slackbot.Store
}

// stores are where a command keeps its state: Redis when REDIS_URL is set, else process memory.
type stores struct {
	sessions sessionStore
	teams    team.Store
	// pace holds the Web API pacing allowances every replica shares; nil without Redis.
	pace slackbot.SharedAllowance
	// ping checks Redis, for /readyz; nil without Redis.
	ping  func(context.Context) error
	close func()
}

// openStores returns the stores: Redis when REDIS_URL is set (failing fast when it does not
// answer), else process memory. m, when not nil, counts Redis round trips and errors.
func openStores(ctx context.Context, c commonSettings, m *metrics.Metrics, lg zerolog.Logger) (stores, error) {
	if c.RedisURL == "" {
		return stores{sessions: memstore.New(c.SessionTTL, time.Now), teams: memstore.NewTeams(teamTTL, time.Now), close: func() {}}, nil
	}
	opts := redisstore.Options{Log: &lg}
	if m != nil {
		opts.Metrics = m
	}
	cctx, cancel := context.WithTimeout(ctx, redisConnectTimeout)
	defer cancel()
	rdb, err := redisstore.Open(cctx, c.RedisURL, opts)
	if err != nil {
		return stores{}, fmt.Errorf("REDIS_URL: %w", err)
	}
	return stores{
		sessions: rdb.Store(c.SessionTTL, keyPrefix), teams: rdb.Teams(teamTTL, keyPrefix), pace: rdb.Allowance(keyPrefix + "pace:"),
		ping: rdb.Ping, close: func() { _ = rdb.Close() },
	}, nil
}

// teamTTL is how long a team decision is kept after its last change: past the latest revisit
// reminder Slack can schedule, so the reminder's decision is still there.
const teamTTL = slackbot.MaxRevisit + 30*24*time.Hour

// keyPrefix starts every Redis key stackpick writes.
const keyPrefix = "stackpick:"

// redisConnectTimeout bounds the start-up check of REDIS_URL, so a down Redis fails fast.
const redisConnectTimeout = 5 * time.Second

// debugHandler serves Go's profiler (net/http/pprof), for profiling and the load benchmark.
// Keep its address private: profiles show the process's internals.
func debugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	return mux
}
