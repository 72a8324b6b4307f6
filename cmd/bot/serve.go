package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/health"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/metrics"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/slackbot"
)

// How the bot treats each Slack event: the work on one event is bounded, and a shutdown waits
// this long for in-flight turns.
const (
	turnTimeout   = 30 * time.Second
	shutdownGrace = 10 * time.Second
	// defaultTurnsPerMinute is the per-user rate limit when TURNS_PER_MINUTE is not set.
	defaultTurnsPerMinute = 30
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs, c := newFlags("serve", getenv, stderr, "info")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.finish(getenv); err != nil {
		return err
	}
	mode := orDefault(getenv("SLACK_MODE"), "socket")
	var appToken, signingSecret string
	var err error
	switch mode {
	case "socket":
		appToken, err = token(getenv, "SLACK_APP_TOKEN", "xapp-", "an app-level token with connections:write")
	case "http":
		signingSecret, err = secret(getenv, "SLACK_SIGNING_SECRET")
	default:
		err = fmt.Errorf("SLACK_MODE: %q is neither socket nor http", mode)
	}
	if err != nil {
		return err
	}
	botToken, err := token(getenv, "SLACK_BOT_TOKEN", "xoxb-", "the bot token from installing the app")
	if err != nil {
		return err
	}
	turns := defaultTurnsPerMinute
	if v := getenv("TURNS_PER_MINUTE"); v != "" {
		if turns, err = strconv.Atoi(v); err != nil || turns < 0 {
			return fmt.Errorf("TURNS_PER_MINUTE: %q is not a whole number of 0 or more", v)
		}
	}
	pacing := orDefault(getenv("SLACK_PACING"), "on")
	if pacing != "on" && pacing != "off" {
		return fmt.Errorf("SLACK_PACING: %q is neither on nor off", pacing)
	}
	apiURL := getenv("SLACK_API_URL")
	if apiURL != "" && !strings.HasPrefix(apiURL, "http://") && !strings.HasPrefix(apiURL, "https://") {
		return fmt.Errorf("SLACK_API_URL: %q is not an http(s) URL", apiURL)
	}
	opsAddr := orDefault(getenv("STACKPICK_HTTP_ADDR"), defaultHTTPAddr)
	if _, _, err := net.SplitHostPort(opsAddr); err != nil && opsAddr != "off" {
		return fmt.Errorf("STACKPICK_HTTP_ADDR: %q is neither host:port (such as :8080) nor off", opsAddr)
	}
	lg := c.logger(stderr)
	cat, err := c.loadCatalog()
	if err != nil {
		return fmt.Errorf("load config:\n%w", err)
	}
	if c.redisURL == "" {
		lg.Warn().Msg("REDIS_URL is not set: conversations live in this process only; they will not survive a restart or be shared between replicas")
	}
	m := metrics.New()
	store, kv, ping, closeStore, err := openStores(ctx, c, m, lg)
	if err != nil {
		return err
	}
	defer closeStore()

	engine := dialog.New(cat, store, time.Now)
	bot := slackbot.New(slackbot.Config{
		BotToken:       botToken,
		AppToken:       appToken,
		APIURL:         apiURL,
		Engine:         engine,
		KV:             kv,
		Log:            lg,
		RecordTTL:      c.sessionTTL,
		TurnTimeout:    turnTimeout,
		Grace:          shutdownGrace,
		TurnsPerMinute: turns,
		Now:            time.Now,
		PaceToSlack:    pacing == "on",
		Metrics:        m,
	})
	if opsAddr != "off" {
		at, err := serveUntilDone(ctx, "STACKPICK_HTTP_ADDR", opsAddr, health.Handler(m.Handler(), readiness(bot.Ready, ping)...))
		if err != nil {
			return err
		}
		lg.Info().Str("addr", at.String()).Msg("serving /healthz, /readyz and /metrics")
	}
	reloadOnHangup(ctx, c.loadCatalog, engine.SetCatalog, m.Reload, lg)
	if addr := getenv("STACKPICK_DEBUG_ADDR"); addr != "" {
		if err := serveDebug(ctx, addr, lg); err != nil {
			return err
		}
	}
	lg.Info().Str("mode", mode).Int("frameworks", len(cat.Frameworks)).Int("questions", len(cat.Questions)).Msg("starting")
	if mode == "http" {
		addr := orDefault(getenv("SLACK_HTTP_ADDR"), ":3000")
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("SLACK_HTTP_ADDR: %w", err)
		}
		err = bot.RunHTTP(ctx, ln, signingSecret)
		lg.Info().Msg("stopped")
		return err
	}
	err = bot.Run(ctx)
	lg.Info().Msg("stopped")
	return err
}

// openStores returns the session store and the bot's record store: Redis when REDIS_URL is set
// (failing fast when it does not answer; ping then checks it for /readyz), else process memory
// (ping is nil). close releases them.
func openStores(ctx context.Context, c *common, m *metrics.Metrics, lg zerolog.Logger) (_ dialog.SessionStore, _ slackbot.KV, ping func(context.Context) error, close func(), _ error) {
	if c.redisURL == "" {
		return memstore.New(c.sessionTTL, time.Now), memstore.NewKV(time.Now), nil, func() {}, nil
	}
	redis.SetLogger(redisLog{lg})
	cctx, cancel := context.WithTimeout(ctx, redisConnectTimeout)
	defer cancel()
	rdb, err := redisstore.Open(cctx, c.redisURL)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb.AddHook(m.RedisHook())
	ping = func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
	return redisstore.New(rdb, c.sessionTTL, keyPrefix), redisstore.NewKV(rdb, keyPrefix), ping, func() { _ = rdb.Close() }, nil
}

// keyPrefix starts every Redis key stackpick writes.
const keyPrefix = "stackpick:"

// redisConnectTimeout bounds the start-up check of REDIS_URL, so a down Redis fails fast.
const redisConnectTimeout = 5 * time.Second

// secret reads a non-empty secret from name or the file named by name_FILE.
func secret(getenv func(string) string, name string) (string, error) {
	v := getenv(name)
	if file := getenv(name + "_FILE"); v == "" && file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: cannot read the secret file: %w", name, err)
		}
		v = strings.TrimSpace(string(data))
	}
	if v == "" {
		return "", fmt.Errorf("%s is not set", name)
	}
	return v, nil
}

// token reads a Slack token from name, or from the file named by name_FILE (for mounted secrets),
// and checks its prefix. Errors name the variable, never the value.
func token(getenv func(string) string, name, prefix, what string) (string, error) {
	v, err := secret(getenv, name)
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: it must hold %s (%s…)", err, what, prefix)
	case !strings.HasPrefix(v, prefix):
		return "", fmt.Errorf("%s does not look like %s: it must start with %s", name, what, prefix)
	}
	return v, nil
}

// serveDebug serves Go's profiler (net/http/pprof) on addr until ctx ends, for profiling and the
// load benchmark. Keep addr private: profiles show the process's internals.
func serveDebug(ctx context.Context, addr string, lg zerolog.Logger) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	at, err := serveUntilDone(ctx, "STACKPICK_DEBUG_ADDR", addr, mux)
	if err != nil {
		return err
	}
	lg.Info().Str("addr", at.String()).Msg("serving pprof")
	return nil
}
