package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// get fetches path from a replica's operations address.
func (r *replica) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + r.ops + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// scrape returns the lines of a replica's /metrics that start with prefix.
func (r *replica) scrape(t *testing.T, prefix string) []string {
	t.Helper()
	_, body := r.get(t, "/metrics")
	var lines []string
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, prefix) {
			lines = append(lines, line)
		}
	}
	return lines
}

// scraped is scrape's lines as one text, for messages and logs.
func (r *replica) scraped(t *testing.T, prefix string) string {
	return strings.Join(r.scrape(t, prefix), "\n")
}

// metric returns the value of one series in a replica's /metrics, e.g.
// `stackpick_turns_total{event="message"}`; -1 when it is not there.
func (r *replica) metric(t *testing.T, series string) float64 {
	t.Helper()
	lines := r.scrape(t, series+" ")
	if len(lines) == 0 {
		return -1
	}
	f, err := strconv.ParseFloat(strings.TrimPrefix(lines[0], series+" "), 64)
	if err != nil {
		t.Fatalf("%s: %v", series, err)
	}
	return f
}

func TestReadyzFollowsRedisAndSlack(t *testing.T) {
	e := startE2E(t)
	if e.redis == nil {
		t.Skip("needs redis-server")
	}
	// The fake counts a socket as live once it accepts it; the bot counts itself connected when
	// slack-go's "connected" event reaches its read loop, a moment later.
	if _, err := e.logs.waitFor(e.ctx, "connected to Slack"); err != nil {
		t.Fatal(err)
	}
	if code, body := e.get(t, "/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	// The fake sees the socket before the bot has read its hello; ready means the bot knows.
	if _, err := e.logs.waitFor(e.ctx, "connected to Slack"); err != nil {
		t.Fatal(err)
	}
	if code, body := e.get(t, "/readyz"); code != 200 {
		t.Fatalf("/readyz with Slack and Redis up = %d %q", code, body)
	}

	e.redis.Stop()
	code, body := e.get(t, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "redis: ") || strings.Contains(body, "slack: ") {
		t.Fatalf("/readyz with Redis stopped = %d %q; want 503 naming redis only", code, body)
	}
	if code, _ := e.get(t, "/healthz"); code != 200 {
		t.Errorf("/healthz with Redis stopped = %d; the process is alive", code)
	}
	// A turn while Redis is down fails, and the failure is counted.
	thread := "" // no conversation needed: the admission itself reaches Redis
	e.say("UREADY", thread, "hello")
	if _, err := e.logs.waitFor(e.ctx, `"turn failed"`); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.scraped(t, "stackpick_redis_errors_total{"), `command="evalsha"`) {
		t.Errorf("no Redis error counted while Redis was down:\n%s", e.scraped(t, "stackpick_redis"))
	}

	e.redis.Restart(t)
	if code, body := e.get(t, "/readyz"); code != 200 {
		t.Fatalf("/readyz once Redis is back = %d %q", code, body)
	}

	e.fake.Close() // Slack gone for good: the bot cannot reconnect
	if _, err := e.logs.waitFor(e.ctx, "Slack connection lost"); err != nil {
		t.Fatal(err)
	}
	code, body = e.get(t, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "slack: not connected") {
		t.Fatalf("/readyz with Slack gone = %d %q", code, body)
	}
	if e.metric(t, "stackpick_slack_connected") != 0 {
		t.Error("stackpick_slack_connected is not 0 with Slack gone")
	}
}

