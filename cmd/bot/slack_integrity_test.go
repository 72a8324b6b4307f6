package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// What the user sees and what is stored never drift apart (issue 13): every way a reply can fail
// to reach the user, end to end on the fake Slack with a real Redis.

// conversationOnRedis starts an end-to-end run with Redis (skipping without it) and user's
// conversation: their DM, its thread and the first question.
func conversationOnRedis(t *testing.T, user string) (e *e2e, dm, thread string, q1 slackfake.Message) {
	t.Helper()
	e = startE2E(t)
	if e.redis == nil {
		t.Skip("needs redis-server")
	}
	thread, q1 = e.startConversation(user)
	return e, e.fake.DMChannel(user), thread, q1
}

// answerButton is the action id of question n's first option.
func (e *e2e) answerButton(n int) string {
	return blockkit.ActAnswerPrefix + e.cat.Questions[n-1].Options[0].ID
}

// isQuestion matches the post of question n in user's DM.
func (e *e2e) isQuestion(user string, n int) func(map[string]string) bool {
	return func(args map[string]string) bool {
		return args["channel"] == e.fake.DMChannel(user) && strings.HasPrefix(args["text"], e.question(n))
	}
}

// answers returns what user's stored session holds for questions 1 and 2.
func (e *e2e) firstTwo(user string) (q1, q2 []string, s dialog.Session) {
	s = e.session(user)
	return s.Answers[e.cat.Questions[0].ID], s.Answers[e.cat.Questions[1].ID], s
}

// When the post of the next question fails for good (Slack answering 5xx, or 429, to every
// retry), the answer is saved and the user still sees the question they answered. Whatever they
// do next shows them where the conversation is first: typing is never read against the question
// they never saw, a click on the question they see applies to it, and resuming marks the answered
// question answered, not left open.
func TestAQuestionThatNeverReachedTheUserIsShownFirst(t *testing.T) {
	for _, tc := range []struct {
		name               string
		status, retryAfter int
		next               string // what the user does next: type, click or resume
	}{
		{"four 5xx, then the user types", 503, 0, "type"},
		{"four 429s, then the user clicks the question they see", 429, 1, "click"},
		{"four 5xx, then the user resumes", 503, 0, "resume"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const user = "USTRAND"
			e, dm, thread, q1 := conversationOnRedis(t, user)
			e.fake.FailNext("chat.postMessage", 4, tc.status, tc.retryAfter, "")
			e.click(user, q1, e.answerButton(1))
			e.waitUpdate(q1.TS, e.cat.Questions[0].Options[0].Label) // saved, then marked answered
			if n := e.countPosts(dm, e.question(2)); n != 0 {
				t.Fatalf("question 2 reached the user %d times through a failing Slack", n)
			}
			e.next()
			switch tc.next {
			case "type":
				e.say(user, thread, "2") // meant for question 1, the one on screen
				e.waitPost(dm, "Your answer to "+e.cat.Questions[0].Short+" was saved")
			case "click":
				e.click(user, q1, e.answerButton(1))
				e.waitPost(dm, "Saved: "+e.cat.Questions[0].Short)
			case "resume":
				e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", ""))
				offer := e.waitPost(dm, "You have a conversation in progress")
				e.click(user, offer, blockkit.ActResume)
			}
			e.waitPost(dm, e.question(2))
			got1, got2, _ := e.firstTwo(user)
			if fmt.Sprint(got1) != "["+e.cat.Questions[0].Options[0].ID+"]" || got2 != nil {
				t.Errorf("after catching up, question 1 = %v and question 2 = %v; want the clicked answer and nothing", got1, got2)
			}
			for _, c := range e.fake.Calls() {
				if c.Method == "chat.update" && c.Args["ts"] == q1.TS && strings.Contains(c.Args["text"], "left open") {
					t.Errorf("the answered question 1 was marked left open")
				}
			}
		})
	}
}

