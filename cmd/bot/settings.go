package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/radar"
	"github.com/stackpick/stackpick/internal/slackbot"
)

// Each command's settings are one typed struct, parsed from its flags and the environment by one
// function (parseServe, parseConsole…), which reports every bad variable at once. Nothing else
// in the program reads the environment.

// commonSettings are what every command that holds a conversation shares.
type commonSettings struct {
	ConfigDir  string        // -config, STACKPICK_CONFIG_DIR; "" reads the built-in copy
	RadarFile  string        // -radar, STACKPICK_RADAR; "" is no radar
	LogLevel   zerolog.Level // -log-level, LOG_LEVEL
	LogText    bool          // -log-format, LOG_FORMAT: text; else JSON
	RedisURL   string        // REDIS_URL; "" keeps conversations in this process
	SessionTTL time.Duration // SESSION_TTL
}

// serveSettings are the Slack bot's.
type serveSettings struct {
	commonSettings
	HTTPMode       bool   // SLACK_MODE: http; else Socket Mode
	AppToken       string // SLACK_APP_TOKEN(_FILE); Socket Mode only
	SigningSecret  string // SLACK_SIGNING_SECRET(_FILE); HTTP mode only
	SlackHTTPAddr  string // SLACK_HTTP_ADDR; HTTP mode only
	BotToken       string // SLACK_BOT_TOKEN(_FILE)
	APIURL         string // SLACK_API_URL; "" is Slack's
	TurnsPerMinute int    // TURNS_PER_MINUTE; 0 is no limit
	// Revisit is how long after a team decision closes its revisit reminder is due.
	Revisit     time.Duration // TEAM_REVISIT_DAYS
	Pacing      bool          // SLACK_PACING: on or local
	PaceLocally bool          // SLACK_PACING: local (each replica on its own, even with Redis)
	OpsAddr     string        // STACKPICK_HTTP_ADDR; "" when off
	DebugAddr   string        // STACKPICK_DEBUG_ADDR; "" when unset
}

// consoleSettings are the terminal conversation's.
type consoleSettings struct {
	commonSettings
	User string // USER: whose conversation it is
}

// rankSettings are the one-shot ranking's.
type rankSettings struct {
	commonSettings
	JSON    bool      // -json
	ADR     bool      // -adr: a Markdown decision record
	Date    time.Time // -date: the record's date; today by default
	Answers []string  // question=option[,option...] arguments
}

// understandSettings are understand's.
type understandSettings struct {
	commonSettings
	Question string   // -question: the open question ("" for the first)
	Answered []string // -answered: question=option[+option] answers given before
	Pending  []string // -pending: options a clarification offered
	Now      time.Time
	Text     string
}

// checkConfigSettings are check-config's.
type checkConfigSettings struct {
	ConfigDir string // the argument, else -config or STACKPICK_CONFIG_DIR; "" is the built-in copy
	RadarFile string // -radar or STACKPICK_RADAR; "" checks no radar
}

// healthcheckSettings are healthcheck's.
type healthcheckSettings struct {
	OpsAddr string // STACKPICK_HTTP_ADDR
}

// Defaults of the settings.
const (
	defaultOpsAddr        = ":8080"
	defaultSlackHTTPAddr  = ":3000"
	defaultTurnsPerMinute = 30
	defaultSessionTTL     = "168h"
)

// parser collects every problem with one command's settings, so a start-up reports them all.
type parser struct {
	getenv   func(string) string
	problems []string
}

