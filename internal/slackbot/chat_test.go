package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// chatServer answers chat.postMessage and chat.update with the replies given, one a call (the
// last one again once they run out), and records each request.
type chatServer struct {
	mu       sync.Mutex
	replies  []func(http.ResponseWriter)
	requests []*http.Request
	bodies   []map[string]any
}

func newChatServer(t *testing.T, replies ...func(http.ResponseWriter)) (*chatServer, chatJSON) {
	s := &chatServer{replies: replies}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		s.mu.Lock()
		s.requests, s.bodies = append(s.requests, r), append(s.bodies, body)
		reply := s.replies[min(len(s.requests), len(s.replies))-1]
		s.mu.Unlock()
		reply(w)
	}))
	t.Cleanup(srv.Close)
	return s, newChatJSON(srv.Client().Transport, noMetrics{}, srv.URL+"/api/", "xoxb-test")
}

func answer(status int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// A post goes as JSON, with the bot's token, no unfurling, and its blocks; the reply's ts is read
// past the copy of the message Slack sends back.
func TestAPostGoesAsJSONAndItsTSIsRead(t *testing.T) {
	echo := `{"ok":true,"channel":"D1","ts":"1.2","message":{"text":"hi","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"x"}}]}}`
	s, chat := newChatServer(t, answer(200, echo))
	ts, err := chat.ChatPost(t.Context(), chatMessage{Channel: "D1", ThreadTS: "1.1", Text: "hi", Blocks: blockkit.Text("hi").Blocks})
	if err != nil || ts != "1.2" {
		t.Fatalf("ChatPost = %q, %v; want 1.2", ts, err)
	}
	r, body := s.requests[0], s.bodies[0]
	if r.URL.Path != "/api/chat.postMessage" || r.Header.Get("Authorization") != "Bearer xoxb-test" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("request %s %v", r.URL.Path, r.Header)
	}
	blocks, _ := body["blocks"].([]any)
	if body["channel"] != "D1" || body["thread_ts"] != "1.1" || body["text"] != "hi" || body["unfurl_links"] != false || body["unfurl_media"] != false || len(blocks) != 1 {
		t.Errorf("body %v", body)
	}
	if err := chat.ChatUpdate(t.Context(), chatMessage{Channel: "D1", TS: "1.2", Text: "bye"}); err != nil {
		t.Fatal(err)
	}
	if r, body := s.requests[1], s.bodies[1]; r.URL.Path != "/api/chat.update" || body["ts"] != "1.2" || body["unfurl_links"] != nil {
		t.Errorf("update %s %v", r.URL.Path, body)
	}
}

// A message's blocks go out with their elements written in line, in the JSON slack-go writes,
// byte for byte: every block message of the renderer's goldens, with an actions block without
// elements and a context block with an id.
func TestBlocksGoAsSlackGoWritesThem(t *testing.T) {
	goldens, _ := filepath.Glob("blockkit/testdata/*.json")
	var checked int
	for _, path := range goldens {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var golden struct{ Blocks *slack.Blocks }
		if json.Unmarshal(data, &golden) != nil || golden.Blocks == nil {
			continue // a view or a reply, not a message
		}
		blocks := append(golden.Blocks.BlockSet, &slack.ActionBlock{Type: slack.MBTAction, BlockID: "empty"},
			slack.NewContextBlock("note", slack.NewTextBlockObject(slack.PlainTextType, "n", false, false)))
		want, _ := json.Marshal(blocks)
		got, err := json.Marshal(inlineElements(blocks))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: blocks written as\n%s\nnot as slack-go writes them\n%s (%v)", path, got, want, err)
		}
		checked++
	}
	if checked < 40 {
		t.Fatalf("only %d of %d goldens are block messages", checked, len(goldens))
	}
}

// A reply's ok and ts are read without the copy of the message: a copy cut short after them does
// not undo a post Slack made (sending it again would post it twice), in another order the ts read
// is the reply's own, and a reply cut short before them or inside them is no post.
func TestAReplyIsReadAsFarAsItsTS(t *testing.T) {
	for _, reply := range []string{
		`{"ok":true,"channel":"D1","ts":"1.2","message":{"text":"hi","blocks":[{"ty`,
		`{"channel":"D1","message":{"text":"hi","ts":"9.9","ok":false},"ts":"1.2","ok":true}`,
	} {
		_, chat := newChatServer(t, answer(200, reply))
		if ts, err := chat.ChatPost(t.Context(), chatMessage{Channel: "D1", Text: "hi"}); err != nil || ts != "1.2" {
			t.Errorf("%s: ChatPost = %q, %v; want 1.2", reply, ts, err)
		}
	}
	for _, reply := range []string{`{"channel":"D1","message":{"text":"hi"`, `{"ok":true,"channel":"D1","ts":"1.`, `{"ts":"1.2","ok":tru`} {
		_, chat := newChatServer(t, answer(200, reply))
		if ts, err := chat.ChatPost(t.Context(), chatMessage{Channel: "D1", Text: "hi"}); err == nil {
			t.Errorf("%s: a reply cut short was taken for a post with ts %q", reply, ts)
		}
	}
}

