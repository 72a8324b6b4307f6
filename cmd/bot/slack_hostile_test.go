package main

import (
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// A hung Redis (the process frozen, its connections open) answers nothing: the user still hears
// that their answer was not saved, and once Redis answers again the next answer is saved.
func TestAHungRedisIsExplainedAndRecoveredFrom(t *testing.T) {
	const user = "UHUNG"
	e, dm, thread, _ := conversationOnRedis(t, user)
	e.say(user, thread, "an API")
	e.waitPost(dm, e.question(2))
	if s := e.session(user); fmt.Sprint(s.Answers["project"]) != "[api]" { // and so saved
		t.Fatalf("before Redis hangs: answers %v", s.Answers)
	}

	e.redis.Pause(t)
	paused := time.Now()
	e.say(user, thread, "python")
	eph := e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return c.Args["user"] == user })
	// Measured for docs/RELIABILITY.md, not asserted.
	t.Logf("the note came %v after the answer was sent to a hung Redis", time.Since(paused).Round(10*time.Millisecond))
	if !strings.Contains(eph.Args["text"], "can't save your answers right now") {
		t.Errorf("note while Redis hangs = %q", eph.Args["text"])
	}

	// Redis answers again. Like a person told their answer was not saved, the test sends it again
	// until it lands: the first may be met with the question it was sent to (the hung turn's
	// admission ran once Redis woke, so the bot first shows where the conversation is).
	e.redis.Resume(t)
	for attempt := 1; ; attempt++ {
		if attempt > 5 {
			t.Fatal("the answer was not saved after 5 resends once Redis answered again")
		}
		e.say(user, thread, "python")
		c := e.waitCall("chat.postMessage", func(c slackfake.Call) bool {
			return c.Args["channel"] == dm && (strings.HasPrefix(c.Args["text"], e.question(2)) || strings.HasPrefix(c.Args["text"], e.question(3)))
		})
		if strings.HasPrefix(c.Args["text"], e.question(3)) {
			t.Logf("saved on resend %d", attempt)
			break
		}
	}
	if s := e.session(user); fmt.Sprint(s.Answers["project"], s.Answers["languages"]) != "[api] [python]" {
		t.Errorf("after Redis answered again: answers %v", s.Answers)
	}
}

// /readyz keeps its promise of 1 s per probe while Redis hangs: it answers not ready and names
// Redis, even when REDIS_URL allows a read a minute (the probe's own bound holds).
func TestReadyzAnswersWhileRedisHangs(t *testing.T) {
	if !redistest.Available(t) {
		t.Skip("redis-server is not on PATH")
	}
	e := startE2E(t)
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	e.replica = e.startBot(withEnv(e.env, "REDIS_URL", e.env["REDIS_URL"]+"?read_timeout=1m"), 1)
	if _, err := e.logs.waitFor(e.ctx, "connected to Slack"); err != nil {
		t.Fatal(err)
	}
	if code, body := e.readyz(t); code != http.StatusOK {
		t.Fatalf("/readyz with Slack and Redis up = %d %q", code, body)
	}
	e.redis.Pause(t)
	asked := time.Now()
	code, body := e.readyz(t)
	t.Logf("/readyz answered %v after it was asked, Redis hung", time.Since(asked).Round(10*time.Millisecond)) // for docs, not asserted
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "\nredis: ") || strings.Contains(body, "slack: ") {
		t.Fatalf("/readyz with Redis hung = %d %q; want 503 naming redis only", code, body)
	}
	e.redis.Resume(t)
	if code, body := e.readyz(t); code != http.StatusOK {
		t.Fatalf("/readyz once Redis answers again = %d %q", code, body)
	}
}

// withEnv is env with key set to value.
func withEnv(env map[string]string, key, value string) map[string]string {
	env = maps.Clone(env)
	env[key] = value
	return env
}

// readyz asks the first replica's /readyz, bounded by the test's own deadline only.
func (e *e2e) readyz(t *testing.T) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(e.ctx, http.MethodGet, "http://"+e.ops+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// The operations endpoints close a connection that sends headers and part of a body, then
// stalls: nothing needs to be signed to open one there.
func TestOpsEndpointsCloseStalledConnections(t *testing.T) {
	e := startE2E(t)
	conn, err := net.Dial("tcp", e.ops)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "POST /readyz HTTP/1.1\r\nHost: bot\r\nContent-Length: 4096\r\n\r\npart"); err != nil {
		t.Fatal(err)
	}
	stalled := time.Now()
	deadline, _ := e.ctx.Deadline() // the test's own, far above the server's read timeout
	_ = conn.SetReadDeadline(deadline)
	if got, err := io.ReadAll(conn); err != nil { // returns once the server closes the connection
		t.Fatalf("the stalled connection is still open: %v (read %q)", err, got)
	}
	t.Logf("the server closed the stalled connection after %v", time.Since(stalled).Round(10*time.Millisecond)) // for docs, not asserted
}

// An answer wrapped in invisible format characters (zero-width spaces, as copy-paste leaves them)
// is read as the answer it is, and saved.
func TestAnAnswerInZeroWidthSpacesIsRecorded(t *testing.T) {
	e := startE2E(t)
	const user = "UZWSP"
	dm := e.fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	e.say(user, thread, "\u200ban API\u200b")
	e.waitPost(dm, e.question(2))
	e.say(user, thread, "\u200bpython\u200b")
	e.waitPost(dm, e.question(3))
	if s := e.session(user); fmt.Sprint(s.Answers["project"], s.Answers["languages"]) != "[api] [python]" {
		t.Errorf("answers = %v", s.Answers)
	}
}

// A reply in the thread also sent to the DM ("Also send to direct message": subtype
// thread_broadcast) is the answer it is.
func TestAThreadBroadcastReplyIsAnAnswer(t *testing.T) {
	e := startE2E(t)
	const user = "UBROADCAST"
	dm := e.fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	e.next()
	e.send(e.fake.SendEvent(e.ctx, map[string]any{
		"type": "message", "subtype": "thread_broadcast", "channel": dm, "channel_type": "im", "user": user,
		"text": "an API", "ts": "1760000099.000100", "thread_ts": thread, "team": slackfake.TeamID,
	}))
	e.waitPost(dm, e.question(2))
	if s := e.session(user); fmt.Sprint(s.Answers["project"]) != "[api]" {
		t.Errorf("answers = %v", s.Answers)
	}
}

// A clean shutdown's own closing of the socket is not reported as a lost connection: an alert
// on "Slack connection lost" (warn) fires for real losses only. slack-go reports the closing only
// sometimes (it races the end of its run), so the bot is started and stopped several times.
func TestACleanShutdownLogsNoLostConnection(t *testing.T) {
	e := startE2E(t) // LOG_LEVEL=debug: every line is there to be read
	for i := range 10 {
		r := e.replica
		if i > 0 {
			r = e.startBot(e.env, 1)
		}
		if _, err := r.logs.waitFor(e.ctx, "connected to Slack"); err != nil {
			t.Fatal(err)
		}
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		log := r.logs.String()
		for _, line := range strings.Split(log, "\n") {
			if strings.Contains(line, "connection lost") || strings.Contains(line, `"level":"warn"`) && strings.Contains(line, "Slack") {
				t.Errorf("shutdown %d logged %s", i+1, line)
			}
		}
		if !strings.Contains(log, `"stopped"`) {
			t.Fatalf("bot %d did not log its stop:\n%s", i+1, log)
		}
	}
}
