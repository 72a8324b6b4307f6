package main

import (
	"fmt"
	"maps"
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
	delivered  time.Duration // from the first message of the burst to the last reply posted
	updates    int64         // in-place updates the bot made during the burst
	updateSkip int           // in-place updates it skipped to stay under chat.update's limit
}

// move is what everyone sends at once at the last question in a burst, and the start of the reply
// each waits for on a checklist of so many questions.
type move struct {
	text  string
	reply func(questions int) string
	// updates says the move leaves a question on screen to be updated in place, one per person.
	updates bool
}

// finish answers the last question: each person's reply is their shortlist.
var finish = move{"1", func(int) string { return "Your backend shortlist" }, false}

// goBack returns to the question before the last: the question on screen is left open, so each
// person's turn also updates it in place (chat.update, limited per workspace).
var goBack = move{"back", func(questions int) string { return fmt.Sprintf("Question %d of %d", questions-1, questions) }, true}

// runBurst brings users people to the last question (pacing off, a fake without limits), then
// restarts the bot with pacing and gives the fake Slack's limits, and has everyone answer the last
// question at once: every result must arrive, with as few 429s as the bot can manage.
//
// The conversations must outlive the restart, so the burst needs Redis: a bot without REDIS_URL
// keeps them in its own memory, and the restarted bot would rightly know none of them.
func runBurst(t *testing.T, users int, mv move, pacing string) burst {
	t.Helper()
	return runBursts(t, users, 1, mv, pacing)[0]
}

// runBursts is runBurst with replicas bot processes on one Redis (the fake hands envelopes to
// their sockets in turn) and everyone making move, once for each pacing: each run has users people of its own, the
// fake's allowances whole again and fresh replicas, which are stopped before the run is counted
// so that every call of the burst (in-place updates after the results, retries after a 429) is.
func runBursts(t *testing.T, users, replicas int, mv move, pacings ...string) []burst {
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
	people := users * len(pacings)
	boxes := make([]chan string, people)
	name := func(u int) string { return fmt.Sprintf("UB%05d", u) }
	for u := range boxes {
		boxes[u] = inbox.open(fake.DMChannel(name(u)))
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 100)
	for u := 0; u < people; u++ {
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

	var runs []burst
	for run, pacing := range pacings {
		fake.SetLimits(slackfake.SlackLimits())
		env := maps.Clone(e.env)
		env["SLACK_PACING"] = pacing
		opened := fake.ConnectionsOpened()
		bots := make([]*replica, replicas)
		for r := range bots {
			bots[r] = e.startBot(env, r+1)
		}
		if err := fake.WaitConnectedAfter(ctx, opened, replicas); err != nil {
			t.Fatal(err)
		}
		throttled, before := fake.Throttled(), updates.Load()
		group := boxes[run*users : (run+1)*users]
		start := time.Now()
		for u := range group {
			if _, _, err := fake.DirectMessage(ctx, name(run*users+u), mv.text, ""); err != nil {
				t.Fatal(err)
			}
		}
		for u, box := range group {
			if err := waitText(ctx, box, mv.reply(questions)); err != nil {
				t.Fatalf("%s: %v", name(run*users+u), err)
			}
		}
		b := burst{users: users, delivered: time.Since(start)}
		for r, bot := range bots {
			if n := bot.metric(t, `stackpick_turns_total{event="message"}`); n < 1 {
				t.Errorf("replica %d of %d handled %v messages; the fake should spread the burst over all", r+1, replicas, n)
			}
		}
		for _, bot := range bots {
			if err := bot.stop(); err != nil {
				t.Fatal(err)
			}
		}
		b.throttled, b.updates = fake.Throttled()-throttled, updates.Load()-before
		if mv.updates {
			b.updateSkip = users - int(b.updates)
		}
		runs = append(runs, b)
	}
	return runs
}

// TestBurstStaysUnderSlackLimits: 200 people finish at once against a fake with Slack's limits.
// Paced, the bot draws no 429 at all: results go out at once (each in its own channel), and the
// cosmetic in-place updates past chat.update's allowance are skipped instead of queued.
func TestBurstStaysUnderSlackLimits(t *testing.T) {
	b := runBurst(t, 200, finish, "on")
	t.Logf("%d people finished at once: %d 429s, all results delivered in %v", b.users, b.throttled, b.delivered.Round(time.Millisecond))
	if b.throttled != 0 {
		t.Errorf("the paced bot drew %d 429s", b.throttled)
	}
}

// TestBurstOverThreeReplicasStaysUnderSlackLimits: 60 people go back from the last question at
// once, their messages spread over three replicas on one Redis; each turn leaves a question open,
// updated in place. Sharing the pacing allowances through Redis, the three draw no 429 together;
// each pacing on its own (SLACK_PACING=local), each would spend chat.update's whole allowance,
// three times what Slack grants the workspace.
func TestBurstOverThreeReplicasStaysUnderSlackLimits(t *testing.T) {
	runs := runBursts(t, 60, 3, goBack, "on", "local")
	for i, how := range []string{"shared through Redis", "each replica on its own"} {
		b := runs[i]
		t.Logf("pacing %s: %d people over 3 replicas went back at once: %d 429s, all replies delivered in %v, %d in-place updates made and %d skipped",
			how, b.users, b.throttled, b.delivered.Round(time.Millisecond), b.updates, b.updateSkip)
	}
	if shared := runs[0]; shared.throttled != 0 {
		t.Errorf("three replicas pacing together drew %d 429s", shared.throttled)
	}
	// Without this the run above would prove nothing: the burst is one Slack throttles when the
	// replicas do not share their allowances.
	if alone := runs[1]; alone.throttled == 0 {
		t.Errorf("three replicas each pacing on its own drew no 429: the burst does not test sharing")
	}
}
