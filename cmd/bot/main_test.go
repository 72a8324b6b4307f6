package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/redistest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// bot runs the program as main does, with the given environment and standard input.
func bot(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err = run(context.Background(), nil, args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test ./cmd/bot -update to accept):\n%s", name, got)
	}
}

// A whole console conversation with free text, skip, back and change, piped as a newcomer would.
const conversation = `a B2B SaaS in Python, 4 devs, launch in 6 weeks, EU customers
3
mostly crud with some background jobs
skip
back
2
change traffic to massive
modular
containers
batteries
yes
important
no
`

func TestConsoleHoldsAWholeConversation(t *testing.T) {
	out, _, err := bot(t, nil, conversation, "console")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"> a B2B SaaS in Python, 4 devs, launch in 6 weeks, EU customers",
		"✓ Noted from your message: project: A SaaS product; languages: Python; team size: A small team (2-10); deadline: Within weeks; compliance: Regulated",
		"Question 5 of 14: How much traffic",
		"  (skipped)",
		"✓ Changed traffic: Massive (millions, with spikes).",
		"== Your backend shortlist ==",
		"1. Django",
		"Before you commit:",
		"[x] Development timeline: You said: Within weeks.",
		"Proof of concept:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	golden(t, "console.golden", out)
}

func TestConsoleSessionsSurviveARestartWithRedis(t *testing.T) {
	srv := redistest.Start(t)
	env := map[string]string{"REDIS_URL": "redis://" + srv.Addr + "/0", "USER": "alice"}
	if _, _, err := bot(t, env, "2\npython\nquit\n", "console"); err != nil {
		t.Fatal(err)
	}
	out, _, err := bot(t, env, "resume\nstatus\n", "console")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"You have a conversation in progress (2 of 14 answered)",
		"Question 3 of 14: How big is the team",
		"  project      A SaaS product",
		"  languages    Python",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("second run lacks %q:\n%s", want, out)
		}
	}
}

func TestStartupFailsFastOnBadSettings(t *testing.T) {
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().String()
	}()
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"SESSION_TTL": "a week"}, []string{"console"}, `SESSION_TTL: "a week" is not a positive duration`},
		{map[string]string{"LOG_FORMAT": "xml"}, []string{"console"}, `LOG_FORMAT: "xml" is neither json nor text`},
		{map[string]string{"LOG_LEVEL": "loud"}, []string{"console"}, `LOG_LEVEL: "loud"`},
		{map[string]string{"REDIS_URL": "redis://" + closed}, []string{"console"}, "REDIS_URL: ping redis"},
		{map[string]string{"REDIS_URL": "redis://user:s3cret@[::1"}, []string{"console"}, "REDIS_URL: parse redis URL"},
		{nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{nil, nil, "SLACK_APP_TOKEN is not set"},
		{map[string]string{"SLACK_MODE": "carrier-pigeon"}, nil, `SLACK_MODE: "carrier-pigeon" is neither socket nor http`},
		{map[string]string{"SLACK_MODE": "http", "SLACK_BOT_TOKEN": "xoxb-1"}, nil, "SLACK_SIGNING_SECRET is not set"},
		{map[string]string{"SLACK_APP_TOKEN": "xoxb-wrong-kind"}, []string{"serve"}, "SLACK_APP_TOKEN does not look like an app-level token"},
		{map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxp-user-token"}, []string{"serve"}, "SLACK_BOT_TOKEN does not look like the bot token"},
		{map[string]string{"SLACK_APP_TOKEN_FILE": "/nonexistent/token"}, nil, "SLACK_APP_TOKEN_FILE: cannot read the secret file"},
		{map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": "slack.example"}, nil, `SLACK_API_URL: "slack.example" is not an http(s) URL`},
	}
	for _, tt := range tests {
		_, _, err := bot(t, tt.env, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v %v: err = %v, want %q", tt.env, tt.args, err, tt.want)
		}
		for _, secret := range []string{"s3cret", "xoxb-wrong-kind", "xoxp-user-token"} {
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("an error shows a secret: %v", err)
			}
		}
	}
}

