package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// A hung Redis (the process frozen, its connections open) answers nothing: the user still hears
// that their answer was not saved, and once Redis answers again the next answer is saved.
func TestAHungRedisIsExplainedAndRecoveredFrom(t *testing.T) {
	if !redistest.Available(t) {
		t.Skip("redis-server is not on PATH")
	}
	e := startE2E(t)
	const user = "UHUNG"
	dm := e.fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	e.say(user, thread, "an API")
	e.waitPost(dm, e.question(2))

	e.redis.Pause(t)
	paused := time.Now()
	e.say(user, thread, "python")
	eph := e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return c.Args["user"] == user })
	// Measured for docs/RELIABILITY.md, not asserted.
	t.Logf("the note came %v after the answer was sent to a hung Redis", time.Since(paused).Round(10*time.Millisecond))
	if !strings.Contains(eph.Args["text"], "can't save your answers right now") {
		t.Errorf("note while Redis hangs = %q", eph.Args["text"])
	}

	e.redis.Resume(t)
	e.say(user, thread, "python")
	e.waitPost(dm, e.question(3))
	if s := e.session(user); fmt.Sprint(s.Answers["project"], s.Answers["languages"]) != "[api] [python]" {
		t.Errorf("after Redis answered again: answers %v", s.Answers)
	}
}