// problem records one bad setting. Messages name the variable. They quote the bad value of a
// plain setting only (echoed below), never of one that is or may hold a secret (never echoed).
//
// Echoed: SESSION_TTL, LOG_LEVEL (-log-level), LOG_FORMAT (-log-format), SLACK_MODE,
// SLACK_HTTP_ADDR, TURNS_PER_MINUTE, SLACK_PACING, STACKPICK_HTTP_ADDR, STACKPICK_DEBUG_ADDR,
// understand's and rank's -date. Never echoed: SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (nor the
// contents of their _FILE; the file's name is shown) and SLACK_API_URL (a URL may hold
// credentials). REDIS_URL's errors come from redisstore.Open, which never shows the URL's text or
// its password, only the part a complaint is about (the scheme, the database number, an option).
// README.md's Settings section lists the same; keep them together.
func (p *parser) problem(format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

// err is nil, or every problem (see listed).
func (p *parser) err() error {
	if len(p.problems) == 0 {
		return nil
	}
	return listed("settings", p.problems)
}

// env returns the variable's value, or def when it is empty.
func (p *parser) env(name, def string) string {
	if v := p.getenv(name); v != "" {
		return v
	}
	return def
}

// commonFlags are the flags every command takes, defaulted from the environment.
type commonFlags struct{ configDir, radarFile, logLevel, logFormat string }

// newFlags returns cmd's flag set with the common flags.
func newFlags(cmd string, getenv func(string) string, stderr io.Writer, defaultLevel string) (*flag.FlagSet, *commonFlags) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // parseFlags words the errors and shows the flags
	p := &parser{getenv: getenv}
	f := &commonFlags{}
	fs.StringVar(&f.configDir, "config", getenv("STACKPICK_CONFIG_DIR"), "read the YAML config from this `dir` instead of the built-in copy")
	fs.StringVar(&f.radarFile, "radar", getenv("STACKPICK_RADAR"), "follow the organisation's tech radar in this Backstage tech-radar JSON `file`")
	fs.StringVar(&f.logLevel, "log-level", p.env("LOG_LEVEL", defaultLevel), "debug, info, warn or error")
	fs.StringVar(&f.logFormat, "log-format", p.env("LOG_FORMAT", "json"), "json or text")
	return fs, f
}

// errHelpShown ends a command whose flag help was asked for (-h) and shown: a clean exit.
var errHelpShown = errors.New("help shown")

// parseFlags parses args into fs. A bad flag is one line of error (the flag package would also
// print every flag); -h prints the flags and returns errHelpShown.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard) // the flag package prints its errors too
	err := fs.Parse(args)
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(fs.Output(), "Flags of bot %s:\n", fs.Name())
		fs.PrintDefaults()
		return errHelpShown
	case err != nil:
		return fmt.Errorf("%s: %w; run \"bot help\" for usage", fs.Name(), err)
	}
	return nil
}

// common checks the common settings.
func (p *parser) common(f *commonFlags) commonSettings {
	c := commonSettings{ConfigDir: f.configDir, RadarFile: f.radarFile, RedisURL: p.getenv("REDIS_URL")}
	ttl := p.env("SESSION_TTL", defaultSessionTTL)
	if d, err := time.ParseDuration(ttl); err != nil || d <= 0 {
		p.problem("SESSION_TTL: %q is not a positive duration such as 168h", ttl)
	} else {
		c.SessionTTL = d
	}
	switch f.logFormat {
	case "json":
	case "text":
		c.LogText = true
	default:
		p.problem("LOG_FORMAT: %q is neither json nor text", f.logFormat)
	}
	if l, err := zerolog.ParseLevel(f.logLevel); err != nil || f.logLevel == "" {
		p.problem("LOG_LEVEL: %q is not one of debug, info, warn, error", f.logLevel)
	} else {
		c.LogLevel = l
	}
	return c
}

// parseServe reads serve's settings. Errors list every bad variable.
func parseServe(args []string, getenv func(string) string, stderr io.Writer) (serveSettings, error) {
	fs, f := newFlags("serve", getenv, stderr, "info")
	if err := parseFlags(fs, args); err != nil {
		return serveSettings{}, err
	}
	p := &parser{getenv: getenv}
	s := serveSettings{commonSettings: p.common(f)}
	switch mode := p.env("SLACK_MODE", "socket"); mode {
	case "socket":
		s.AppToken = p.token("SLACK_APP_TOKEN", "xapp-", "an app-level token with connections:write")
	case "http":
		s.HTTPMode = true
		s.SigningSecret = p.secret("SLACK_SIGNING_SECRET")
		s.SlackHTTPAddr = p.env("SLACK_HTTP_ADDR", defaultSlackHTTPAddr)
		if _, _, err := net.SplitHostPort(s.SlackHTTPAddr); err != nil {
			p.problem("SLACK_HTTP_ADDR: %q is not host:port (such as :3000)", s.SlackHTTPAddr)
		}
	default:
		p.problem("SLACK_MODE: %q is neither socket nor http", mode)
	}
	s.BotToken = p.token("SLACK_BOT_TOKEN", "xoxb-", "the bot token from installing the app")
	s.TurnsPerMinute = defaultTurnsPerMinute
	if v := getenv("TURNS_PER_MINUTE"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			p.problem("TURNS_PER_MINUTE: %q is not a whole number of 0 or more", v)
		} else {
			s.TurnsPerMinute = n
		}
	}
	s.Revisit = slackbot.DefaultRevisit
	if v := getenv("TEAM_REVISIT_DAYS"); v != "" {
		max := int(slackbot.MaxRevisit / (24 * time.Hour))
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > max {
			p.problem("TEAM_REVISIT_DAYS: %q is not a whole number of days from 1 to %d (Slack schedules at most %d days ahead)", v, max, max)
		} else {
			s.Revisit = time.Duration(n) * 24 * time.Hour
		}
	}
	switch pacing := p.env("SLACK_PACING", "on"); pacing {
	case "on":
		s.Pacing = true
	case "local":
		s.Pacing, s.PaceLocally = true, true
	case "off":
	default:
		p.problem("SLACK_PACING: %q is not on, local or off", pacing)
	}
	s.APIURL = getenv("SLACK_API_URL")
	if s.APIURL != "" && !strings.HasPrefix(s.APIURL, "http://") && !strings.HasPrefix(s.APIURL, "https://") {
		p.problem("SLACK_API_URL is not an http(s) URL: it must start with https:// (or http://)") // a URL may hold credentials
	}
	if ops := p.env("STACKPICK_HTTP_ADDR", defaultOpsAddr); ops != "off" {
		s.OpsAddr = ops
		if _, _, err := net.SplitHostPort(ops); err != nil {
			p.problem("STACKPICK_HTTP_ADDR: %q is neither host:port (such as :8080) nor off", ops)
		}
	}
	if s.DebugAddr = getenv("STACKPICK_DEBUG_ADDR"); s.DebugAddr != "" {
		if _, _, err := net.SplitHostPort(s.DebugAddr); err != nil {
			p.problem("STACKPICK_DEBUG_ADDR: %q is not host:port (such as 127.0.0.1:6060)", s.DebugAddr)
		}
	}
	return s, p.err()
}

