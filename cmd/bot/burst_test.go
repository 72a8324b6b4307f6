package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// burst is what one burst run measured.
type burst struct {
	users      int
	throttled  int           // 429s the fake answered
	delivered  time.Duration // from the first final answer to the last result posted
	updates    int64         // in-place updates the bot made during the burst
	updateSkip int           // in-place updates it skipped to stay under chat.update's limit
}

// runBurst brings users people to the last question (pacing off, a fake without limits), then
// restarts the bot with pacing and gives the fake Slack's limits, and has everyone answer the last
// question at once: every result must arrive, with as few 429s as the bot can manage.
//
// The conversations must outlive the restart, so the burst needs Redis: a bot without REDIS_URL
// keeps them in its own memory, and the restarted bot would rightly know none of them.
func runBurst(t *testing.T, users int, pacing string) burst {
	t.Helper()
	if !redistest.Available(t) {
		t.Skip("redis-server is not on PATH: the burst restarts the bot, and only Redis keeps conversations across a restart")
	}
	e := startE2E(t, map[string]string{"TURNS_PER_MINUTE": "0", "LOG_LEVEL": "warn"})
	fake, ctx := e.fake, e.ctx
	questions := len(e.cat.Questions)
	inbox := newInboxes()
	var updates atomic.Int64
	fake.Lean(func(c slackfake.Call) {
		if c.Method == "chat.update" && c.Status == 200 {
			updates.Add(1)
		}
		inbox.deliver(c)
	}, nil)
	boxes := make([]chan string, users)
	name := func(u int) string { return fmt.Sprintf("UB%05d", u) }
	for u := range boxes {
		boxes[u] = inbox.open(fake.DMChannel(name(u)))
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 100)
	for u := 0; u < users; u++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if _, err := converse(ctx, fake, name(u), boxes[u], questions, questions-1, 0); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	fake.SetLimits(slackfake.SlackLimits())
	e.env["SLACK_PACING"] = pacing
	paced := e.startBot(e.env, 1)
	defer func() { _ = paced.stop() }()

	before := updates.Load()
	start := time.Now()
	for u := 0; u < users; u++ {
		if _, _, err := fake.DirectMessage(ctx, name(u), "1", ""); err != nil {
			t.Fatal(err)
		}
	}
	for u := 0; u < users; u++ {
		if err := waitText(ctx, boxes[u], "Your backend shortlist"); err != nil {
			t.Fatalf("%s: %v", name(u), err)
		}
	}
	b := burst{users: users, throttled: fake.Throttled(), delivered: time.Since(start), updates: updates.Load() - before}
	b.updateSkip = users - int(b.updates)
	return b
}

// TestBurstStaysUnderSlackLimits: 200 people finish at once against a fake with Slack's limits.
// Paced, the bot draws no 429 at all: results go out at once (each in its own channel), and the
// cosmetic in-place updates past chat.update's allowance are skipped instead of queued.
func TestBurstStaysUnderSlackLimits(t *testing.T) {
	b := runBurst(t, 200, "on")
	t.Logf("%d people finished at once: %d 429s, all results delivered in %v, %d in-place updates made and %d skipped",
		b.users, b.throttled, b.delivered.Round(time.Millisecond), b.updates, b.updateSkip)
	if b.throttled != 0 {
		t.Errorf("the paced bot drew %d 429s", b.throttled)
	}
}
