package slackbot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// trickyEngine wraps the real engine: "panic" panics, "slow" waits for release (or its context).
type trickyEngine struct {
	*dialog.Engine
	entered   chan struct{}
	release   chan struct{}
	cancelled chan error
}

func (e *trickyEngine) Run(ctx context.Context, k dialog.Key, in dialog.Input, st dialog.Started, deliver func(context.Context, dialog.Reply) dialog.Delivery) (dialog.Reply, error) {
	if err := e.trick(ctx, in); err != nil {
		return dialog.Reply{}, err
	}
	return e.Engine.Run(ctx, k, in, st, deliver)
}

func (e *trickyEngine) Handle(ctx context.Context, k dialog.Key, in dialog.Input) (dialog.Reply, error) {
	if err := e.trick(ctx, in); err != nil {
		return dialog.Reply{}, err
	}
	return e.Engine.Handle(ctx, k, in)
}

// trick plays its tricks on typed answers only, so a message that starts a conversation is tricked
// once, not again when it is read as the conversation's description.
func (e *trickyEngine) trick(ctx context.Context, in dialog.Input) error {
	if in.Action != dialog.ActText {
		return nil
	}
	switch in.Text {
	case "panic":
		panic("boom")
	case "slow":
		e.entered <- struct{}{}
		select {
		case <-e.release:
		case <-ctx.Done():
			e.cancelled <- ctx.Err()
			return ctx.Err()
		}
	}
	return nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type botHarness struct {
	fake  *slackfake.Server
	cat   *catalog.Catalog
	eng   *trickyEngine
	clk   *clock
	logs  *strings.Builder
	logMu *sync.Mutex
	stop  context.CancelFunc
	done  chan error
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// loadCatalog loads the fixture catalog: tests compute what they expect from it, so a retune
// of the shipped config changes none of them.
func loadCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.LoadDir(filepath.Join("..", "catalog", "testdata", "valid"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func startBot(t *testing.T, grace time.Duration) *botHarness {
	return startBotWith(t, grace, 0)
}

func startBotWith(t *testing.T, grace time.Duration, turnsPerMinute int) *botHarness {
	t.Helper()
	fake := slackfake.New()
	t.Cleanup(fake.Close)
	clk := &clock{t: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}
	cat := loadCatalog(t)
	sessions := memstore.New(7*24*time.Hour, clk.now)
	eng := &trickyEngine{
		Engine:  dialog.New(cat, sessions, clk.now),
		entered: make(chan struct{}, 1), release: make(chan struct{}), cancelled: make(chan error, 1),
	}
	h := &botHarness{fake: fake, cat: cat, eng: eng, clk: clk, logs: &strings.Builder{}, logMu: &sync.Mutex{}, done: make(chan error, 1)}
	b := New(Config{
		BotToken: slackfake.BotToken, AppToken: slackfake.AppToken, APIURL: fake.APIURL(),
		Engine: eng, Store: sessions, Log: zerolog.New(lockedWriter{h.logMu, h.logs}),
		TurnTimeout: 30 * time.Second, Grace: grace, Now: clk.now,
		TurnsPerMinute: turnsPerMinute,
	})
	ctx, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	t.Cleanup(cancel)
	go func() { h.done <- b.Run(ctx) }()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *botHarness) log() string { h.logMu.Lock(); defer h.logMu.Unlock(); return h.logs.String() }

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// say sends a DM from user and waits for its ack.
func (h *botHarness) say(t *testing.T, user, text string) {
	t.Helper()
	ctx := waitCtx(t)
	id, _, err := h.fake.DirectMessage(ctx, user, text, "")
	if err == nil {
		_, err = h.fake.WaitAck(ctx, id)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func (h *botHarness) waitPost(t *testing.T, prefix string) slackfake.Call {
	t.Helper()
	c, err := h.fake.WaitCall(waitCtx(t), "chat.postMessage", func(c slackfake.Call) bool { return strings.HasPrefix(c.Args["text"], prefix) })
	if err != nil {
		t.Fatalf("no post starting %q: %v\n%s", prefix, err, h.fake.Log())
	}
	return c
}

func TestAPanicInATurnIsRecoveredAndApologisedFor(t *testing.T) {
	h := startBot(t, time.Second)
	h.say(t, "U1", "panic")
	h.waitPost(t, "Sorry, something went wrong on my side")
	if log := h.log(); !strings.Contains(log, "turn panicked") || !strings.Contains(log, "boom") || !strings.Contains(log, "slackbot.(*trickyEngine).trick") {
		t.Errorf("the panic was not logged with its stack:\n%s", log)
	}
	h.say(t, "U1", "hello") // the bot is still serving: the message starts a conversation
	h.waitPost(t, "Question 1 of ")
}

// Writing to the bot with no conversation going starts one in a thread of its own, and what was
// written is read as the project's description; no DM has to be opened for it.
func TestADirectMessageStartsAConversation(t *testing.T) {
	h := startBot(t, time.Second)
	h.say(t, "U1", "hi! we're building a B2B SaaS, the team knows Python")
	// The test catalog's first question is the languages one: the description answered it.
	h.waitPost(t, "Question 2 of 2")
	msgs := h.fake.Messages("DU1")
	// One message opens the thread: the parent's line, the welcome and what the description filled in.
	if len(msgs) != 2 || msgs[0].ThreadTS != "" || !strings.HasPrefix(msgs[0].Text, "Choosing a backend framework") ||
		!strings.Contains(string(msgs[0].Blocks), "Let's find the right backend framework") || msgs[1].ThreadTS != msgs[0].TS {
		t.Errorf("the conversation is not in a thread of its own in the DM:\n%s", h.fake.Log())
	}
	if n := h.fake.CountCalls("conversations.open"); n != 0 {
		t.Errorf("%d conversations.open calls for a conversation started in the DM, want 0", n)
	}
}

func TestShutdownDrainsInFlightTurns(t *testing.T) {
	h := startBot(t, time.Minute)
	h.say(t, "U1", "slow")
	<-h.eng.entered
	h.stop()             // SIGTERM: the socket closes, the turn in flight goes on
	close(h.eng.release) // ... and finishes
	if err := <-h.done; err != nil {
		t.Fatalf("Run = %v after a clean shutdown", err)
	}
	if h.fake.CountCalls("chat.postMessage") == 0 {
		t.Fatal("the in-flight turn's reply was not posted before Run returned")
	}
}

func TestShutdownCancelsTurnsPastTheGracePeriod(t *testing.T) {
	h := startBot(t, 50*time.Millisecond)
	h.say(t, "U1", "slow")
	<-h.eng.entered
	h.stop()
	if err := <-h.done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if err := <-h.eng.cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("the stuck turn saw %v, want its context cancelled", err)
	}
}

func TestAClickOnAnExpiredConversationIsExplained(t *testing.T) {
	h := startBot(t, time.Second)
	ctx := waitCtx(t)
	_, err := h.fake.SlashCommand(ctx, "U1", "C1", "/stackpick", "")
	if err != nil {
		t.Fatal(err)
	}
	h.waitPost(t, fmt.Sprintf("Question 1 of %d", len(h.cat.Questions)))
	var q1 slackfake.Message
	for _, m := range h.fake.Messages(h.fake.DMChannel("U1")) {
		if strings.HasPrefix(m.Text, "Question 1") {
			q1 = m
		}
	}
	// The turn saves after it posts: a second turn of the user's, answered, comes after that save.
	h.say(t, "U1", "help")
	h.waitPost(t, "stackpick help")
	h.clk.advance(8 * 24 * time.Hour)
	q, o := h.cat.Questions[0].ID, h.cat.Questions[0].Options[0].ID
	value := blockkit.Control{Owner: "U1", Session: "x", Step: 1, Question: q, Option: o}.Encode()
	if _, err := h.fake.Click(ctx, "U1", q1.Channel, q1.TS, slackfake.Action{ActionID: blockkit.ActAnswerPrefix + o, Type: "button", Value: value}, nil); err != nil {
		t.Fatal(err)
	}
	c, err := h.fake.WaitCall(ctx, "chat.postEphemeral", nil)
	if err != nil || !strings.Contains(c.Args["text"], "expired") || !strings.Contains(c.Args["text"], "/stackpick") {
		t.Fatalf("expired click note = %q, %v\n%s", c.Args["text"], err, h.log())
	}
}

// At most TurnsPerMinute messages and clicks a minute per user: the rest are refused, the user is
// told once per window, other users are not affected, and a new window starts afresh.
func TestThePerUserRateLimitRefusesAndExplainsOnce(t *testing.T) {
	h := startBotWith(t, time.Second, 3)
	for i := 0; i < 6; i++ { // turns 4..6 are over the limit
		h.say(t, "UFAST", "status")
	}
	h.say(t, "USLOW", "status") // another user, same minute
	ctx := waitCtx(t)
	if _, err := h.fake.WaitCall(ctx, "chat.postMessage", func(c slackfake.Call) bool {
		return c.Args["channel"] == h.fake.DMChannel("USLOW")
	}); err != nil {
		t.Fatal("another user was held back by UFAST's limit")
	}
	// A turn of the next window is handled after every earlier event of UFAST (one user's events
	// are handled in order): once it is answered, the refused turns 4..6 have all run, so the
	// counts below are final.
	h.clk.advance(time.Minute)
	h.say(t, "UFAST", "status")
	fast := h.fake.DMChannel("UFAST")
	answered := map[int]bool{} // WaitCall rescans every call: count each reply once
	if _, err := h.fake.WaitCall(ctx, "chat.postMessage", func(c slackfake.Call) bool {
		if c.Args["channel"] == fast && answersStatus(c.Args["text"]) {
			answered[c.Seq] = true
		}
		return len(answered) == 4
	}); err != nil {
		t.Fatalf("the next minute's turn was not answered: %v\n%s", err, h.fake.Log())
	}
	count := func(prefix string) int {
		n := 0
		for _, c := range h.fake.Calls() {
			if c.Method == "chat.postMessage" && c.Args["channel"] == fast && strings.HasPrefix(c.Args["text"], prefix) {
				n++
			}
		}
		return n
	}
	if n := count("Progress:"); n != 4 {
		t.Errorf("%d turns answered, want the limit of 3 in the first window and 1 in the next", n)
	}
	if n := count("You're going faster than I can follow: at most 3"); n != 1 {
		t.Errorf("the limit was explained %d times, want once per window", n)
	}
}