// parseConsole reads console's settings. Errors list every bad variable.
func parseConsole(args []string, getenv func(string) string, stderr io.Writer) (consoleSettings, error) {
	fs, f := newFlags("console", getenv, stderr, "warn")
	if err := parseFlags(fs, args); err != nil {
		return consoleSettings{}, err
	}
	p := &parser{getenv: getenv}
	s := consoleSettings{commonSettings: p.common(f), User: p.env("USER", "local")}
	return s, p.err()
}

// parseRank reads rank's settings. Errors list every bad variable.
func parseRank(args []string, getenv func(string) string, stderr io.Writer) (rankSettings, error) {
	fs, f := newFlags("rank", getenv, stderr, "info")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	adr := fs.Bool("adr", false, "print a Markdown decision record (MADR) instead of text")
	date := fs.String("date", "", "with -adr, the record's date as YYYY-MM-DD (default: today)")
	if err := parseFlags(fs, args); err != nil {
		return rankSettings{}, err
	}
	switch {
	case *asJSON && *adr:
		return rankSettings{}, fmt.Errorf("rank: -json and -adr cannot be combined: choose one; run \"bot help\" for usage")
	case *date != "" && !*adr:
		return rankSettings{}, fmt.Errorf("rank: -date dates a decision record: add -adr; run \"bot help\" for usage")
	}
	p := &parser{getenv: getenv}
	s := rankSettings{commonSettings: p.common(f), JSON: *asJSON, ADR: *adr, Date: time.Now(), Answers: fs.Args()}
	if *date != "" {
		d, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			p.problem("-date: %q is not YYYY-MM-DD", *date)
		}
		s.Date = d
	}
	return s, p.err()
}

// parseUnderstand reads understand's settings: the flags, then the message as the remaining
// arguments.
func parseUnderstand(args []string, getenv func(string) string, stderr io.Writer) (understandSettings, error) {
	fs, f := newFlags("understand", getenv, stderr, "info")
	question := fs.String("question", "", "the open question, by id (default: the first)")
	answered := fs.String("answered", "", "answers given before, as question=option[+option],...")
	pending := fs.String("pending", "", "the options a clarification offered, as option,option")
	date := fs.String("date", "", "today's date as YYYY-MM-DD, for deadlines such as \"by Q3\" (default: today)")
	if err := parseFlags(fs, args); err != nil {
		return understandSettings{}, err
	}
	p := &parser{getenv: getenv}
	s := understandSettings{commonSettings: p.common(f), Question: *question, Now: time.Now(), Text: strings.Join(fs.Args(), " ")}
	if *answered != "" {
		for _, a := range strings.Split(*answered, ",") {
			s.Answered = append(s.Answered, strings.ReplaceAll(a, "+", ","))
		}
	}
	if *pending != "" {
		s.Pending = strings.Split(*pending, ",")
	}
	if *date != "" {
		d, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			p.problem("-date: %q is not YYYY-MM-DD", *date)
		}
		s.Now = d
	}
	if strings.TrimSpace(s.Text) == "" {
		p.problem("understand needs the message to read, e.g. bot understand --question team \"3 of us\"")
	}
	return s, p.err()
}

