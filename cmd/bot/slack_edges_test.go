package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// Slack edge cases of issue 13, end to end on the fake Slack.

// /stackpick acks at once; when the DM then cannot be opened, the user hears why through the
// command's response_url instead of waiting for a DM that never comes.
func TestAFailedDMOpenIsFollowedUpThroughResponseURL(t *testing.T) {
	for _, tc := range []struct {
		name           string
		status         int
		slackErr, want string
	}{
		{"Slack refuses", 200, "cannot_dm_bot", "Slack said `cannot_dm_bot`"},
		{"Slack is down", 503, "", "I couldn't reach Slack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := startE2E(t)
			const user = "UNODM"
			e.fake.FailNext("conversations.open", 4, tc.status, 0, tc.slackErr)
			e.next()
			e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", ""))
			c := e.waitCall("response_url", func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "direct message") })
			if !strings.Contains(c.Args["text"], tc.want) || !strings.Contains(c.Args["text"], "try /stackpick again") {
				t.Errorf("follow-up = %q; want it to say %q and what to do", c.Args["text"], tc.want)
			}
			if n := e.countPosts(e.fake.DMChannel(user), ""); n != 0 {
				t.Errorf("%d messages posted to a DM that could not be opened", n)
			}
		})
	}
}

// A /stackpick with a description mid-conversation is read into that conversation, in its
// thread; one over the length limit is refused there, with the offer to resume. Neither opens a
// second thread.
func TestADescriptionMidConversationNeverForksTheThread(t *testing.T) {
	e := startE2E(t)
	const user = "UMID"
	dm := e.fake.DMChannel(user)
	thread, q1 := e.startConversation(user)
	e.click(user, q1, e.answerButton(1))
	e.waitPost(dm, e.question(2))

	e.next()
	e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", "we know Python well"))
	note := e.waitPost(dm, "Understood: ")
	if note.ThreadTS != thread || !strings.Contains(note.Text, "Python") {
		t.Errorf("the description's note = %q in thread %q; want Python understood, in thread %q", note.Text, note.ThreadTS, thread)
	}
	e.waitPost(dm, e.question(3))

	long := strings.Repeat("word ", dialog.MaxInputRunes/5) + "more"
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", long))
	refused := e.waitPost(dm, fmt.Sprintf("That message is %d characters long", len(long)))
	offer := e.waitPost(dm, "You have a conversation in progress")
	if refused.ThreadTS != thread || offer.ThreadTS != thread {
		t.Errorf("the refusal went to thread %q and the offer to %q; want both in %q", refused.ThreadTS, offer.ThreadTS, thread)
	}
	if n := e.countPosts(dm, "Choosing a backend framework"); n != 1 {
		t.Errorf("%d conversation threads opened, want 1", n)
	}
	if s := e.session(user); len(s.Answers) != 2 {
		t.Errorf("answers after the descriptions = %v; want question 1 and the languages", s.Answers)
	}
}

// Slack's redeliveries are dropped before they are counted: they do not use up the user's
// TURNS_PER_MINUTE.
func TestRedeliveriesDoNotCountAgainstTheRateLimit(t *testing.T) {
	e := startE2E(t, map[string]string{"TURNS_PER_MINUTE": "3"})
	const user = "UREDELIVER"
	dm := e.fake.DMChannel(user)
	thread, _ := e.startConversation(user) // turn 1
	e.next()
	id, _, err := e.fake.DirectMessage(e.ctx, user, "1", thread) // turn 2
	e.send(id, err)
	e.waitPost(dm, e.question(2))
	for i := range 3 { // Slack redelivers seconds apart: each is dropped before the next comes
		e.send(e.fake.Redeliver(e.ctx, id))
		if _, err := e.replica.logs.waitForN(e.ctx, "ignored a redelivered event", i+1); err != nil {
			t.Fatal(err)
		}
	}
	e.say(user, thread, "1") // turn 3: within the limit
	e.waitPost(dm, e.question(3))
	if n := e.countPosts(dm, "You're going faster"); n != 0 {
		t.Errorf("the user was told they were over the limit after 3 turns and 3 redeliveries")
	}
}

// With Redis down the conversation's view cannot be read, so the outage note goes to the thread
// the event came from, not to the top of the DM.
func TestOutageNotesGoToTheEventsThread(t *testing.T) {
	const user = "UOUTNOTE"
	e, _, thread, _ := conversationOnRedis(t, user)
	e.session(user) // the conversation is saved (after its first post): the outage comes after
	e.redis.Stop()
	e.say(user, thread, "1")
	note := e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "can't save") })
	if note.Args["thread_ts"] != thread {
		t.Errorf("the outage note went to thread %q, want the conversation's %q", note.Args["thread_ts"], thread)
	}
}
