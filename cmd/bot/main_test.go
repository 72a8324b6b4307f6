package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/golden"
	"github.com/stackpick/stackpick/internal/redistest"
)

// bot runs the program as main does, with the given environment and standard input.
func bot(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err = run(context.Background(), nil, args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// fixtureEnv runs a command on the test config (fixtureConfig) instead of the shipped one.
var fixtureEnv = map[string]string{"STACKPICK_CONFIG_DIR": fixtureConfig}

// A whole console conversation on the test config, piped as a newcomer would: a description that
// fills in four answers, a number, free text that answers a later question, skip past an answered
// question, back, a change, a synonym and a last yes/no answer. Then the questions after the
// shortlist: why not a framework outside the top two, what about a language, a comparison, a
// what-if that is not saved and then kept, a change that moves the top pick, how sure, the
// checklist and the decision record.
const conversation = `a B2B SaaS in Python, 4 devs, launch in 6 weeks
3
mostly crud with some background jobs
skip
back
2
change traffic to massive
regulated
no
why not ironbark
what about java?
compare quill and fernwork
what if traffic is small?
status
keep it
change languages to java
how sure are you?
checklist
export
`

func TestConsoleHoldsAWholeConversation(t *testing.T) {
	cat := loadConfig(t, fixtureConfig)
	out, _, err := bot(t, fixtureEnv, conversation, "console")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("I have %d short questions.", len(cat.Questions)),
		"> a B2B SaaS in Python, 4 devs, launch in 6 weeks",
		"✓ Understood: project: A SaaS product; languages: Python; team size: A small team (2-10), from 4 people; deadline: Within weeks.",
		questionOf(cat, 5) + ": How much traffic",
		"✓ Understood: workload: CRUD and business rules, Background jobs.",
		"  (skipped)",
		"✓ Changed traffic: Massive (millions).",
		questionOf(cat, len(cat.Questions)) + ": Will you hire",
		"== Your backend shortlist ==",
		"1. Quill",
		"Ironbark ranks #3 with 50, 24 points behind Quill (74).",
		"What costs it most against Quill:",
		"Your best Java option is Ironbark.",
		"Quill (#1, 74) vs Fernwork (#2, 57), for your answers",
		"For your answers Quill leads Fernwork by 17 points",
		"What if: with traffic “Small (under 1k users)” (instead of “Massive (millions)”). Quill 74 → 79 (still #1)",
		"traffic      Massive (millions)", // the what-if left the saved answers as they were
		"✓ Changed traffic: Small (under 1k users).",
		"What moved: Ironbark 46 → 75 (now #1); Quill 79 → 50 (now #2)",
		"Before you commit:",
		"status: \"proposed\"",
		"## Considered Options",
		"Chosen option: \"Ironbark\"",
	} {
		transcriptHas(t, out, want)
	}
	golden.Check(t, "console.golden", regexp.MustCompile(`date: \d{4}-\d{2}-\d{2}`).ReplaceAllString(out, "date: (today)"))
}

// transcriptHas checks that out holds want. The console wraps at 80 columns: runs of white space
// are folded on both sides.
func transcriptHas(t *testing.T, out, want string) {
	t.Helper()
	if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
		t.Errorf("transcript lacks %q", want)
	}
}

// people is a conversation in the words people use: a clarification answered by its number, typos
// and an undo, a question back, a head count, a doubt, a figure of users and a loose change.
const people = `an api for our saas
the second one
pyhton and typescirpt
undo
python and typescript
what is a small team?
3 of us
no idea
about 5000 users
actually we're 20 devs now
done
`

func TestConsoleUnderstandsPeople(t *testing.T) {
	out, _, err := bot(t, fixtureEnv, people, "console")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"That fits more than one answer: 1 A SaaS product, 2 An API for other clients.",
		"✓ Understood: languages: Python, TypeScript. (I read pyhton → python, typescirpt → typescript.)",
		"Say undo to take that back.",
		"✓ Undone: languages is unanswered again.",
		"✓ Understood: team size: A small team (2-10), from 3 people.",
		"✓ Noted that you're not sure about deadline",
		"✓ Understood: traffic: Growing (thousands of users), from 5,000 users.",
		"✓ Changed team size: Several teams (11+), from 20 people.",
		"== Your backend shortlist ==",
	} {
		transcriptHas(t, out, want)
	}
	golden.Check(t, "people.golden", out)
}

