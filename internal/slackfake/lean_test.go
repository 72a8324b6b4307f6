package slackfake_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// In load-test mode nothing is kept, but posts and updates are answered as Slack answers them:
// with the message, blocks included, so a client under load decodes what it would decode.
func TestLeanAnswersWithTheMessage(t *testing.T) {
	s, _ := newFake(t)
	var observed atomic.Int32
	s.Lean(func(slackfake.Call) { observed.Add(1) }, nil)
	blocks := `[{"type":"section","text":{"type":"mrkdwn","text":"*Question 1 of 14*"}}]`
	for _, method := range []string{"chat.postMessage", "chat.update"} {
		body := postRaw(t, s, method, url.Values{"channel": {"D1"}, "ts": {"1700000000.000001"}, "text": {"Question 1 of 14"}, "blocks": {blocks}})
		msg, _ := body["message"].(map[string]any)
		got, _ := msg["blocks"].([]any)
		if body["ok"] != true || msg["text"] != "Question 1 of 14" || len(got) != 1 || msg["ts"] == "" {
			t.Errorf("%s answered %v, want ok with the message and its one block", method, body)
		}
	}
	if refused := postRaw(t, s, "chat.update", url.Values{"channel": {"D1"}, "ts": {"1"}, "blocks": {`[{"type":"nope"}]`}}); refused["ok"] != false {
		t.Errorf("a bad block was accepted in lean mode: %v", refused)
	}
	if n := observed.Load(); n != 3 {
		t.Errorf("the observer saw %d calls, want 3", n)
	}
	if len(s.Messages("D1")) != 0 {
		t.Error("lean mode kept a message")
	}
}

// A reply's members come in Slack's order: ok first, the message's copy last.
func TestRepliesAreInSlacksOrder(t *testing.T) {
	s, _ := newFake(t)
	resp, err := http.PostForm(s.APIURL()+"chat.postMessage", url.Values{"token": {slackfake.BotToken}, "channel": {"D1"}, "text": {"hi"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !regexp.MustCompile(`^\{"ok":true,"channel":"D1","ts":"[0-9.]+","message":\{.*\}\}\n$`).Match(body) {
		t.Errorf("chat.postMessage answered %s, want ok, channel, ts, message", body)
	}
}
