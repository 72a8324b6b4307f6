package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// session returns user's stored session once every turn of theirs sent so far has been saved: a
// turn saves after it posts its reply, so seeing the reply is not enough. It asks for the status
// with /stackpick status and waits for the answer: that command waits for any turn of the user's
// in flight (on any replica) to save, and changes nothing.
func (e *e2e) session(user string) dialog.Session {
	e.t.Helper()
	if e.env["REDIS_URL"] == "" {
		e.t.Skip("needs Redis to read the stored session")
	}
	mark := e.mark
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", "status"))
	e.waitCall("response_url", func(c slackfake.Call) bool {
		return strings.Contains(c.Args["text"], "Progress:") || strings.Contains(c.Args["text"], "no conversation in progress")
	})
	e.mark = mark
	s, err := e.stored(user)
	if err != nil {
		e.t.Fatalf("load %s's session: %v", user, err)
	}
	return s
}

// stored reads user's session straight from Redis as it is now, without waiting for a turn in
// flight (session does), on a client of the test's own: the bot counts none of its round trips.
func (e *e2e) stored(user string) (dialog.Session, error) {
	rdb, err := redisstore.Open(e.ctx, e.env["REDIS_URL"], redisstore.Options{})
	if err != nil {
		return dialog.Session{}, err
	}
	defer rdb.Close()
	return rdb.Store(time.Hour, keyPrefix).Load(e.ctx, dialog.Key{Team: slackfake.TeamID, User: user})
}

// startConversation runs /stackpick for user and returns the thread ts and the first question.
func (e *e2e) startConversation(user string) (threadTS string, q1 slackfake.Message) {
	e.t.Helper()
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", ""))
	dm := e.fake.DMChannel(user)
	parent := e.waitPost(dm, "Choosing a backend framework")
	return parent.TS, e.waitPost(dm, e.question(1))
}

func TestSlackSurvivesRedeliveryDoubleClicksRateLimitsAndDisconnects(t *testing.T) {
	e := startE2E(t)
	fake, ctx := e.fake, e.ctx
	const user = "URELY"
	dm := fake.DMChannel(user)
	if len(e.cat.Questions) < 7 {
		t.Fatalf("the test config has %d questions; this test walks to question 7", len(e.cat.Questions))
	}
	thread, _ := e.startConversation(user)

	// Slack redelivers an event (a slow ack, a reconnect): one reply, one answer.
	e.next()
	first, _, err := fake.DirectMessage(ctx, user, "an MVP", thread)
	e.send(first, err)
	e.send(fake.Redeliver(ctx, first))
	q2 := e.waitPost(dm, e.question(2))
	e.say(user, thread, "status") // handled after both deliveries: the user's events run in order
	e.waitPost(dm, fmt.Sprintf("Progress: 1 of %d answered", len(e.cat.Questions)))
	if n := e.countPosts(dm, e.question(2)); n != 1 {
		t.Errorf("a redelivered answer produced %d replies", n)
	}
	if !strings.Contains(e.logs.String(), "ignored a redelivered event") {
		t.Error("the redelivery was not logged")
	}

	// A double click: the second press is stale and changes nothing.
	chooseBlock, _ := element(t, q2, "choose")
	doneBlock, doneValue := element(t, q2, "done")
	done := slackfake.Action{ActionID: "done", BlockID: doneBlock, Type: "button", Value: doneValue}
	state := map[string]map[string]slackfake.StateValue{chooseBlock: {"choose": {Type: "multi_static_select", SelectedOptions: []string{"go"}}}}
	e.next()
	a, errA := fake.Click(ctx, user, dm, q2.TS, done, state)
	b, errB := fake.Click(ctx, user, dm, q2.TS, done, state)
	e.send(a, errA)
	e.send(b, errB)
	e.waitPost(dm, e.question(3))
	e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "earlier step") })
	if n := e.countPosts(dm, e.question(3)); n != 1 {
		t.Errorf("a double click produced %d next questions", n)
	}

	// Slack answers 429 with Retry-After: the message is delivered after the wait.
	fake.FailNext("chat.postMessage", 1, 429, 1, "")
	e.say(user, thread, "skip")
	e.waitPost(dm, e.question(4))
	// A 5xx is retried with backoff.
	fake.FailNext("chat.postMessage", 2, 503, 0, "")
	e.say(user, thread, "skip")
	e.waitPost(dm, e.question(5))
	statuses := map[int]int{}
	for _, c := range fake.Calls() {
		if c.Method == "chat.postMessage" {
			statuses[c.Status]++
		}
	}
	if statuses[429] != 1 || statuses[503] != 2 {
		t.Errorf("chat.postMessage statuses = %v, want one 429 and two 503 before the deliveries", statuses)
	}

	// Slack asks for a new socket: the bot reconnects and carries on.
	opened := fake.ConnectionsOpened()
	fake.Disconnect("refresh_requested")
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if fake.ConnectionsOpened() != opened+1 {
		t.Fatalf("connections opened: %d, want %d", fake.ConnectionsOpened(), opened+1)
	}
	e.say(user, thread, "skip")
	e.waitPost(dm, e.question(6))

	// The connection drops without a word: the bot notices, reconnects and carries on.
	fake.Drop()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	e.say(user, thread, "skip")
	e.waitPost(dm, e.question(7))

	seen := map[string]bool{}
	for _, a := range fake.Acks() {
		if seen[a.EnvelopeID] {
			t.Errorf("envelope %s acked twice", a.EnvelopeID)
		}
		seen[a.EnvelopeID] = true
	}
	if s := e.session(user); fmt.Sprint(s.Answers["project"], s.Answers["languages"]) != "[mvp] [go]" {
		t.Errorf("answers = %v", s.Answers)
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{slackfake.BotToken, slackfake.AppToken} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the logs contain a token")
		}
	}
}