func TestConsoleSessionsSurviveARestartWithRedis(t *testing.T) {
	srv := redistest.Start(t)
	cat := loadConfig(t, fixtureConfig)
	env := map[string]string{"REDIS_URL": "redis://" + srv.Addr + "/0", "USER": "alice", "STACKPICK_CONFIG_DIR": fixtureConfig}
	if _, _, err := bot(t, env, "2\npython\nquit\n", "console"); err != nil {
		t.Fatal(err)
	}
	out, _, err := bot(t, env, "resume\nstatus\n", "console")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("You have a conversation in progress (2 of %d answered)", len(cat.Questions)),
		questionOf(cat, 3) + ": How big is the team",
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
		{map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": "slack.example"}, nil, `SLACK_API_URL is not an http(s) URL`},
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
		"STACKPICK_HTTP_ADDR": "8080", "STACKPICK_DEBUG_ADDR": "6060", "TEAM_REVISIT_DAYS": "121",
	}
	_, _, err := bot(t, env, "", "serve")
	if err == nil {
		t.Fatal("bad settings were accepted")
	}
	want := []string{
		`settings: 11 problems:`,
		`SESSION_TTL: "a week" is not a positive duration such as 168h`,
		`LOG_FORMAT: "xml" is neither json nor text`,
		`LOG_LEVEL: "loud" is not one of debug, info, warn, error`,
		`SLACK_APP_TOKEN does not look like an app-level token with connections:write: it must start with xapp-`,
		`SLACK_BOT_TOKEN does not look like the bot token from installing the app: it must start with xoxb-`,
		`TURNS_PER_MINUTE: "-1" is not a whole number of 0 or more`,
		`TEAM_REVISIT_DAYS: "121" is not a whole number of days from 1 to 120 (Slack schedules at most 120 days ahead)`,
		`SLACK_PACING: "sometimes" is not on, local or off`,
		`SLACK_API_URL is not an http(s) URL: it must start with https:// (or http://)`,
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
		"STACKPICK_CONFIG_DIR": "/from/env", "SLACK_API_URL": "https://slack.example/api", "TEAM_REVISIT_DAYS": "14",
	}
	s, err := parseServe([]string{"-log-level", "debug", "-config", "/from/flag"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := serveSettings{
		commonSettings: commonSettings{ConfigDir: "/from/flag", LogLevel: zerolog.DebugLevel, SessionTTL: 168 * time.Hour},
		HTTPMode:       true, SigningSecret: "shh", SlackHTTPAddr: ":3000", BotToken: "xoxb-from-file",
		APIURL: "https://slack.example/api", TurnsPerMinute: 0, Revisit: 14 * 24 * time.Hour, Pacing: false, OpsAddr: "",
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
	if s.HTTPMode || s.AppToken != "xapp-1" || s.TurnsPerMinute != 30 || s.Revisit != 28*24*time.Hour || !s.Pacing || s.PaceLocally || s.OpsAddr != ":8080" || s.LogLevel != zerolog.InfoLevel || s.LogText {
		t.Errorf("defaults = %+v", s)
	}
	s, err = parseServe(nil, func(k string) string {
		return map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_PACING": "local"}[k]
	}, io.Discard)
	if err != nil || !s.Pacing || !s.PaceLocally {
		t.Errorf("SLACK_PACING=local: pacing %v, locally %v, %v; want both", s.Pacing, s.PaceLocally, err)
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

type confidenceWant struct {
	Level     string  `json:"level"`
	Coverage  float64 `json:"coverage"`
	Margin    int     `json:"margin"`
	Answered  int     `json:"answered"`
	Questions int     `json:"questions"`
}

type rankJSON struct {
	Confidence confidenceWant `json:"confidence"`
	Choices    []string       `json:"choices"`
	Shortlist  []struct {
		Rank      int      `json:"rank"`
		ID        string   `json:"id"`
		Name      string   `json:"name"`
		Score     int      `json:"score"`
		Languages []string `json:"languages"`
		Website   string   `json:"website"`
		Emerging  bool     `json:"emerging"`
		Style     string   `json:"style"`
		Reasons   []struct {
			Text      string   `json:"text"`
			Positive  bool     `json:"positive"`
			Criterion string   `json:"criterion"`
			Sources   []string `json:"sources"`
		} `json:"reasons"`
		Watchouts []struct {
			Text      string `json:"text"`
			Triggered bool   `json:"triggered"`
		} `json:"watchouts"`
		Confidence   confidenceWant `json:"confidence"`
		Alternatives []string       `json:"alternatives"`
		SiblingOf    string         `json:"sibling_of"`
	} `json:"shortlist"`
	Checklist []struct {
		ID       string `json:"id"`
		Title    string `json:"title"`
		Status   string `json:"status"`
		Conflict bool   `json:"conflict"`
		Text     string `json:"text"`
	} `json:"checklist"`
	POC []string `json:"poc"`
}

func rankAsJSON(t *testing.T, args ...string) rankJSON {
	t.Helper()
	out, _, err := bot(t, fixtureEnv, "", append([]string{"rank", "--json"}, args...)...)
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
	cat := loadConfig(t, fixtureConfig)
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
				// A reason that cites a rating names its criterion; the others name none.
				for _, rs := range e.Reasons {
					if cites := strings.HasSuffix(rs.Text, "/5"); cites != (rs.Criterion != "") {
						t.Errorf("%s=%s: %s: %q has criterion %q", q.ID, o.ID, e.ID, rs.Text, rs.Criterion)
					}
				}
				seen[e.ID] = true
			}
			if len(r.Checklist) == 0 || len(r.POC) == 0 {
				t.Fatalf("%s=%s: no checklist or plan", q.ID, o.ID)
			}
		}
	}
}

// The answers given on the command line reach the ranking: each of these teams gets the one
// framework of the test config built for it first (the shipped config's own examples are in the
// acceptance suite under config/).
func TestRankJSONRanksForTheAnswersGiven(t *testing.T) {
	tests := []struct {
		answers []string
		first   string
	}{
		{[]string{"project=mvp", "languages=python,typescript", "team=small"}, "quill"},
		{[]string{"project=enterprise", "languages=java", "compliance=regulated", "team=large"}, "ironbark"},
		{[]string{"project=api", "languages=go", "latency=critical"}, "swiftlet"},
	}
	for _, tt := range tests {
		if r := rankAsJSON(t, tt.answers...); r.Shortlist[0].ID != tt.first {
			t.Errorf("%v: first is %s, want %s", tt.answers, r.Shortlist[0].ID, tt.first)
		}
	}
	java := rankAsJSON(t, tests[1].answers...)
	settled := map[string]string{}
	for _, it := range java.Checklist {
		settled[it.ID] = it.Status
	}
	if settled["security"] != "settled" || settled["community"] != "verify" {
		t.Errorf("checklist statuses = %v; want security settled by the compliance answer and community left to verify", settled)
	}
}

// Each reason carries its polarity and the seeds behind it: a seed recommendation's reason names
// its sources and is given once, however many of its answers were given (an enterprise system and
// regulated work are one recommendation in the test config); a rating's reason names the seeds of
// its rating notes (ranking tests which), and the language reason none.
func TestRankJSONGivesEachRecommendationOnceWithItsSeeds(t *testing.T) {
	cat := loadConfig(t, fixtureConfig)
	i := slices.IndexFunc(cat.Weights.Recommendations, func(r catalog.Recommendation) bool { return r.ID == "enterprise" })
	if i < 0 {
		t.Fatal("the test config has no enterprise recommendation")
	}
	rec := cat.Weights.Recommendations[i]
	r := rankAsJSON(t, "project=enterprise", "compliance=regulated")
	for _, e := range r.Shortlist {
		n := 0
		for _, rs := range e.Reasons {
			switch {
			case rs.Text == rec.Reason:
				n++
				if !rs.Positive || !slices.Equal(rs.Sources, rec.Sources) {
					t.Errorf("%s: %+v, want positive with sources %v", e.ID, rs, rec.Sources)
				}
			case rs.Sources == nil:
				t.Errorf("%s: %+v, want sources as a list, [] when none", e.ID, rs)
			case rs.Criterion == "" && len(rs.Sources) > 0:
				t.Errorf("%s: %+v, want sources [] on the language reason", e.ID, rs)
			}
		}
		if want := slices.Contains(rec.Picks, e.ID); n != map[bool]int{true: 1}[want] {
			t.Errorf("%s gives the enterprise reason %d times (a pick: %v): %+v", e.ID, n, want, e.Reasons)
		}
	}
}

// Each watchout says whether the answers trigger it: Ironbark's "heavy for a prototype that has to
// ship in weeks" only for a prototype with a deadline in weeks, its JVM caveat always, untriggered.
func TestRankJSONMarksTheWatchoutsTheAnswersTrigger(t *testing.T) {
	cat := loadConfig(t, fixtureConfig)
	f, _ := cat.Framework("ironbark")
	heavy, jvm := f.Watchouts[0].Text, f.Watchouts[1].Text
	type watchout = struct {
		text      string
		triggered bool
	}
	tests := []struct {
		answers []string
		want    []watchout
	}{
		{[]string{"project=mvp"}, []watchout{{jvm, false}}},
		{[]string{"deadline=weeks"}, []watchout{{jvm, false}}},
		{[]string{"project=mvp", "deadline=weeks"}, []watchout{{heavy, true}, {jvm, false}}},
	}
	for _, tt := range tests {
		var got []watchout
		for _, e := range rankAsJSON(t, tt.answers...).Shortlist {
			if e.ID == f.ID {
				for _, w := range e.Watchouts {
					got = append(got, watchout{w.Text, w.Triggered})
				}
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%v: ironbark's watchouts = %v, want %v", tt.answers, got, tt.want)
		}
	}
}

func TestRankRejectsBadAnswersAllAtOnce(t *testing.T) {
	_, _, err := bot(t, fixtureEnv, "", "rank", "colour=red", "team=giant,solo", "languages=python")
	if err == nil {
		t.Fatal("bad answers were accepted")
	}
	for _, want := range []string{`unknown question "colour"`, `team: unknown option "giant"`, "team: takes one option, got 2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, _, err := bot(t, fixtureEnv, "", "rank", "project"); err == nil || !strings.Contains(err.Error(), "is not question=option") {
		t.Errorf("rank project = %v", err)
	}
}

func TestCheckConfig(t *testing.T) {
	cat := loadConfig(t, fixtureConfig)
	out, _, err := bot(t, nil, "", "check-config", fixtureConfig)
	want := fmt.Sprintf("%s: ok (%d frameworks, %d criteria, %d questions, %d checklist items)\n",
		fixtureConfig, len(cat.Frameworks), len(cat.Criteria), len(cat.Questions), len(cat.Checklist.Items))
	if err != nil || out != want {
		t.Fatalf("check-config of the test config = %q, %v; want %q", out, err, want)
	}
	dir := t.TempDir()
	for _, name := range catalog.Files {
		data, err := os.ReadFile(filepath.Join(fixtureConfig, name))
		if err != nil {
			t.Fatal(err)
		}
		// The first framework's performance rating, and the second pick of the SaaS
		// recommendation (the second).
		if name == catalog.CatalogFile {
			data = replaceOnce(t, data, "ratings: {performance: 2, scalability: 3, dev_speed: 5", "ratings: {performance: 9, scalability: 3, dev_speed: 5")
		}
		if name == catalog.WeightsFile {
			data = replaceOnce(t, data, "picks: [quill, tidewater]", "picks: [quill, tidewaters]")
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
		`recommendations[1].picks[1]: unknown framework "tidewaters"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("check-config's error lacks %q:\n%v", want, err)
		}
	}
}

// check-config validates the radar named with -radar (or STACKPICK_RADAR) against the config,
// says what it holds and notes, positioned, the entries that name no framework; a broken radar's
// problems are listed with the YAML's, all at once.
func TestCheckConfigValidatesTheRadar(t *testing.T) {
	out, _, err := bot(t, map[string]string{"STACKPICK_RADAR": fixtureRadar}, "", "check-config", fixtureConfig)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 3 ||
		lines[1] != fixtureRadar+": ok (4 entries, 3 of them frameworks of the catalog: 1 adopt, 1 trial, 0 assess, 1 hold)" ||
		!strings.HasPrefix(lines[2], fixtureRadar+":24:5: note: entries[3]: \"Kafka\" names no framework of the catalog") {
		t.Fatalf("check-config with the radar = %q, %v", out, err)
	}

	dir := t.TempDir()
	radarFile := filepath.Join(dir, "radar.json")
	data, _ := os.ReadFile(fixtureRadar)
	if err := os.WriteFile(radarFile, replaceOnce(t, data, `"date": "2025-01-10"`, `"date": "10/01/2025"`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = bot(t, nil, "", "check-config", "-radar", radarFile, fixtureConfig)
	if err == nil || !strings.Contains(err.Error(), radarFile+":19:") || !strings.Contains(err.Error(), `entries[1].timeline[0].date: "10/01/2025" is not a date`) {
		t.Errorf("check-config of a broken radar = %v", err)
	}
	// With the YAML broken too, both files' problems come at once; the radar is checked alone.
	for _, name := range catalog.Files {
		data, _ := os.ReadFile(filepath.Join(fixtureConfig, name))
		if name == catalog.WeightsFile {
			data = replaceOnce(t, data, "radar_adopt: 0.05", "radar_adopt: 5")
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = bot(t, nil, "", "check-config", "-radar", radarFile, dir)
	if err == nil || !strings.HasPrefix(err.Error(), "check-config: 2 problems:\n") || !strings.Contains(err.Error(), "radar_adopt: 5 is outside 0..0.3") || !strings.Contains(err.Error(), `"10/01/2025" is not a date`) {
		t.Errorf("check-config of a broken config and radar = %v", err)
	}
}

// bot rank follows the radar: the framework on hold is not ranked but listed apart, in text and
// in JSON, and each entry says what the radar says of it.
func TestRankFollowsTheRadar(t *testing.T) {
	env := map[string]string{"STACKPICK_CONFIG_DIR": fixtureConfig, "STACKPICK_RADAR": fixtureRadar}
	text, _, err := bot(t, env, "", "rank", "languages=python", "project=saas")
	if err != nil || !strings.Contains(text, "Not considered:\n  ✗ your organisation's radar puts Quill on hold (2025-03-01)") || !strings.Contains(text, "◎ Your organisation's radar: adopt since 2025-01-10: Our Python default.") {
		t.Errorf("bot rank with the radar = %v:\n%s", err, text)
	}
	out, _, err := bot(t, env, "", "rank", "--json", "languages=python")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Shortlist []struct {
			ID    string `json:"id"`
			Radar *struct {
				Ring  string `json:"ring"`
				Since string `json:"since"`
			} `json:"radar"`
		} `json:"shortlist"`
		NotConsidered []struct {
			ID     string `json:"id"`
			Reason string `json:"reason"`
		} `json:"not_considered"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got.NotConsidered) != 1 || got.NotConsidered[0].ID != "quill" || got.Shortlist[0].ID != "fernwork" || got.Shortlist[0].Radar == nil || got.Shortlist[0].Radar.Since != "2025-01-10" {
		t.Errorf("bot rank --json with the radar = %s", out)
	}
	for _, e := range got.Shortlist {
		if e.ID == "quill" || (e.Radar != nil) != (e.ID == "fernwork" || e.ID == "ironbark") {
			t.Errorf("%s in the shortlist with radar %+v", e.ID, e.Radar)
		}
	}
	if plain, _, _ := bot(t, fixtureEnv, "", "rank", "--json", "languages=python"); strings.Contains(plain, "radar") || strings.Contains(plain, "not_considered") {
		t.Errorf("bot rank --json without a radar mentions one:\n%s", plain)
	}
}

// replaceOnce replaces the first old in data with new, failing when data has no old.
func replaceOnce(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("the test config has no %q", old)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

// bot understand prints the reader's JSON for a message at a point of a conversation, and refuses
// a point that cannot exist.
func TestUnderstandPrintsWhatTheReaderMakesOfAMessage(t *testing.T) {
	out, _, err := bot(t, fixtureEnv, "", "understand", "--question", "team", "--answered", "languages=python+go", "3 of us")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Intent   string              `json:"intent"`
		Answers  map[string][]string `json:"answers"`
		Readings map[string]string   `json:"readings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Intent != "answer" || !slices.Equal(got.Answers["team"], []string{"small"}) || got.Readings["team"] != "3 people" {
		t.Errorf("3 of us at team = %+v", got)
	}
	for _, args := range [][]string{
		{"understand", "--question", "colour", "blue"},
		{"understand", "--question", "team", "--pending", "giant", "2"},
		{"understand", "--question", "result", "--pending", "small", "2"},
		{"understand", "--question", "team"},
	} {
		if _, _, err := bot(t, fixtureEnv, "", args...); err == nil {
			t.Errorf("bot %v succeeded; want an error", args)
		}
	}
}