// Every bad setting is reported at once, one a line under a first line that says what failed, and
// no secret's value appears.
func TestBadSettingsAreReportedAllAtOnce(t *testing.T) {
	env := map[string]string{
		"SESSION_TTL": "a week", "LOG_FORMAT": "xml", "LOG_LEVEL": "loud",
		"SLACK_APP_TOKEN": "xoxb-wrong-kind", "SLACK_BOT_TOKEN": "xoxp-user-token",
		"TURNS_PER_MINUTE": "-1", "SLACK_PACING": "sometimes", "SLACK_API_URL": "slack.example",
		"STACKPICK_HTTP_ADDR": "8080", "STACKPICK_DEBUG_ADDR": "6060",
	}
	_, _, err := bot(t, env, "", "serve")
	if err == nil {
		t.Fatal("bad settings were accepted")
	}
	want := []string{
		`settings: 10 problems:`,
		`SESSION_TTL: "a week" is not a positive duration such as 168h`,
		`LOG_FORMAT: "xml" is neither json nor text`,
		`LOG_LEVEL: "loud" is not one of debug, info, warn, error`,
		`SLACK_APP_TOKEN does not look like an app-level token with connections:write: it must start with xapp-`,
		`SLACK_BOT_TOKEN does not look like the bot token from installing the app: it must start with xoxb-`,
		`TURNS_PER_MINUTE: "-1" is not a whole number of 0 or more`,
		`SLACK_PACING: "sometimes" is neither on nor off`,
		`SLACK_API_URL: "slack.example" is not an http(s) URL`,
		`STACKPICK_HTTP_ADDR: "8080" is neither host:port (such as :8080) nor off`,
		`STACKPICK_DEBUG_ADDR: "6060" is not host:port (such as 127.0.0.1:6060)`,
	}
	if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("error lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, secret := range []string{"xoxb-wrong-kind", "xoxp-user-token"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows a secret: %v", err)
		}
	}

	// One problem is one line; the console reports its own settings the same way.
	_, _, err = bot(t, map[string]string{"SESSION_TTL": "0s", "LOG_FORMAT": "text"}, "", "console")
	if err == nil || err.Error() != `settings: SESSION_TTL: "0s" is not a positive duration such as 168h` {
		t.Errorf("console with one bad setting: %v", err)
	}
}