func TestSlackRedisOutage(t *testing.T) {
	if !redistest.Available(t) {
		t.Skip("redis-server is not on PATH")
	}
	e := startE2E(t)
	fake, srv := e.fake, e.redis
	const user = "UOUTAGE"
	dm := fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	e.say(user, thread, "an API")
	e.waitPost(dm, e.question(2))
	e.session(user) // the answer is saved (after its post): the outage comes between turns

	srv.Stop()
	e.say(user, thread, "python") // acked even though nothing can be saved
	eph := e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return c.Args["user"] == user })
	if !strings.Contains(eph.Args["text"], "can't save your answers right now") {
		t.Errorf("outage note = %q", eph.Args["text"])
	}
	if strings.Contains(eph.Args["text"], "redis") || strings.Contains(eph.Args["text"], "dial") {
		t.Errorf("the outage note leaks internals: %q", eph.Args["text"])
	}

	// Redis returns; go-redis reconnects on its own within about a second. Like a person told
	// their answer was not saved, the test sends it again until it lands.
	restarted := time.Now()
	srv.Restart(t)
	for attempt := 1; ; attempt++ {
		if attempt > 20 {
			t.Fatal("the bot did not recover after 20 resends")
		}
		e.say(user, thread, "python")
		c, err := fake.WaitFor(e.ctx, func(c slackfake.Call) bool {
			return c.Seq >= e.mark && c.Args["channel"] == dm &&
				(c.Method == "chat.postEphemeral" || c.Method == "chat.postMessage" && strings.HasPrefix(c.Args["text"], e.question(3)))
		})
		if err != nil {
			t.Fatalf("no answer to the resent message: %v", err)
		}
		if c.Method == "chat.postMessage" {
			t.Logf("saved on attempt %d, %v after Redis came back", attempt, time.Since(restarted).Round(time.Millisecond))
			break
		}
	}
	s := e.session(user)
	if fmt.Sprint(s.Answers["project"], s.Answers["languages"]) != "[api] [python]" {
		t.Errorf("after the outage: answers %v", s.Answers)
	}
}

func TestTwoReplicasShareConversations(t *testing.T) {
	if !redistest.Available(t) {
		t.Skip("redis-server is not on PATH")
	}
	e := startE2E(t)
	second := e.startBot(e.env, 2)
	shareAConversation(t, e, second, "UREPLICA")
	if err := second.stop(); err != nil {
		t.Fatal(err)
	}
}

// shareAConversation has user answer questions and then send a burst of changes, with e's first
// replica and second taking turns at the envelopes: no answer may be lost, and both must have
// handled some.
func shareAConversation(t *testing.T, e *e2e, second *replica, user string) {
	t.Helper()
	fake, ctx := e.fake, e.ctx
	dm := fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	// Envelopes alternate between the two sockets: every answer is handled by the other replica.
	for i, answer := range []string{"a SaaS", "python", "small team", "within weeks", "growing"} {
		e.say(user, thread, answer)
		e.waitPost(dm, e.question(i+2))
	}
	// A burst of changes, spread over both replicas at once: none may be lost. They touch
	// answered questions and later ones, and leave the last unanswered so nothing finishes.
	changes := map[string]string{"team": "large", "deadline": "long_term", "latency": "critical", "workload": "batch", "compliance": "regulated"}
	e.next()
	var wg sync.WaitGroup
	for q, opt := range changes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, _, err := fake.DirectMessage(ctx, user, "change "+q+" to "+opt, thread)
			if err == nil {
				_, err = fake.WaitAck(ctx, id)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	confirmed := map[int]bool{} // WaitCall rescans every call; count each confirmation once
	_, err := fake.WaitCall(ctx, "chat.postMessage", func(c slackfake.Call) bool {
		if c.Seq >= e.mark && strings.HasPrefix(c.Args["text"], "Changed ") {
			confirmed[c.Seq] = true
		}
		return len(confirmed) >= len(changes)
	})
	if err != nil {
		t.Fatalf("not every change was confirmed: %v\n%s", err, fake.Log())
	}
	s := e.session(user)
	for q, opt := range changes {
		if got := s.Answers[q]; fmt.Sprint(got) != "["+opt+"]" {
			t.Errorf("%s = %v after the burst, want [%s]", q, got, opt)
		}
	}
	if fmt.Sprint(s.Answers["project"], s.Answers["scale"]) != "[saas] [growing]" {
		t.Errorf("earlier answers = %v", s.Answers)
	}
	for i, r := range []*replica{e.replica, second} {
		if n := r.metric(t, `stackpick_turns_total{event="message"}`); n < 3 {
			t.Errorf("replica %d handled %v messages; the fake should spread them over both", i+1, n)
		}
	}
}
