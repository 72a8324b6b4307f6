package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// fixtureConfig is the small made-up config the tests run the bot on, so that retuning the
// shipped config/ breaks no test here; expected counts come from the catalog loaded from it.
const fixtureConfig = "testdata/config"

// loadConfig loads the catalog in dir, as the bot started on it does.
func loadConfig(t testing.TB, dir string) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatalf("load the test config %s: %v", dir, err)
	}
	return cat
}

// questionOf is how the bot numbers question n of cat's checklist, e.g. "Question 2 of 9".
func questionOf(cat *catalog.Catalog, n int) string {
	return fmt.Sprintf("Question %d of %d", n, len(cat.Questions))
}

// e2e is the real bot binary's run(), serving a fake Slack over the real slack-go client, with a
// real Redis when one is on PATH.
type e2e struct {
	t        *testing.T
	ctx      context.Context
	fake     *slackfake.Server
	env      map[string]string
	redis    *redistest.Server // nil without redis-server
	cat      *catalog.Catalog  // the config the bot was started on
	*replica                   // the first bot process
	// mark is the number of Web API calls recorded before the last envelope was sent; waits look
	// only at calls from there on, so each wait sees the effect of the latest action.
	mark int
}

// syncBuffer is a bytes.Buffer safe for the bot's logger and the test to share; waitFor waits
// for a text to be written.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // closed and replaced on every write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.written != nil {
		close(s.written)
		s.written = nil
	}
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// waitFor returns the first log line containing text, once it is written.
func (s *syncBuffer) waitFor(ctx context.Context, text string) (string, error) {
	return s.waitForN(ctx, text, 1)
}

// waitForN waits for the n-th line containing text and returns it.
func (s *syncBuffer) waitForN(ctx context.Context, text string, n int) (string, error) {
	for {
		s.mu.Lock()
		log := s.b.String()
		if s.written == nil {
			s.written = make(chan struct{})
		}
		written := s.written
		s.mu.Unlock()
		if i := nthIndex(log, text, n); i >= 0 {
			start := strings.LastIndexByte(log[:i], '\n') + 1
			line, _, _ := strings.Cut(log[start:], "\n")
			return line, nil
		}
		select {
		case <-written:
		case <-ctx.Done():
			return "", fmt.Errorf("waiting for %q in the log: %w\n%s", text, ctx.Err(), log)
		}
	}
}

// nthIndex is the index of the n-th occurrence of text in s, or -1.
func nthIndex(s, text string, n int) int {
	at := -1
	for ; n > 0; n-- {
		i := strings.Index(s[at+1:], text)
		if i < 0 {
			return -1
		}
		at += 1 + i
	}
	return at
}

// replica is one running bot process: its log, the address of its /healthz, /readyz and /metrics,
// its reload channel (what SIGHUP sends on) and how to stop it.
type replica struct {
	logs   *syncBuffer
	ops    string
	reload chan<- struct{}
	stop   func() error
}

// startE2E starts a fake Slack, a Redis (when redis-server is on PATH) and one bot process on
// fixtureConfig; extra settings override the defaults.
func startE2E(t *testing.T, extra ...map[string]string) *e2e {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	fake := slackfake.New()
	t.Cleanup(fake.Close)
	env := map[string]string{
		"SLACK_APP_TOKEN": slackfake.AppToken,
		"SLACK_BOT_TOKEN": slackfake.BotToken,
		"SLACK_API_URL":   fake.APIURL(),
		"LOG_LEVEL":       "debug",
		// The fake has no rate limits; pacing is tested on its own (TestBurstStaysUnderSlackLimits).
		"SLACK_PACING":         "off",
		"STACKPICK_CONFIG_DIR": fixtureConfig,
	}
	e := &e2e{t: t, ctx: ctx, fake: fake, env: env}
	if redistest.Available(t) {
		e.redis = redistest.Start(t)
		env["REDIS_URL"] = "redis://" + e.redis.Addr + "/0"
	} else {
		t.Log("redis-server is not on PATH: the bot keeps conversations in memory for this test")
	}
	for _, m := range extra {
		for k, v := range m {
			env[k] = v
		}
	}
	e.cat = loadConfig(t, env["STACKPICK_CONFIG_DIR"])
	e.replica = e.startBot(env, 1)
	return e
}