// A replica killed (SIGKILL) while Slack holds the answer to its post of the next question: the
// user sees a question that was never saved. The turn's mark stays on the session, so the next
// turn, on another replica, knows it cannot know what the user saw: it reads nothing into their
// message and shows where the conversation is. A click on the question whose save was lost is
// recognised too.
func TestAReplicaKilledMidTurnLeavesNoGuess(t *testing.T) {
	const user = "UKILL"
	e, dm, thread, q1 := conversationOnRedis(t, user)
	if err := e.replica.stop(); err != nil {
		t.Fatal(err)
	}
	if err := e.fake.WaitSockets(e.ctx, 0); err != nil { // every envelope goes to the doomed one
		t.Fatal(err)
	}

	bin := filepath.Join(t.TempDir(), "bot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	doomed := exec.Command(bin, "serve")
	for k, v := range e.env {
		doomed.Env = append(doomed.Env, k+"="+v)
	}
	doomed.Env = append(doomed.Env, "STACKPICK_HTTP_ADDR=off")
	doomed.Stderr = os.Stderr
	opened := e.fake.ConnectionsOpened()
	if err := doomed.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = doomed.Process.Kill(); _ = doomed.Wait() })
	if err := e.fake.WaitConnectedAfter(e.ctx, opened, 1); err != nil {
		t.Fatal(err)
	}
	hold := e.fake.HoldNext("chat.postMessage", e.isQuestion(user, 2))
	e.click(user, q1, e.answerButton(1))
	if _, err := hold.Wait(e.ctx); err != nil {
		t.Fatal(err)
	}
	if err := doomed.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = doomed.Wait()
	hold.Release()
	if err := e.fake.WaitSockets(e.ctx, 0); err != nil {
		t.Fatal(err)
	}

	e.startBot(e.env, 1)
	var q2 slackfake.Message
	for _, m := range e.fake.Messages(dm) {
		if strings.HasPrefix(m.Text, e.question(2)) {
			q2 = m // on the user's screen, though never saved
		}
	}
	e.say(user, thread, "1") // meant for question 2
	e.waitPost(dm, "I was interrupted while answering your last message")
	e.waitPost(dm, e.question(1))
	if got1, got2, _ := e.firstTwo(user); got1 != nil || got2 != nil {
		t.Errorf("after the kill, question 1 = %v and question 2 = %v; want both unanswered (the answer was lost, nothing guessed)", got1, got2)
	}
	e.click(user, q2, blockkit.ActSkip)
	e.waitPost(dm, "I lost your last answer before I could save it")
	if _, got2, _ := e.firstTwo(user); got2 != nil {
		t.Errorf("a click on the question whose save was lost changed it: %v", got2)
	}
}

// SIGTERM while slack-go waits out a Retry-After longer than the shutdown grace: the post is
// cancelled, and the save that records it still runs, so the answer is kept and the next replica
// shows the next question first.
func TestAShutdownDuringARetryAfterKeepsTheAnswerAndSaysSo(t *testing.T) {
	const user = "UTERM"
	e, dm, thread, q1 := conversationOnRedis(t, user)
	e.fake.FailNext("chat.postMessage", 1, 429, int(2*shutdownGrace.Seconds()), "")
	e.click(user, q1, e.answerButton(1))
	e.waitCall("chat.postMessage", func(c slackfake.Call) bool { return c.Status == 429 })
	if err := e.replica.stop(); err != nil { // SIGTERM is this cancellation (TestSIGTERM…)
		t.Fatal(err)
	}
	if err := e.fake.WaitSockets(e.ctx, 0); err != nil { // the next envelope goes to the next replica
		t.Fatal(err)
	}
	if n := e.countPosts(dm, e.question(2)); n != 0 {
		t.Fatalf("question 2 was posted %d times", n)
	}
	e.startBot(e.env, 1)
	e.say(user, thread, "ok")
	e.waitPost(dm, "Your answer to "+e.cat.Questions[0].Short+" was saved")
	e.waitPost(dm, e.question(2))
	if got1, got2, _ := e.firstTwo(user); len(got1) != 1 || got2 != nil {
		t.Errorf("question 1 = %v, question 2 = %v; want the answer kept and nothing read into \"ok\"", got1, got2)
	}
}