// parseCheckConfig reads check-config's settings. It checks no environment variable but the
// config directory: a config can be checked anywhere.
func parseCheckConfig(args []string, getenv func(string) string, stderr io.Writer) (checkConfigSettings, error) {
	fs, f := newFlags("check-config", getenv, stderr, "info")
	if err := parseFlags(fs, args); err != nil {
		return checkConfigSettings{}, err
	}
	switch fs.NArg() {
	case 0:
		return checkConfigSettings{ConfigDir: f.configDir, RadarFile: f.radarFile}, nil
	case 1:
		return checkConfigSettings{ConfigDir: fs.Arg(0), RadarFile: f.radarFile}, nil
	}
	return checkConfigSettings{}, fmt.Errorf("check-config takes at most one directory")
}

// parseHealthcheck reads healthcheck's settings.
func parseHealthcheck(getenv func(string) string) (healthcheckSettings, error) {
	p := &parser{getenv: getenv}
	s := healthcheckSettings{OpsAddr: p.env("STACKPICK_HTTP_ADDR", defaultOpsAddr)}
	if _, _, err := net.SplitHostPort(s.OpsAddr); err != nil {
		p.problem("STACKPICK_HTTP_ADDR: %q is not host:port", s.OpsAddr)
	}
	return s, p.err()
}

// secret reads a non-empty secret from name or the file named by name_FILE; "" after a problem.
func (p *parser) secret(name string) string {
	v, problem := p.readSecret(name)
	if problem != "" {
		p.problem("%s", problem)
	}
	return v
}

func (p *parser) readSecret(name string) (v, problem string) {
	v = p.getenv(name)
	if file := p.getenv(name + "_FILE"); v == "" && file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Sprintf("%s_FILE: cannot read the secret file: %v", name, err)
		}
		v = strings.TrimSpace(string(data))
	}
	if v == "" {
		return "", name + " is not set"
	}
	return v, ""
}

// token reads a Slack token from name, or from the file named by name_FILE (for mounted secrets),
// and checks its prefix; "" after a problem. Problems name the variable, never the value.
func (p *parser) token(name, prefix, what string) string {
	v, problem := p.readSecret(name)
	switch {
	case problem != "":
		p.problem("%s: it must hold %s (%s…)", problem, what, prefix)
	case !strings.HasPrefix(v, prefix):
		p.problem("%s does not look like %s: it must start with %s", name, what, prefix)
		return ""
	}
	return v
}

// logger builds the one root logger of the process.
func (c commonSettings) logger(stderr io.Writer) zerolog.Logger {
	var w io.Writer = stderr
	if c.LogText {
		w = zerolog.ConsoleWriter{Out: stderr, NoColor: true, TimeFormat: time.RFC3339}
	}
	return zerolog.New(w).Level(c.LogLevel).With().Timestamp().Logger()
}

// loadCatalog reads the config from the configured directory, or the built-in copy, and the
// radar file when one is set. Its error lists every problem of both, one a line (see
// configError for the binary's wording).
func (c commonSettings) loadCatalog() (*catalog.Catalog, error) {
	cat, _, err := readConfig(c.ConfigDir, c.RadarFile)
	return cat, err
}

// readConfig reads the YAML config from dir ("" is the built-in copy) and, when radarFile is set,
// the radar against it: the radar's stances become the catalog's Radar. A config that does not
// load leaves the radar checked on its own; the error holds the problems of both.
func readConfig(dir, radarFile string) (*catalog.Catalog, *radar.Radar, error) {
	cat, err := loadYAML(dir)
	if radarFile == "" {
		return cat, nil, err
	}
	r, rerr := radar.LoadFile(radarFile, cat)
	if err != nil || rerr != nil {
		return nil, nil, errors.Join(err, rerr)
	}
	cat.Radar = r.Stances
	return cat, r, nil
}

func loadYAML(dir string) (*catalog.Catalog, error) {
	if dir == "" {
		return catalog.Load(config.FS, "config")
	}
	return catalog.LoadDir(strings.TrimRight(dir, "/"))
}

// configError words a config that does not load: "load config: " and its problem, or how many
// there are and then one a line.
func configError(err error) error {
	return listed("load config", strings.Split(err.Error(), "\n"))
}