// Settings reach what they configure: a value from the environment, a flag over the
// environment, and the defaults.
func TestServeSettingsAreParsedOnce(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "bot-token")
	if err := os.WriteFile(secretFile, []byte("xoxb-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"SLACK_MODE": "http", "SLACK_SIGNING_SECRET": "shh", "SLACK_BOT_TOKEN_FILE": secretFile,
		"LOG_LEVEL": "warn", "TURNS_PER_MINUTE": "0", "SLACK_PACING": "off", "STACKPICK_HTTP_ADDR": "off",
		"STACKPICK_CONFIG_DIR": "/from/env", "SLACK_API_URL": "https://slack.example/api",
	}
	s, err := parseServe([]string{"-log-level", "debug", "-config", "/from/flag"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := serveSettings{
		commonSettings: commonSettings{ConfigDir: "/from/flag", LogLevel: zerolog.DebugLevel, SessionTTL: 168 * time.Hour},
		HTTPMode:       true, SigningSecret: "shh", SlackHTTPAddr: ":3000", BotToken: "xoxb-from-file",
		APIURL: "https://slack.example/api", TurnsPerMinute: 0, Pacing: false, OpsAddr: "",
	}
	if s != want {
		t.Errorf("settings = %+v\nwant       %+v", s, want)
	}
	s, err = parseServe(nil, func(k string) string {
		return map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if s.HTTPMode || s.AppToken != "xapp-1" || s.TurnsPerMinute != 30 || !s.Pacing || s.OpsAddr != ":8080" || s.LogLevel != zerolog.InfoLevel || s.LogText {
		t.Errorf("defaults = %+v", s)
	}
}

// A mistyped flag is one line of error, not a dump of every flag; -h shows the flags and exits
// cleanly.
func TestFlagsErrIsOneLineAndHelpIsClean(t *testing.T) {
	_, stderr, err := bot(t, nil, "", "rank", "-jsno")
	if err == nil || err.Error() != `rank: flag provided but not defined: -jsno; run "bot help" for usage` || stderr != "" {
		t.Errorf("bot rank -jsno = %v, with %q on stderr", err, stderr)
	}
	_, stderr, err = bot(t, nil, "", "console", "-h")
	if err != nil || !strings.HasPrefix(stderr, "Flags of bot console:\n") || !strings.Contains(stderr, "-log-format") {
		t.Errorf("bot console -h = %v, with %q on stderr", err, stderr)
	}
}

// A config with problems says on its first line what failed and how many problems there are,
// then lists each, one a line, like a compiler.
func TestAConfigWithProblemsIsReportedUnderOneHeadline(t *testing.T) {
	dir := copyConfig(t)
	editConfig(t, dir, catalog.CatalogFile, "performance: 5", "performance: 9")
	editConfig(t, dir, catalog.CatalogFile, "dev_speed: 5", "dev_speed: 0")
	_, _, err := bot(t, map[string]string{"STACKPICK_CONFIG_DIR": dir}, "", "console")
	if err == nil {
		t.Fatal("a broken config was accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[0] != "load config: 2 problems:" || len(lines) != 3 {
		t.Fatalf("error = %q, want a headline and two problems", err)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, filepath.Join(dir, catalog.CatalogFile)+":") || !strings.Contains(l, "is outside 1..5") {
			t.Errorf("problem line %q does not locate a rating", l)
		}
	}
}

// Cancelling the run (Ctrl-C, SIGTERM) is a clean exit, not "bot: context canceled".
func TestACancelledRunIsACleanExit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// With Redis configured, opening it fails with the cancelled context.
	env := map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"}
	if err := run(ctx, nil, []string{"console"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Errorf("a cancelled console = %v, want nil", err)
	}
	// A real failure is still one.
	if err := run(context.Background(), nil, []string{"console"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard); err == nil || !strings.HasPrefix(err.Error(), "REDIS_URL: ping redis: ") {
		t.Errorf("console with Redis down = %v", err)
	}
}

func TestHelpPrintsUsage(t *testing.T) {
	out, _, err := bot(t, nil, "", "help")
	if err != nil || !strings.Contains(out, "Usage:") || !strings.Contains(out, "bot console") {
		t.Fatalf("bot help = %q, %v", out, err)
	}
}

type rankJSON struct {
	Shortlist []struct {
		Rank      int      `json:"rank"`
		ID        string   `json:"id"`
		Name      string   `json:"name"`
		Score     int      `json:"score"`
		Languages []string `json:"languages"`
		Website   string   `json:"website"`
		Emerging  bool     `json:"emerging"`
		Reasons   []string `json:"reasons"`
		Watchouts []string `json:"watchouts"`
	} `json:"shortlist"`
	Checklist []struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Status string `json:"status"`
		Text   string `json:"text"`
	} `json:"checklist"`
	POC []string `json:"poc"`
}

func rankAsJSON(t *testing.T, args ...string) rankJSON {
	t.Helper()
	out, _, err := bot(t, nil, "", append([]string{"rank", "--json"}, args...)...)
	if err != nil {
		t.Fatalf("rank %v: %v", args, err)
	}
	var r rankJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&struct {
		*rankJSON
		Situation any `json:"situation"`
	}{rankJSON: &r}); err != nil {
		t.Fatalf("rank %v: not the documented JSON: %v\n%s", args, err, out)
	}
	return r
}

func TestRankJSONAnswersEveryQuestionAndOption(t *testing.T) {
	cat, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range cat.Questions {
		for _, o := range q.Options {
			r := rankAsJSON(t, q.ID+"="+o.ID)
			if len(r.Shortlist) != len(cat.Frameworks) {
				t.Fatalf("%s=%s: %d frameworks, want the whole catalog (%d)", q.ID, o.ID, len(r.Shortlist), len(cat.Frameworks))
			}
			seen := map[string]bool{}
			for i, e := range r.Shortlist {
				if e.Rank != i+1 || seen[e.ID] || e.Name == "" || len(e.Reasons) < 2 || e.Watchouts == nil {
					t.Fatalf("%s=%s: entry %d = %+v", q.ID, o.ID, i, e)
				}
				if i > 0 && e.Score > r.Shortlist[i-1].Score {
					t.Fatalf("%s=%s: not ranked best first at %d", q.ID, o.ID, i)
				}
				seen[e.ID] = true
			}
			if len(r.Checklist) == 0 || len(r.POC) == 0 {
				t.Fatalf("%s=%s: no checklist or plan", q.ID, o.ID)
			}
		}
	}
}

func TestRankJSONForTheIssuesExamples(t *testing.T) {
	mvp := rankAsJSON(t, "project=mvp", "languages=python,typescript", "team=small")
	if mvp.Shortlist[0].ID != "django" {
		t.Errorf("MVP team knowing Python and TypeScript: first is %s, want django", mvp.Shortlist[0].ID)
	}
	java := rankAsJSON(t, "project=enterprise", "languages=java", "compliance=regulated", "team=large")
	if java.Shortlist[0].ID != "spring-boot" || java.Shortlist[1].ID != "aspnet-core" {
		t.Errorf("regulated Java enterprise: top two %s, %s; want spring-boot, aspnet-core", java.Shortlist[0].ID, java.Shortlist[1].ID)
	}
	settled := map[string]string{}
	for _, it := range java.Checklist {
		settled[it.ID] = it.Status
	}
	if settled["security"] != "settled" || settled["community"] != "verify" {
		t.Errorf("checklist statuses = %v", settled)
	}
}

func TestRankRejectsBadAnswersAllAtOnce(t *testing.T) {
	_, _, err := bot(t, nil, "", "rank", "colour=red", "team=giant,solo", "languages=python")
	if err == nil {
		t.Fatal("bad answers were accepted")
	}
	for _, want := range []string{`unknown question "colour"`, `team: unknown option "giant"`, "team: takes one option, got 2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, _, err := bot(t, nil, "", "rank", "project"); err == nil || !strings.Contains(err.Error(), "is not question=option") {
		t.Errorf("rank project = %v", err)
	}
}

func TestCheckConfig(t *testing.T) {
	out, _, err := bot(t, nil, "", "check-config", "../../config")
	if err != nil || !strings.Contains(out, "../../config: ok (18 frameworks, 13 criteria, 14 questions") {
		t.Fatalf("check-config of the shipped config = %q, %v", out, err)
	}
	dir := t.TempDir()
	for _, name := range []string{catalog.CatalogFile, catalog.QuestionsFile, catalog.WeightsFile, catalog.ChecklistFile} {
		data, err := os.ReadFile(filepath.Join("../../config", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == catalog.CatalogFile {
			data = bytes.Replace(data, []byte("performance: 4, scalability: 5, dev_speed: 3"), []byte("performance: 9, scalability: 5, dev_speed: 3"), 1)
		}
		if name == catalog.QuestionsFile {
			data = bytes.Replace(data, []byte("favors: [gin, fiber]"), []byte("favors: [gin, fibre]"), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = bot(t, nil, "", "check-config", dir)
	if err == nil {
		t.Fatal("a broken config passed")
	}
	if headline, _, _ := strings.Cut(err.Error(), "\n"); headline != "check-config: 2 problems:" {
		t.Errorf("first line %q does not say what failed", headline)
	}
	broken, _ := os.ReadFile(filepath.Join(dir, catalog.CatalogFile))
	before, _, _ := bytes.Cut(broken, []byte("performance: 9"))
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n') + len("performance: ") // 1-based column of the 9
	for _, want := range []string{
		fmt.Sprintf("%s:%d:%d: frameworks[0].ratings.performance: 9 is outside 1..5", filepath.Join(dir, catalog.CatalogFile), line, col),
		`questions[0].options[7].favors[1]: unknown framework "fibre"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("check-config's error lacks %q:\n%v", want, err)
		}
	}
}