// Two replicas, one user typing twice in a row: the second message reaches the other replica
// while the first turn still waits for Slack. It waits for that turn to save, then applies to the
// question that turn showed; the questions are posted in order, and nothing is answered twice.
func TestRacingReplicasPostInOrderAndApplyToWhatWasShown(t *testing.T) {
	e := startE2E(t)
	if e.redis == nil {
		t.Skip("needs redis-server")
	}
	second := e.startBot(e.env, 2)
	const user = "URACE"
	dm := e.fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	hold := e.fake.HoldNext("chat.postMessage", e.isQuestion(user, 2))
	e.say(user, thread, "1") // question 1
	if _, err := hold.Wait(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.say(user, thread, "1") // question 2, as seen once the first reply lands; on the other replica
	waitLog(t, e.ctx, "another turn of this user is in flight; waiting for it", e.replica, second)
	hold.Release()
	e.waitPost(dm, e.question(3))
	var order []string
	for _, m := range e.fake.Messages(dm) {
		if strings.HasPrefix(m.Text, "Question ") {
			order = append(order, m.Text[:len(e.question(1))])
		}
	}
	if want := []string{e.question(1), e.question(2), e.question(3)}; fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("questions posted %v, want %v", order, want)
	}
	got1, got2, s := e.firstTwo(user)
	if len(got1) != 1 || len(got2) != 1 || len(s.Answers) != 2 {
		t.Errorf("answers after the race = %v; want questions 1 and 2 answered once each", s.Answers)
	}
	for _, r := range []*replica{e.replica, second} {
		if strings.Contains(r.logs.String(), "taking it over") {
			t.Errorf("a replica took the conversation over instead of waiting:\n%s", r.logs)
		}
	}
}

// Redis goes down while a turn posts its reply and comes back: the save that records the reply
// keeps trying with its write token and lands once, so the user is not told their answer was
// lost, and their next answer applies to the question they see.
func TestASaveThroughARedisRestartLandsOnce(t *testing.T) {
	const user = "URESTART"
	e, dm, thread, q1 := conversationOnRedis(t, user)
	hold := e.fake.HoldNext("chat.postMessage", e.isQuestion(user, 2))
	e.click(user, q1, e.answerButton(1))
	if _, err := hold.Wait(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.redis.Stop()
	hold.Release()
	waitLog(t, e.ctx, "cannot reach Redis to save a session; retrying", e.replica)
	e.redis.Restart(t)
	e.waitUpdate(q1.TS, e.cat.Questions[0].Options[0].Label) // saved, then marked answered
	e.say(user, thread, "1")
	e.waitPost(dm, e.question(3))
	got1, got2, _ := e.firstTwo(user)
	if len(got1) != 1 || len(got2) != 1 {
		t.Errorf("question 1 = %v, question 2 = %v; want each answered once", got1, got2)
	}
	for _, c := range e.fake.Calls() {
		if c.Method == "chat.postEphemeral" && strings.Contains(c.Args["text"], "save") {
			t.Errorf("the user was told %q although the save landed", c.Args["text"])
		}
	}
}

// waitLog waits until one of the replicas logs msg.
func waitLog(t *testing.T, ctx context.Context, msg string, replicas ...*replica) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	found := make(chan error, len(replicas))
	for _, r := range replicas {
		go func() { _, err := r.logs.waitFor(ctx, msg); found <- err }()
	}
	for range replicas {
		if err := <-found; err == nil {
			return
		}
	}
	t.Fatalf("no replica logged %q", msg)
}
