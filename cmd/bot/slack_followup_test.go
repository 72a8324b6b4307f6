package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// finished starts a conversation for user from a description and finishes it with done; it
// returns the DM, the thread's parent and the result message.
func (e *e2e) finished(user, description string) (dm string, parent, result slackfake.Message) {
	e.t.Helper()
	dm = e.fake.DMChannel(user)
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", description))
	parent = e.waitPost(dm, "Choosing a backend framework")
	e.waitPost(dm, e.question(1)[:len("Question ")])
	e.say(user, parent.TS, "done")
	result = e.waitPost(dm, "Your backend shortlist: ")
	return dm, parent, result
}

// posts returns the texts of the messages posted to channel since the last action, in order.
func (e *e2e) posts(channel string) []string {
	var out []string
	for _, c := range e.fake.Calls()[e.mark:] {
		if c.Method == "chat.postMessage" && c.Status == 200 && c.Error == "" && c.Args["channel"] == channel {
			out = append(out, c.Args["text"])
		}
	}
	return out
}

// openReview clicks Review answers on result and returns the id of the modal opened, after
// checking it asks every question.
func (e *e2e) openReview(user string, result slackfake.Message) string {
	e.t.Helper()
	seen := map[string]bool{}
	for _, v := range e.fake.OpenedViews(user) {
		seen[v.ID] = true
	}
	e.click(user, result, "review")
	opened, err := e.fake.WaitOpenedView(e.ctx, func(v slackfake.OpenedView) bool { return v.User == user && !seen[v.ID] })
	if err != nil {
		e.t.Fatalf("no review modal: %v\n%s", err, e.fake.Log())
	}
	var modal struct {
		Blocks []struct {
			BlockID string `json:"block_id"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(opened.View, &modal); err != nil || len(modal.Blocks) < len(e.cat.Questions) {
		e.t.Fatalf("the modal has %d blocks for %d questions (%v)", len(modal.Blocks), len(e.cat.Questions), err)
	}
	return opened.ID
}

// lastResult is the latest result message among ms.
func lastResult(ms []slackfake.Message) slackfake.Message {
	var last slackfake.Message
	for _, m := range ms {
		if strings.HasPrefix(m.Text, "Your backend shortlist: ") {
			last = m
		}
	}
	return last
}

// selectIn picks value in the static select actionID of m, whose control rides in its block id.
func (e *e2e) selectIn(user string, m slackfake.Message, actionID, value string) {
	e.t.Helper()
	blockID, _ := element(e.t, m, actionID)
	e.next()
	e.send(e.fake.Click(e.ctx, user, m.Channel, m.TS, slackfake.Action{ActionID: actionID, BlockID: blockID, Type: "static_select", SelectedOption: value}, nil))
}

// The follow-ups after the shortlist, end to end on the fake Slack (with a real Redis when there
// is one, as in CI): why not a
// framework outside the top three (from the result's menu, then typed), a comparison as a table
// block, a what-if that leaves the saved answers alone and is then kept, a change that moves the
// top pick and says so first, the review modal changing two answers in one submit (and a stale
// one refused), and the decision record created as a canvas tabbed in the DM.
func TestSlackFollowUpsAfterTheShortlist(t *testing.T) {
	e := startE2E(t)
	const ana = "UANA"
	dm, parent, result := e.finished(ana, "a B2B SaaS in Python, 4 devs, launch in 6 weeks")
	if !strings.HasPrefix(result.Text, "Your backend shortlist: 1. Quill") {
		t.Fatalf("result = %q, want Quill first", result.Text)
	}

	// Why not, from the result's menu: Emberline is outside the top three.
	e.selectIn(ana, result, "why_not", "emberline")
	whyNot := e.waitPost(dm, "Emberline ranks #")
	if !strings.Contains(string(whyNot.Blocks), "behind Quill") {
		t.Errorf("the why-not does not say how far Emberline trails Quill: %s", whyNot.Blocks)
	}
	// … and typed, for a language: its best framework.
	e.say(ana, parent.TS, "what about java?")
	e.waitPost(dm, "Your best Java option is Ironbark.")
	e.waitPost(dm, "Ironbark ranks #")

	// Compare, typed: a table block, with the table as text for notifications.
	e.say(ana, parent.TS, "compare quill and fernwork")
	cmp := e.waitPost(dm, "Quill (#1")
	if !strings.Contains(string(cmp.Blocks), `"type":"table"`) || !strings.Contains(cmp.Text, "Fernwork") {
		t.Errorf("the comparison is not a table with a text fallback: %s / %q", cmp.Blocks, cmp.Text)
	}

	// A what-if moves nothing that is saved; keep keeps it.
	e.say(ana, parent.TS, "what if traffic is massive?")
	whatIf := e.waitPost(dm, "What if")
	element(t, whatIf, "keep")
	e.say(ana, parent.TS, "status")
	if status := e.waitPost(dm, "Progress:"); strings.Contains(string(status.Blocks), "Massive") {
		t.Errorf("the what-if changed the saved answers: %s", status.Blocks)
	}
	e.click(ana, whatIf, "keep")
	e.waitPost(dm, "What moved")
	e.waitPost(dm, "Changed traffic: Massive")
	e.waitPost(dm, "Your backend shortlist: ")

	// A change that moves the top pick says what moved before anything else.
	e.say(ana, parent.TS, "change languages to java")
	moved := e.waitPost(dm, "What moved")
	if !strings.Contains(moved.Text, "Ironbark") || !strings.Contains(moved.Text, "now #1") {
		t.Errorf("what moved = %q, want Ironbark now #1", moved.Text)
	}
	latest := e.waitPost(dm, "Your backend shortlist: 1. Ironbark")
	if posts := e.posts(dm); !strings.HasPrefix(posts[0], "What moved") {
		t.Errorf("the first reply to the change is %q, not what moved", posts[0])
	}

	// Review answers: a modal with every question. One submitted after the conversation moved on
	// is refused like a stale click; a fresh one changes two answers in one turn.
	stale := e.openReview(ana, latest)
	e.say(ana, parent.TS, "change traffic to small")
	e.waitPost(dm, "Your backend shortlist: ")
	e.next()
	e.send(e.fake.SubmitView(e.ctx, ana, stale, map[string]map[string]slackfake.StateValue{
		"q:team": {"choose": {Type: "static_select", SelectedOption: "large"}},
	}))
	eph := e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool { return c.Args["user"] == ana })
	if !strings.Contains(eph.Args["text"], "didn't apply it") {
		t.Errorf("a stale review got %q", eph.Args["text"])
	}
	current := e.fake.Messages(dm)
	review := e.openReview(ana, lastResult(current))
	e.next()
	e.send(e.fake.SubmitView(e.ctx, ana, review, map[string]map[string]slackfake.StateValue{
		"q:team":     {"choose": {Type: "static_select", SelectedOption: "large"}},
		"q:deadline": {"choose": {Type: "static_select", SelectedOption: "long_term"}},
	}))
	e.waitPost(dm, "What moved")
	changed := e.waitPost(dm, "Changed")
	for _, want := range []string{"team size", "deadline"} {
		if !strings.Contains(changed.Text, want) {
			t.Errorf("the review did not change %s: %q", want, changed.Text)
		}
	}

	// Export decision record: a canvas tabbed in the DM, linked from the thread.
	final := e.waitPost(dm, "Your backend shortlist: ")
	e.click(ana, final, "export")
	canvas, err := e.fake.WaitCanvas(e.ctx, func(c slackfake.Canvas) bool { return c.Channel == dm })
	if err != nil {
		t.Fatalf("no canvas: %v\n%s", err, e.fake.Log())
	}
	for _, want := range []string{"Status: proposed · Date: ", "Decision-makers: uana", "## Decision Drivers", "## Considered Options", "## Decision Outcome", "## Pros and Cons of the Options", "### Confirmation"} {
		if !strings.Contains(canvas.Markdown, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	link := e.waitPost(dm, "Your decision record is a canvas") // posted once the access is set
	if got, _ := e.fake.Canvas(canvas.ID); got.Access[ana] != "write" {
		t.Errorf("%s may not edit the record's canvas: %v", ana, got.Access)
	}
	if !strings.Contains(string(link.Blocks), canvas.ID) {
		t.Errorf("the link post does not link canvas %s: %s", canvas.ID, link.Blocks)
	}
	t.Logf("fake Slack's log of Web API calls:\n%s", e.fake.Log())
}

// Where canvases are refused, the record is shared as a Markdown file in the thread, and the
// user is told why; where uploads are refused too, the user is told what to do instead.
func TestSlackDecisionRecordFallsBackToAFileAndExplainsARefusal(t *testing.T) {
	e := startE2E(t)
	e.fake.RefuseCanvases("free_teams_cannot_create_standalone_canvases")
	const ben = "UBEN"
	dm, parent, result := e.finished(ben, "an mvp in python, just me")

	e.click(ben, result, "export")
	file, err := e.fake.WaitFile(e.ctx, func(f slackfake.File) bool { return f.ThreadTS == parent.TS })
	if err != nil {
		t.Fatalf("no file: %v\n%s", err, e.fake.Log())
	}
	if !strings.HasSuffix(file.Name, ".md") || !strings.Contains(string(file.Content), "## Decision Outcome") ||
		!strings.Contains(file.Comment, "free_teams_cannot_create_standalone_canvases") {
		t.Errorf("the fallback file is %q with comment %q:\n%s", file.Name, file.Comment, file.Content)
	}
	if len(e.fake.Canvases()) != 0 {
		t.Errorf("a canvas was created in a workspace that refuses them")
	}

	e.fake.RefuseUploads("missing_scope")
	e.click(ben, result, "export")
	refused := e.waitPost(dm, "I couldn't write your decision record")
	if !strings.Contains(refused.Text, "missing_scope") {
		t.Errorf("the refusal does not say why: %q", refused.Text)
	}
	t.Logf("fake Slack's log of Web API calls:\n%s", e.fake.Log())
}