// question is how the bot numbers question n of the checklist it runs, e.g. "Question 2 of 9".
func (e *e2e) question(n int) string { return questionOf(e.cat, n) }

// startBot runs one bot process (run("serve")) with env, and its own address for /healthz,
// /readyz and /metrics, until stop is called; it waits until the fake has sockets live sockets.
func (e *e2e) startBot(env map[string]string, sockets int) *replica {
	e.t.Helper()
	logs := &syncBuffer{}
	ops := freeAddr(e.t)
	getenv := func(k string) string {
		if k == "STACKPICK_HTTP_ADDR" {
			return ops
		}
		return env[k]
	}
	runCtx, stopRun := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	reload := make(chan struct{})
	opened := e.fake.ConnectionsOpened()
	go func() {
		done <- run(runCtx, reload, []string{"serve"}, getenv, strings.NewReader(""), io.Discard, logs)
	}()
	// This bot's own socket, not one of a stopped bot that the fake has not seen close yet.
	if err := e.fake.WaitConnectedAfter(e.ctx, opened, 1); err != nil {
		e.t.Fatalf("the bot did not connect: %v\n%s", err, logs)
	}
	if err := e.fake.WaitConnected(e.ctx, sockets); err != nil {
		e.t.Fatalf("the bot did not connect: %v\n%s", err, logs)
	}
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() { stopRun(); err = <-done })
		return err
	}
	e.t.Cleanup(func() { _ = stop() })
	return &replica{logs: logs, ops: ops, reload: reload, stop: stop}
}

// waitPost waits for a chat.postMessage to channel, made since the last action, whose text starts
// with prefix, and returns the stored message.
func (e *e2e) waitPost(channel, prefix string) slackfake.Message {
	e.t.Helper()
	c := e.waitCall("chat.postMessage", func(c slackfake.Call) bool {
		return c.Status == 200 && c.Error == "" && c.Args["channel"] == channel && strings.HasPrefix(c.Args["text"], prefix)
	})
	var found slackfake.Message
	for _, m := range e.fake.Messages(channel) {
		if m.Text == c.Args["text"] && m.ThreadTS == c.Args["thread_ts"] && !m.Ephemeral {
			found = m // the latest such message is the one just posted
		}
	}
	if found.TS == "" {
		e.t.Fatalf("posted message %q is not stored", c.Args["text"])
	}
	return found
}

// next starts a new action: later waits only look at calls made from now on.
func (e *e2e) next() { e.mark = len(e.fake.Calls()) }

// countPosts counts the messages posted to channel (calls Slack answered with ok) whose text
// starts with prefix.
func (e *e2e) countPosts(channel, prefix string) int {
	n := 0
	for _, c := range e.fake.Calls() {
		if c.Method == "chat.postMessage" && c.Status == 200 && c.Error == "" && c.Args["channel"] == channel && strings.HasPrefix(c.Args["text"], prefix) {
			n++
		}
	}
	return n
}

// waitUpdate waits for chat.update of message ts with text containing want.
func (e *e2e) waitUpdate(ts, want string) {
	e.t.Helper()
	e.waitCall("chat.update", func(c slackfake.Call) bool {
		return c.Args["ts"] == ts && strings.Contains(c.Args["text"], want)
	})
}

// waitRead waits for the reply to a typed answer, posted to channel since the last action, to
// say how the answer was read: a post whose first block is "✓ " + read, such as "✓ team size:
// *A small team (2-10)*" (mrkdwn as posted), or, for an answer read loosely, the note that says
// so ("Understood: team size: A small team (2-10), from 4 people."). It returns the stored post.
func (e *e2e) waitRead(channel, read string) slackfake.Message {
	e.t.Helper()
	plain := strings.NewReplacer("*", "", "_", "").Replace(read)
	c := e.waitCall("chat.postMessage", func(c slackfake.Call) bool {
		var blocks []struct {
			Type     string
			Elements []struct{ Text string }
		}
		_ = json.Unmarshal([]byte(c.Args["blocks"]), &blocks)
		checked := len(blocks) > 0 && blocks[0].Type == "context" && len(blocks[0].Elements) == 1 && blocks[0].Elements[0].Text == "✓ "+read
		noted := strings.HasPrefix(c.Args["text"], "Understood: ") && strings.Contains(c.Args["text"], plain)
		return c.Status == 200 && c.Error == "" && c.Args["channel"] == channel && (checked || noted)
	})
	for _, m := range e.fake.Messages(channel) {
		if m.Text == c.Args["text"] && !m.Ephemeral {
			return m
		}
	}
	e.t.Fatalf("posted message %q is not stored", c.Args["text"])
	return slackfake.Message{}
}

