package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
)

// common are the settings every command shares.
type common struct {
	configDir  string
	logLevel   string
	logFormat  string
	redisURL   string
	sessionTTL time.Duration
}

// newFlags returns a flag set for cmd with the common flags, defaulted from the environment.
func newFlags(cmd string, getenv func(string) string, stderr io.Writer, defaultLevel string) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{redisURL: getenv("REDIS_URL")}
	fs.StringVar(&c.configDir, "config", getenv("STACKPICK_CONFIG_DIR"), "read the YAML config from this `dir` instead of the built-in copy")
	fs.StringVar(&c.logLevel, "log-level", orDefault(getenv("LOG_LEVEL"), defaultLevel), "debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", orDefault(getenv("LOG_FORMAT"), "json"), "json or text")
	return fs, c
}

// finish validates the settings that flags cannot.
func (c *common) finish(getenv func(string) string) error {
	ttl := orDefault(getenv("SESSION_TTL"), "168h")
	d, err := time.ParseDuration(ttl)
	if err != nil || d <= 0 {
		return fmt.Errorf("SESSION_TTL: %q is not a positive duration such as 168h", ttl)
	}
	c.sessionTTL = d
	if c.logFormat != "json" && c.logFormat != "text" {
		return fmt.Errorf("LOG_FORMAT: %q is neither json nor text", c.logFormat)
	}
	if _, err := zerolog.ParseLevel(c.logLevel); err != nil || c.logLevel == "" {
		return fmt.Errorf("LOG_LEVEL: %q is not one of debug, info, warn, error", c.logLevel)
	}
	return nil
}

// logger builds the one root logger of the process.
func (c *common) logger(stderr io.Writer) zerolog.Logger {
	level, _ := zerolog.ParseLevel(c.logLevel)
	var w io.Writer = stderr
	if c.logFormat == "text" {
		w = zerolog.ConsoleWriter{Out: stderr, NoColor: true, TimeFormat: time.RFC3339}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}

// loadCatalog reads the config from the configured directory, or the built-in copy.
func (c *common) loadCatalog() (*catalog.Catalog, error) {
	if c.configDir == "" {
		return catalog.Load(config.FS, "config")
	}
	return catalog.LoadDir(strings.TrimRight(c.configDir, "/"))
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// redisLog sends go-redis's own messages (dial failures, pool trouble) to our logger instead of
// the standard library's.
type redisLog struct{ log zerolog.Logger }

func (r redisLog) Printf(_ context.Context, format string, v ...any) {
	r.log.Warn().Str("component", "go-redis").Msgf(format, v...)
}