// Errors come back as slack-go returns them, so the bot reads them the same way.
func TestChatErrorsAreSlackGos(t *testing.T) {
	_, chat := newChatServer(t, answer(200, `{"ok":false,"error":"channel_not_found","response_metadata":{"messages":["[ERROR] no"]}}`))
	_, err := chat.ChatPost(t.Context(), chatMessage{Channel: "C1", Text: "hi"})
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "channel_not_found" || slackError(err) != "channel_not_found" || len(se.ResponseMetadata.Messages) != 1 {
		t.Errorf("ok false = %v, want slack.SlackErrorResponse channel_not_found with its messages", err)
	}
	_, chat = newChatServer(t, answer(200, `<html>`))
	if _, err := chat.ChatPost(t.Context(), chatMessage{Channel: "C1", Text: "hi"}); err == nil {
		t.Error("a reply that is not JSON was taken for a post")
	}
}

// A 429 is retried after its Retry-After and a 5xx with backoff, slackRetries times; then the
// error is slack-go's.
func TestChatRetriesRateLimitsAndServerErrors(t *testing.T) {
	s, chat := newChatServer(t, answer(429, `{"ok":false,"error":"ratelimited"}`), answer(200, `{"ok":true,"ts":"1.3"}`))
	if ts, err := chat.ChatPost(t.Context(), chatMessage{Channel: "D1", Text: "hi"}); err != nil || ts != "1.3" || len(s.requests) != 2 {
		t.Errorf("after a 429: %q, %v in %d requests; want 1.3 in 2", ts, err, len(s.requests))
	}
	s, chat = newChatServer(t, answer(503, ``))
	_, err := chat.ChatPost(t.Context(), chatMessage{Channel: "D1", Text: "hi"})
	var sc slack.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != 503 || len(s.requests) != slackRetries+1 {
		t.Errorf("503s: %v in %d requests; want slack.StatusCodeError 503 in %d", err, len(s.requests), slackRetries+1)
	}
}

// deadlines answers every request with a post's reply, after noting the deadline of its context.
type deadlines []time.Time

func (ds *deadlines) RoundTrip(r *http.Request) (*http.Response, error) {
	d, _ := r.Context().Deadline()
	*ds = append(*ds, d)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"ok":true,"ts":"1.2"}`))}, nil
}

// A call takes at most slackCallTimeout: one made without a deadline, or with a later one, gets
// that one; a sooner deadline (a turn's) is kept.
func TestAChatCallIsBounded(t *testing.T) {
	var seen deadlines
	chat := newChatJSON(&seen, noMetrics{}, "http://slack.test/api/", "xoxb-test")
	soon, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	later, cancelLater := context.WithTimeout(t.Context(), time.Hour)
	defer cancelLater()
	for _, ctx := range []context.Context{context.Background(), later, soon} {
		if _, err := chat.ChatPost(ctx, chatMessage{Channel: "D1", Text: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	bound := time.Now().Add(slackCallTimeout)
	for i, d := range seen[:2] {
		if d.IsZero() || d.After(bound) {
			t.Errorf("call %d: deadline %v, want at most %v from now", i+1, d, slackCallTimeout)
		}
	}
	if want, _ := soon.Deadline(); !seen[2].Equal(want) {
		t.Errorf("a turn's sooner deadline became %v, want %v", seen[2], want)
	}
}

// chatJSON counts each of its calls as countingTransport counts slack-go's, by its own reading
// of the reply: a reply cut short after ok and ts is a post made.
func TestAChatCallIsCountedByItsOutcome(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reply   roundTrip
		counted string
	}{
		{"ok", roundTrip{200, `{"ok":true,"ts":"1.2","message":{"ok":false}}`, nil}, "chat.postMessage ok"},
		{"cut short after ts", roundTrip{200, `{"ok":true,"ts":"1.2","message":{"te`, nil}, "chat.postMessage ok"},
		{"slack error", roundTrip{200, `{"ok":false,"error":"channel_not_found"}`, nil}, "chat.postMessage slack_error"},
		{"ok only inside another member", roundTrip{200, `{"error":"x","message":{"ok":true,"ts":"1.2"}}`, nil}, "chat.postMessage slack_error"},
		{"unreadable reply", roundTrip{200, `<html>`, nil}, "chat.postMessage slack_error"},
		{"4xx", roundTrip{404, ``, nil}, "chat.postMessage http_error"},
		{"network", roundTrip{err: errors.New("connection refused")}, "chat.postMessage network_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &slackCalls{}
			_, _ = newChatJSON(tc.reply, m, "http://slack.test/api/", "xoxb-test").ChatPost(t.Context(), chatMessage{Channel: "D1", Text: "hi"})
			if len(m.calls) != 1 || m.calls[0] != tc.counted {
				t.Errorf("counted %q, want %q once", m.calls, tc.counted)
			}
		})
	}
}