// waitCall waits for a call of method, made since the last action, that matches.
func (e *e2e) waitCall(method string, match func(slackfake.Call) bool) slackfake.Call {
	e.t.Helper()
	c, err := e.fake.WaitCall(e.ctx, method, func(c slackfake.Call) bool { return c.Seq >= e.mark && match(c) })
	if err != nil {
		e.t.Fatalf("no %s call: %v\nlog:\n%s", method, err, e.fake.Log())
	}
	return c
}

// element finds the block element with actionID in m and returns its block id and value.
func element(t *testing.T, m slackfake.Message, actionID string) (blockID, value string) {
	t.Helper()
	var blocks []struct {
		BlockID  string `json:"block_id"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatalf("blocks of %s: %v", m.TS, err)
	}
	for _, b := range blocks {
		for _, el := range b.Elements {
			if el.ActionID == actionID {
				return b.BlockID, el.Value
			}
		}
	}
	t.Fatalf("message %q has no %s control", m.Text, actionID)
	return "", ""
}

func (e *e2e) click(user string, m slackfake.Message, actionID string) {
	e.t.Helper()
	blockID, value := element(e.t, m, actionID)
	e.next()
	e.send(e.fake.Click(e.ctx, user, m.Channel, m.TS, slackfake.Action{ActionID: actionID, BlockID: blockID, Type: "button", Value: value}, nil))
}

func (e *e2e) say(user, threadTS, text string) {
	e.t.Helper()
	e.next()
	id, _, err := e.fake.DirectMessage(e.ctx, user, text, threadTS)
	e.send(id, err)
}

// send checks that an envelope went out and was acked.
func (e *e2e) send(envelopeID string, err error) slackfake.Ack {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	ack, err := e.fake.WaitAck(e.ctx, envelopeID)
	if err != nil {
		e.t.Fatalf("envelope %s was not acked: %v", envelopeID, err)
	}
	return ack
}

func TestSlackConversationEndToEnd(t *testing.T) {
	e := startE2E(t)
	fake, ctx := e.fake, e.ctx
	const alice = "UALICE"
	dm := fake.DMChannel(alice)
	fake.AddChannel("CTEAM", "backend", alice, slackfake.BotUserID)

	// /stackpick in a channel: an ephemeral answer in the ack, then the DM thread.
	e.next()
	ack := e.send(fake.SlashCommand(ctx, alice, "CGENERAL", "/stackpick", ""))
	if !strings.Contains(string(ack.Payload), "opening a DM with you") || !strings.Contains(string(ack.Payload), `"ephemeral"`) {
		t.Fatalf("slash ack payload = %s", ack.Payload)
	}
	e.waitCall("conversations.open", func(c slackfake.Call) bool { return c.Args["users"] == alice })
	parent := e.waitPost(dm, "Choosing a backend framework")
	q1 := e.waitPost(dm, e.question(1))
	if q1.ThreadTS != parent.TS {
		t.Fatalf("the first question is not in the thread of %s: %+v", parent.TS, q1)
	}

	// A button answers question 1; its message is updated in place to show the answer.
	e.click(alice, q1, "answer:saas")
	e.waitUpdate(q1.TS, "A SaaS product")
	q2 := e.waitPost(dm, e.question(2))

	// Languages is a multi-select with a Done button.
	chooseBlock, _ := element(t, q2, "choose")
	doneBlock, doneValue := element(t, q2, "done")
	e.next()
	e.send(fake.Click(ctx, alice, dm, q2.TS,
		slackfake.Action{ActionID: "done", BlockID: doneBlock, Type: "button", Value: doneValue},
		map[string]map[string]slackfake.StateValue{chooseBlock: {"choose": {Type: "multi_static_select", SelectedOptions: []string{"python", "typescript"}}}}))
	e.waitUpdate(q2.TS, "Python, TypeScript")
	q3 := e.waitPost(dm, e.question(3))

	// A typed answer in the thread: the reply starts by saying how it was read, and the question's
	// message is left as it is (checked at the end). Then skip, back and a change of answer.
	e.say(alice, parent.TS, "4 devs")
	e.waitRead(dm, "team size: *A small team (2-10)*")
	q4 := e.waitPost(dm, e.question(4))
	e.say(alice, parent.TS, "skip")
	q5 := e.waitRead(dm, "deadline: _skipped_")
	if !strings.HasPrefix(q5.Text, e.question(5)) {
		t.Fatalf("the skip is confirmed in %q, not in the next question", q5.Text)
	}
	e.click(alice, q5, "back")
	e.waitUpdate(q5.TS, "left open")
	q4again := e.waitPost(dm, e.question(4))
	e.say(alice, parent.TS, "we launch in 6 weeks")
	e.waitRead(dm, "deadline: *Within weeks*")
	q5again := e.waitPost(dm, e.question(5))
	e.say(alice, parent.TS, "change team to several teams")
	e.waitPost(dm, "Changed team size: Several teams (11+).")
	e.waitUpdate(q5again.TS, "left open")
	q5third := e.waitPost(dm, e.question(5))

	// Finish now: the compact shortlist in the thread, its checklist one click away.
	e.click(alice, q5third, "finish")
	result := e.waitPost(dm, "Your backend shortlist: 1. ")
	for _, want := range []string{"Your backend shortlist", "Full ranking", "Why not…", "Review answers", "Export decision record"} {
		if !strings.Contains(string(result.Blocks), want) {
			t.Errorf("the result lacks %q", want)
		}
	}
	e.click(alice, result, "show:checklist")
	e.waitPost(dm, "The checklist before you commit")
	if !strings.Contains(result.Text, "Quill") {
		t.Errorf("a SaaS team knowing Python and TypeScript did not get Quill (Python, favoured for SaaS) on the shortlist: %s", result.Text)
	}

	// A click on an old message is stale: a gentle ephemeral note, nothing changes. Question 3's
	// buttons are still on screen (it was answered by typing); question 1's would be after an
	// update skipped under Slack's limit.
	for _, old := range []struct {
		m      slackfake.Message
		action string
	}{{q3, "answer:solo"}, {q1, "answer:mvp"}} {
		postsBefore := fake.CountCalls("chat.postMessage")
		e.click(alice, old.m, old.action)
		eph := e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return c.Args["user"] == alice })
		if !strings.Contains(eph.Args["text"], "earlier step") {
			t.Errorf("stale click on %q: note = %q", old.m.Text, eph.Args["text"])
		}
		if n := fake.CountCalls("chat.postMessage"); n != postsBefore {
			t.Errorf("a stale click on %q posted %d messages", old.m.Text, n-postsBefore)
		}
	}

	// Share to a channel from the result's conversations select.
	shareBlock, _ := element(t, result, "share")
	e.next()
	e.send(fake.Click(ctx, alice, dm, result.TS, slackfake.Action{ActionID: "share", BlockID: shareBlock, Type: "conversations_select", SelectedConversation: "CTEAM"}, nil))
	shared := e.waitPost("CTEAM", "Backend shortlist from <@"+alice+">")
	var sharedBlocks []struct {
		Text struct{ Text string } `json:"text"`
	}
	if err := json.Unmarshal(shared.Blocks, &sharedBlocks); err != nil || !strings.Contains(sharedBlocks[0].Text.Text, "<@"+alice+">") {
		t.Errorf("the shared recommendation is not attributed: %s (%v)", shared.Blocks, err)
	}
	e.waitPost(dm, "Shared your shortlist to <#CTEAM>.")

	// And from the command line, answered privately through response_url.
	e.next()
	e.send(fake.SlashCommand(ctx, alice, "CGENERAL", "/stackpick", "share <#CTEAM|backend>"))
	e.waitCall("response_url", func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "Shared your shortlist") })
	if n := e.countPosts("CTEAM", "Backend shortlist"); n != 2 {
		t.Errorf("%d shares reached the channel, want 2", n)
	}

	// Every envelope was acked, each within Slack's 3 seconds.
	for _, a := range fake.Acks() {
		if a.Latency > 3*time.Second {
			t.Errorf("envelope %s acked after %v", a.EnvelopeID, a.Latency)
		}
	}
	if err := e.stop(); err != nil {
		t.Fatalf("serve returned %v on shutdown", err)
	}
	// Every turn is over: the clicked questions were updated once each, the typed ones never.
	for want, qs := range map[int][]slackfake.Message{1: {q1, q2}, 0: {q3, q4, q4again}} {
		for _, q := range qs {
			if m, _ := fake.Message(dm, q.TS); m.Updated != want {
				t.Errorf("%q was updated %d times, want %d", q.Text, m.Updated, want)
			}
		}
	}
	t.Logf("fake Slack's log of Web API calls:\n%s", fake.Log())
}

// One DM conversation in the words people use: a clarification answered by its number, typos, the
// Undo button, a question back, a head count, a figure of users, a loose change and a doubt. Each
// step checks what the user sees in Slack and what the store keeps.
func TestSlackUnderstandsPeopleEndToEnd(t *testing.T) {
	if !redistest.Available(t) {
		t.Skip("redis-server is not on PATH: this test reads the stored session")
	}
	e := startE2E(t)
	const user = "UPEOPLE"
	dm := e.fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	want := catalog.Answers{}
	// stored checks that the store keeps exactly want, and returns the session.
	stored := func() dialog.Session {
		t.Helper()
		s := e.session(user)
		if !maps.EqualFunc(s.Answers, want, slices.Equal) {
			t.Fatalf("stored answers = %v, want %v", s.Answers, want)
		}
		return s
	}
	// updated waits for the message at ts to be updated to text (a click's answer, a question
	// left open), and checks its blocks show it.
	updated := func(ts, text string) {
		t.Helper()
		e.waitUpdate(ts, text)
		if m, _ := e.fake.Message(dm, ts); !strings.Contains(unescapeJSON(m.Blocks), text) {
			t.Errorf("message %s shows %s; want %q", ts, m.Blocks, text)
		}
	}

	// A message that fits two options is asked back, numbered, and the question shown again;
	// "the second one" picks the API.
	e.say(user, thread, "an api for our saas")
	e.waitPost(dm, "That fits more than one answer: 1 A SaaS product, 2 An API for other clients.")
	e.waitPost(dm, e.question(1))
	if s := stored(); !slices.Equal(s.Pending, []string{"saas", "api"}) {
		t.Fatalf("the clarification stored %v as pending, want [saas api]", s.Pending)
	}
	e.say(user, thread, "the second one")
	e.waitRead(dm, "project: *An API for other clients*")
	e.waitPost(dm, e.question(2))
	want["project"] = []string{"api"}
	if s := stored(); s.Pending != nil {
		t.Fatalf("the clarification is still pending after its answer: %v", s.Pending)
	}

	// Typos are read as the words they miss, said so, and the notes offer an Undo button.
	e.say(user, thread, "pyhton and typescirpt")
	notes := e.waitRead(dm, "languages: *Python, TypeScript*")
	if want := "Understood: languages: Python, TypeScript. (I read pyhton → python, typescirpt → typescript.)"; !strings.HasPrefix(notes.Text, want) {
		t.Fatalf("the typos are confirmed in %q, not in a note %q", notes.Text, want)
	}
	q3 := e.waitPost(dm, e.question(3))
	want["languages"] = []string{"python", "typescript"}
	if s := stored(); s.Undo == nil || s.Undo.Current != "languages" {
		t.Fatalf("no undo back to the languages question is stored: %+v", s.Undo)
	}

	// Undo takes them back: the question is asked again, the one after it left open.
	e.click(user, notes, "undo")
	e.waitPost(dm, "Undone: languages is unanswered again.")
	e.waitPost(dm, e.question(2))
	updated(q3.TS, "left open")
	delete(want, "languages")
	if s := stored(); s.Current != "languages" || s.Undo != nil {
		t.Fatalf("after undo: asking %q with undo %+v, want languages and nothing left to undo", s.Current, s.Undo)
	}
	e.say(user, thread, "python and typescript")
	e.waitRead(dm, "languages: *Python, TypeScript*")
	q3 = e.waitPost(dm, e.question(3))
	want["languages"] = []string{"python", "typescript"}
	before := stored()

	// A question back is answered in a message of its own, the option asked about first; the
	// question stays open and nothing is stored.
	asked := e.countPosts(dm, e.question(3))
	e.say(user, thread, "what is a small team?")
	explain := e.waitPost(dm, "About: How big is the team that will build it?")
	blocks := unescapeJSON(explain.Blocks)
	small := strings.Index(blocks, ":point_right: *A small team (2-10)*: A handful of developers")
	solo := strings.Index(blocks, "• *Just me*: One developer does everything")
	if !strings.Contains(blocks, "*How big is the team that will build it?*") || !strings.Contains(blocks, "_The trade-off:_ Conventions let a small team move fast") || small < 0 || solo < small {
		t.Errorf("the explanation does not show the question, its trade-off and the asked option first: %s", blocks)
	}
	if s := stored(); s.Step != before.Step {
		t.Errorf("a question back changed the conversation: step %d, was %d", s.Step, before.Step)
	}

	// A head count and a figure of users land on the options that cover them, said so.
	e.say(user, thread, "3 of us")
	e.waitPost(dm, "Understood: team size: A small team (2-10), from 3 people.")
	e.waitRead(dm, "team size: *A small team (2-10)*")
	q4 := e.waitPost(dm, e.question(4))
	if n := e.countPosts(dm, e.question(3)); n != asked { // the question back's turn is over by now
		t.Errorf("the question back asked its question again: %d posts of it, want %d", n, asked)
	}
	e.click(user, q4, "answer:months")
	updated(q4.TS, "In a few months")
	e.waitPost(dm, e.question(5))
	e.say(user, thread, "about 5000 users")
	e.waitPost(dm, "Understood: traffic: Growing (thousands of users), from 5,000 users.")
	e.waitRead(dm, "traffic: *Growing (thousands of users)*")
	q6 := e.waitPost(dm, e.question(6))
	want["team"], want["deadline"], want["scale"] = []string{"small"}, []string{"months"}, []string{"growing"}
	stored()

	// A loose change of an earlier answer, at another question.
	e.say(user, thread, "actually we're 20 devs now")
	e.waitPost(dm, "Changed team size: Several teams (11+), from 20 people.")
	updated(q6.TS, "left open")
	q6 = e.waitPost(dm, e.question(6))
	want["team"] = []string{"large"}
	stored()
	e.click(user, q6, "answer:normal")
	updated(q6.TS, "Normal web speed is fine")
	e.waitPost(dm, e.question(7))
	e.say(user, thread, "crud")
	e.waitPost(dm, e.question(8))
	want["latency"], want["workload"] = []string{"normal"}, []string{"crud"}

	// A doubt is not an answer: the question is marked not sure, and status keeps it open.
	e.say(user, thread, "no idea")
	e.waitPost(dm, "Noted that you're not sure about compliance") // the note says how it was read: no ✓ line too
	e.waitPost(dm, e.question(9))
	if s := stored(); !slices.Equal(s.Unsure, []string{"compliance"}) {
		t.Fatalf("stored unsure = %v, want [compliance]", s.Unsure)
	}
	e.say(user, thread, "status")
	status := e.waitPost(dm, fmt.Sprintf("Progress: 7 of %d answered", len(e.cat.Questions)))
	if !strings.Contains(unescapeJSON(status.Blocks), "_Not sure:_ compliance") {
		t.Errorf("status does not list compliance as not sure: %s", status.Blocks)
	}
	if err := e.stop(); err != nil {
		t.Fatalf("serve returned %v on shutdown", err)
	}
	// Every turn is over: only the clicked questions and those left open were updated in place.
	for _, c := range e.fake.Calls() {
		if c.Method == "chat.update" && c.Args["channel"] == dm && c.Args["ts"] != q4.TS && c.Args["ts"] != q6.TS && !strings.Contains(c.Args["text"], "left open") {
			t.Errorf("a typed answer updated its question in place: %q", c.Args["text"])
		}
	}
}

func TestSlackCommandsAndEdgeCases(t *testing.T) {
	e := startE2E(t)
	fake, ctx := e.fake, e.ctx

	slash := func(user, text string) slackfake.Ack {
		e.t.Helper()
		e.next()
		return e.send(fake.SlashCommand(ctx, user, "CGENERAL", "/stackpick", text))
	}
	// step runs one part as a subtest, with the helpers reporting to it.
	step := func(name string, fn func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			parent := e.t
			e.t = t
			defer func() { e.t = parent }()
			fn(t)
		})
	}

	step("help, catalog and radar are answered in the ack", func(t *testing.T) {
		help := slash("UHELP", "help")
		for _, want := range []string{"change &lt;question&gt; to &lt;answer&gt;", "/stackpick share #channel", "/stackpick radar", `"ephemeral"`} {
			if !strings.Contains(unescapeJSON(help.Payload), want) {
				t.Errorf("help ack lacks %q: %s", want, help.Payload)
			}
		}
		cat := slash("UHELP", "catalog")
		frameworks := fmt.Sprintf("The %d frameworks I know", len(e.cat.Frameworks))
		for _, want := range []string{frameworks, "*Python*: Quill, Fernwork", "Emberline _(emerging)_"} {
			if !strings.Contains(unescapeJSON(cat.Payload), want) {
				t.Errorf("catalog ack lacks %q", want)
			}
		}
		if radar := slash("UHELP", "radar"); !strings.Contains(string(radar.Payload), "No tech radar is configured") {
			t.Errorf("radar ack without a radar = %s", radar.Payload)
		}
		unknown := slash("UHELP", "frobnicate")
		if !strings.Contains(string(unknown.Payload), "I don't know that command") {
			t.Errorf("unknown subcommand ack = %s", unknown.Payload)
		}
	})

	step("a description pre-fills answers and nothing the user typed is echoed", func(t *testing.T) {
		const user = "UDESC"
		slash(user, "a B2B SaaS in Python, 4 devs, launch in 6 weeks <!channel> &lt;@UOTHER&gt;")
		// The message that opens the thread says what the description filled in.
		opening := e.waitPost(fake.DMChannel(user), "Choosing a backend framework")
		if !strings.Contains(string(opening.Blocks), "Understood: project: A SaaS product; languages: Python") {
			t.Errorf("the opening message does not say what was pre-filled: %s", opening.Blocks)
		}
		e.waitPost(fake.DMChannel(user), e.question(5))
		for _, m := range fake.Messages(fake.DMChannel(user)) {
			if strings.Contains(m.Text, "<!channel>") || strings.Contains(string(m.Blocks), "!channel") || strings.Contains(string(m.Blocks), "UOTHER") {
				t.Errorf("user text echoed: %s %s", m.Text, m.Blocks)
			}
		}
	})

	step("status, resume and restart", func(t *testing.T) {
		const user = "URESUME"
		dm := fake.DMChannel(user)
		slash(user, "")
		q1 := e.waitPost(dm, e.question(1))
		e.click(user, q1, "answer:api")
		e.waitPost(dm, e.question(2))

		slash(user, "status")
		e.waitCall("response_url", func(c slackfake.Call) bool {
			return strings.Contains(c.Args["text"], fmt.Sprintf("Progress: 1 of %d answered", len(e.cat.Questions)))
		})

		slash(user, "")
		resume := e.waitPost(dm, fmt.Sprintf("You have a conversation in progress: 1 of %d", len(e.cat.Questions)))
		e.click(user, resume, "resume")
		e.waitPost(dm, e.question(2))

		slash(user, "restart")
		e.waitPost(dm, "Starting over with a clean slate.")
		e.waitPost(dm, e.question(1))
	})

	step("a DM outside the thread continues the conversation; bot posts, edits and subtypes are ignored", func(t *testing.T) {
		const user = "UTOP"
		dm := fake.DMChannel(user)
		slash(user, "")
		e.waitPost(dm, e.question(1))
		e.next()
		for _, ev := range []map[string]any{
			{"type": "message", "channel": dm, "channel_type": "im", "user": slackfake.BotUserID, "text": e.question(1), "ts": "1.1"},
			{"type": "message", "channel": dm, "channel_type": "im", "bot_id": "BOTHER", "user": "UOTHERBOT", "text": "mvp", "ts": "1.2"},
			{"type": "message", "subtype": "message_changed", "channel": dm, "channel_type": "im", "hidden": true, "ts": "1.3",
				"message": map[string]any{"type": "message", "user": user, "text": "mvp", "ts": "1.0"}},
			{"type": "message", "channel": "CGENERAL", "channel_type": "channel", "user": user, "text": "mvp", "ts": "1.4"},
		} {
			e.send(fake.SendEvent(ctx, ev))
		}
		e.say(user, "", "an MVP") // top level, not in the thread
		e.waitRead(dm, "project: *An MVP or prototype*")
		e.waitPost(dm, e.question(2))
		if n := e.countPosts(dm, e.question(2)); n != 1 {
			t.Errorf("ignored events produced replies: %d question 2 posts", n)
		}
	})

	step("someone else's buttons are refused", func(t *testing.T) {
		const owner, intruder = "UOWNER", "UINTRUDER"
		slash(owner, "")
		q1 := e.waitPost(fake.DMChannel(owner), e.question(1))
		e.click(intruder, q1, "answer:mvp")
		eph := e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return c.Args["user"] == intruder })
		if !strings.Contains(eph.Args["text"], "belong to someone else's conversation") {
			t.Errorf("foreign click note = %q", eph.Args["text"])
		}
		if !strings.Contains(e.logs.String(), "refused a click on another user's conversation") {
			t.Error("the refused click was not logged")
		}
	})

	step("sharing checks membership and explains refusals", func(t *testing.T) {
		const user = "USHARE"
		fake.AddChannel("CNOBOT", "nobot", user)
		fake.AddChannel("CNOTME", "notme", slackfake.BotUserID)
		fake.AddChannel("COLD", "old", user, slackfake.BotUserID)
		fake.ArchiveChannel("COLD")
		slash(user, "share <#CNOBOT|nobot>")
		e.waitCall("response_url", func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "Finish your checklist first") })

		slash(user, "")
		e.waitPost(fake.DMChannel(user), e.question(1))
		e.say(user, "", "done")
		e.waitPost(fake.DMChannel(user), "Your backend shortlist")
		for channel, want := range map[string]string{
			"CNOBOT":   "I'm not a member of <#CNOBOT> yet. Invite me there with `/invite @stackpick`",
			"CNOTME":   "You can only share to channels you are a member of",
			"COLD":     "<#COLD> is archived",
			"CMISSING": "I can't see that channel",
			"":         "Tell me which channel",
		} {
			slash(user, "share <#"+channel+"|x>")
			e.waitCall("response_url", func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], want) })
		}
		for _, channel := range []string{"CNOBOT", "CNOTME", "COLD", "CMISSING"} {
			if n := e.countPosts(channel, ""); n != 0 {
				t.Errorf("%d posts reached %s", n, channel)
			}
		}
	})

	step("app home shows a start button and the latest recommendation", func(t *testing.T) {
		const user = "UHOME"
		e.next()
		e.send(fake.SendEvent(ctx, map[string]any{"type": "app_home_opened", "user": user, "channel": fake.DMChannel(user), "tab": "home", "event_ts": "1.5"}))
		e.waitCall("views.publish", func(c slackfake.Call) bool { return c.Args["user_id"] == user })
		view, _ := fake.View(user)
		if !strings.Contains(string(view), "home_start") || strings.Contains(string(view), "latest recommendation") {
			t.Errorf("first home view = %s", view)
		}
		e.next()
		e.send(fake.ClickHome(ctx, user, slackfake.Action{ActionID: "home_start", BlockID: "home", Type: "button", Value: user + "|||0||"}))
		e.waitPost(fake.DMChannel(user), e.question(1))
		e.say(user, "", "done")
		e.waitPost(fake.DMChannel(user), "Your backend shortlist")
		e.next()
		e.send(fake.SendEvent(ctx, map[string]any{"type": "app_home_opened", "user": user, "channel": fake.DMChannel(user), "tab": "home", "event_ts": "1.6"}))
		e.waitCall("views.publish", func(c slackfake.Call) bool { return c.Args["user_id"] == user })
		view, _ = fake.View(user)
		if !strings.Contains(string(view), "Your latest recommendation") {
			t.Errorf("home view after a result lacks it: %s", view)
		}
	})

	step("an envelope slack-go cannot parse is still acked", func(t *testing.T) {
		frame := `{"envelope_id":"bad-1","type":"events_api","accepts_response_payload":false,"payload":{"type":"event_callback","team_id":"T0TEST","event":{"type":"no_such_event_type"}}}`
		if err := fake.SendRaw(ctx, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		if _, err := fake.WaitAck(ctx, "bad-1"); err != nil {
			t.Fatalf("the unparseable envelope was not acked: %v", err)
		}
	})

	if err := e.stop(); err != nil {
		t.Fatalf("serve returned %v on shutdown", err)
	}
}

// unescapeJSON undoes Go's HTML-safe escaping of <, > and & in JSON, for substring checks.
func unescapeJSON(b []byte) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
}