func TestMetricsCountAConversation(t *testing.T) {
	e := startE2E(t, map[string]string{"SLACK_PACING": "on"})
	fake := e.fake
	const user = "UMETRICS"
	dm := fake.DMChannel(user)
	fake.AddChannel("CSHARE", "backend", user, slackfake.BotUserID)
	thread, _ := e.startConversation(user)
	e.say(user, thread, "a B2B SaaS in Python, 4 devs, launch in 6 weeks")
	e.waitPost(dm, e.question(5))
	fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, 1, "") // slack-go waits and retries
	e.say(user, thread, "done")
	e.waitPost(dm, "Your backend shortlist")
	slash := func(text string) { e.next(); e.send(fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", text)) }
	slash("share <#CSHARE|backend>")
	e.waitPost("CSHARE", "Backend shortlist from <@"+user+">")
	slash("restart") // a finished conversation starts over
	e.waitPost(dm, e.question(1))
	slash("restart") // an unfinished one is abandoned
	e.waitPost(dm, e.question(1))

	t.Logf("/metrics after the conversation:\n%s", e.scraped(t, "stackpick_"))
	for series, want := range map[string]float64{
		`stackpick_slack_connected`:                                                         1,
		`stackpick_slack_envelopes_total{type="events_api"}`:                                2,
		`stackpick_slack_envelopes_total{type="slash_commands"}`:                            4,
		`stackpick_slack_ack_seconds_count`:                                                 6,
		`stackpick_turns_total{event="message"}`:                                            2,
		`stackpick_turns_total{event="slash_command"}`:                                      4,
		`stackpick_sessions_total{event="started"}`:                                         3,
		`stackpick_sessions_total{event="completed"}`:                                       1,
		`stackpick_sessions_total{event="abandoned"}`:                                       1,
		`stackpick_recommendations_shared_total`:                                            1,
		`stackpick_slack_api_calls_total{method="chat.postMessage",outcome="rate_limited"}`: 1,
		`stackpick_config_reloads_total{outcome="rejected"}`:                                0,
	} {
		if got := e.metric(t, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	for _, series := range []string{`{method="chat.postMessage",outcome="ok"}`, `{method="conversations.open",outcome="ok"}`, `{method="response_url",outcome="ok"}`} {
		if got := e.metric(t, "stackpick_slack_api_calls_total"+series); got < 1 {
			t.Errorf("stackpick_slack_api_calls_total%s = %v, want some", series, got)
		}
	}
	if body := e.scraped(t, "stackpick_"); strings.Contains(body, user) {
		t.Errorf("a user or team id leaked into a label:\n%s", body)
	}
}

// copyConfig writes the test config's files (fixtureConfig) into a new directory and returns it.
func copyConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range catalog.Files {
		data, err := os.ReadFile(filepath.Join(fixtureConfig, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// editConfig replaces old with new in one of dir's files and returns where new starts: the file's
// path, and 1-based line and column.
func editConfig(t *testing.T, dir, name, old, new string) (path string, line, col int) {
	t.Helper()
	path = filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q (%v)", name, old, err)
	}
	before, _, _ := strings.Cut(string(data), old)
	line = strings.Count(before, "\n") + 1
	col = len(before) - strings.LastIndexByte(before, '\n')
	if err := os.WriteFile(path, []byte(before+new+string(data)[len(before)+len(old):]), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, line, col
}

// reloadConfig asks a replica to re-read its config, as SIGHUP does.
func (r *replica) reloadConfig(t *testing.T, ctx context.Context) {
	t.Helper()
	select {
	case r.reload <- struct{}{}:
	case <-ctx.Done():
		t.Fatalf("the bot took no reload: %v", ctx.Err())
	}
}

func TestAReloadTakesAFixedConfigAndRejectsABrokenOne(t *testing.T) {
	dir := copyConfig(t)
	cat, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := startE2E(t, map[string]string{"STACKPICK_CONFIG_DIR": dir})
	const user = "URELOAD"
	dm := e.fake.DMChannel(user)
	first := fmt.Sprintf("Question 1 of %d", len(cat.Questions))
	before := cat.Questions[0].Text
	after := before + " (reworded)"
	criterion := cat.Criteria[0].ID
	rating := fmt.Sprintf("%s: %d", criterion, cat.Frameworks[0].Ratings[criterion])
	broken := criterion + ": 9"

	// A broken file is rejected with file:line:col problems; the running config stays.
	editConfig(t, dir, catalog.QuestionsFile, "text: "+before, "text: "+after)
	path, line, col := editConfig(t, dir, catalog.CatalogFile, rating, broken)
	at := fmt.Sprintf("%s:%d:%d", path, line, col+len(criterion+": ")) // the 9, not its key
	e.reloadConfig(t, e.ctx)
	log, err := e.logs.waitFor(e.ctx, "config reload rejected")
	if err != nil {
		t.Fatal(err)
	}
	if want := at + ": frameworks[0].ratings." + broken + " is outside 1..5"; !strings.Contains(log, want) {
		t.Errorf("the rejection does not locate the problem as %q: %s", want, log)
	}
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", ""))
	if q := e.waitPost(dm, first); !strings.Contains(q.Text, before) || strings.Contains(q.Text, after) {
		t.Errorf("after a rejected reload the question reads %q, want the old config's %q", q.Text, before)
	}

	// Fixed, it is taken at the next reload, by new turns of running conversations too.
	editConfig(t, dir, catalog.CatalogFile, broken, rating)
	e.reloadConfig(t, e.ctx)
	if _, err := e.logs.waitFor(e.ctx, "config reloaded"); err != nil {
		t.Fatal(err)
	}
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", "restart"))
	if q := e.waitPost(dm, first); !strings.Contains(q.Text, after) {
		t.Errorf("after the reload the question reads %q, want %q", q.Text, after)
	}
	if ok, rejected := e.metric(t, `stackpick_config_reloads_total{outcome="ok"}`), e.metric(t, `stackpick_config_reloads_total{outcome="rejected"}`); ok != 1 || rejected != 1 {
		t.Errorf("reloads counted: ok %v, rejected %v; want 1 and 1", ok, rejected)
	}
}

// main's wiring: a SIGHUP to the process becomes a value on serve's reload channel.
func TestSIGHUPBecomesAReload(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reload := hangups(ctx)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reload:
	case <-ctx.Done():
		t.Fatal("SIGHUP did not become a reload")
	}
}

// When the run ends, the operations server stops taking connections but lets a request in flight
// (a scrape) finish, instead of cutting it.
func TestOpsServerFinishesRequestsInFlightWhenTheRunEnds(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runCtx, fail := context.WithCancelCause(ctx)
	srvs := &servers{fail: fail, log: zerolog.Nop()}
	entered, release := make(chan struct{}), make(chan struct{})
	at, err := srvs.serveUntilDone(runCtx, "STACKPICK_HTTP_ADDR", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "scraped")
	}), timeouts{})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+at.String()+"/metrics", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		got <- result{string(body), err}
	}()
	<-entered
	fail(nil) // the run ends
	for {     // until the server refuses new connections: it is shutting down
		conn, err := net.Dial("tcp", at.String())
		if err != nil {
			break
		}
		_ = conn.Close()
		if ctx.Err() != nil {
			t.Fatal("the server still takes connections after the run ended")
		}
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "scraped" {
		t.Errorf("the request in flight got %q, %v; want it answered", r.body, r.err)
	}
	srvs.wait()
	if err := srvs.failure(runCtx); err != nil {
		t.Errorf("a clean shutdown reports %v", err)
	}
}

// brokenListener fails every Accept, as a listener whose sockets ran out does.
type brokenListener struct{}

func (brokenListener) Accept() (net.Conn, error) {
	return nil, errors.New("accept: too many open files")
}
func (brokenListener) Close() error   { return nil }
func (brokenListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// A server that cannot serve ends the run with its error, instead of leaving a bot without its
// health and metrics endpoints.
func TestAFailingOpsServerEndsTheRun(t *testing.T) {
	runCtx, fail := context.WithCancelCause(context.Background())
	defer fail(nil)
	srvs := &servers{fail: fail, log: zerolog.Nop()}
	srvs.serve(runCtx, "STACKPICK_HTTP_ADDR", brokenListener{}, http.NotFoundHandler(), timeouts{})
	<-runCtx.Done()
	srvs.wait()
	if err := srvs.failure(runCtx); err == nil || err.Error() != "STACKPICK_HTTP_ADDR: serve: accept: too many open files" {
		t.Errorf("failure = %v", err)
	}
}

func TestHealthcheckAsksTheRunningBot(t *testing.T) {
	e := startE2E(t)
	var out strings.Builder
	getenv := func(addr string) func(string) string {
		return func(k string) string {
			if k == "STACKPICK_HTTP_ADDR" {
				return addr
			}
			return ""
		}
	}
	if err := run(e.ctx, nil, []string{"healthcheck"}, getenv(e.ops), nil, &out, io.Discard); err != nil || out.String() != "ok\n" {
		t.Fatalf("healthcheck of a running bot = %v, %q", err, out.String())
	}
	if err := run(e.ctx, nil, []string{"healthcheck"}, getenv(freeAddr(t)), nil, io.Discard, io.Discard); err == nil {
		t.Fatal("healthcheck passed with nothing listening")
	}
}
