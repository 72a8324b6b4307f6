package slackbot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
)

// roundTrip answers every request with a fixed reply, or fails.
type roundTrip struct {
	status int
	body   string
	err    error
}

func (r roundTrip) RoundTrip(*http.Request) (*http.Response, error) {
	if r.err != nil {
		return nil, r.err
	}
	return &http.Response{StatusCode: r.status, Body: io.NopCloser(strings.NewReader(r.body))}, nil
}

// slackCalls records SlackCall; the other counts are dropped.
type slackCalls struct {
	noMetrics
	mu    sync.Mutex
	calls []string
}

func (m *slackCalls) SlackCall(method, outcome string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, method+" "+outcome)
}

func TestSlackCallsAreCountedByMethodAndOutcome(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		reply     roundTrip
		counted   string
	}{
		{"ok", "https://slack.com/api/chat.postMessage", roundTrip{200, `{"ok":true}`, nil}, "chat.postMessage ok"},
		{"ok after other members", "https://slack.com/api/chat.postMessage", roundTrip{200, `{"channel":"C1","message":{"ok":false,"text":"\"ok\":false"},"ok":true,"ts":"1.2"}` + "\n", nil}, "chat.postMessage ok"},
		{"slack error", "https://slack.com/api/conversations.open", roundTrip{200, `{"ok":false,"error":"user_not_found"}`, nil}, "conversations.open slack_error"},
		{"ok only inside another member", "https://slack.com/api/chat.update", roundTrip{200, `{"error":"ok","message":{"ok":true}}`, nil}, "chat.update slack_error"},
		{"unreadable reply", "https://slack.com/api/chat.update", roundTrip{200, `<html>`, nil}, "chat.update slack_error"},
		{"reply cut short", "https://slack.com/api/chat.update", roundTrip{200, `{"ok":true,"ts":"1.`, nil}, "chat.update slack_error"},
		{"429", "https://slack.com/api/chat.update", roundTrip{429, ``, nil}, "chat.update rate_limited"},
		{"5xx", "https://slack.com/api/views.publish", roundTrip{503, ``, nil}, "views.publish http_error"},
		{"network", "https://slack.com/api/auth.test", roundTrip{err: errors.New("connection refused")}, "auth.test network_error"},
		{"response_url", "https://hooks.slack.com/commands/T1/123/abc", roundTrip{200, `ok`, nil}, "response_url ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &slackCalls{}
			client := &http.Client{Transport: &countingTransport{next: tc.reply, m: m}}
			resp, err := client.Get(tc.url)
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				if string(body) != tc.reply.body {
					t.Errorf("the caller read %q, want the reply %q", body, tc.reply.body)
				}
				_ = resp.Body.Close()
				_ = resp.Body.Close()
			}
			if len(m.calls) != 1 || m.calls[0] != tc.counted {
				t.Errorf("counted %q, want %q once", m.calls, tc.counted)
			}
		})
	}
}

// A reply is counted by what it says, however much of it the caller read before closing it.
func TestASlackReplyIsCountedWhenClosed(t *testing.T) {
	reply := `{"ok":true,"ts":"1.2"}` + "\n"
	for _, read := range []int{0, 5, len(reply) - 1, len(reply)} {
		m := &slackCalls{}
		client := &http.Client{Transport: &countingTransport{next: roundTrip{200, reply, nil}, m: m}}
		resp, err := client.Get("https://slack.com/api/chat.postMessage")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(resp.Body, make([]byte, read)); err != nil {
			t.Fatal(err)
		}
		if len(m.calls) != 0 {
			t.Errorf("after reading %d bytes, counted %q before the reply was closed", read, m.calls)
		}
		_ = resp.Body.Close()
		if len(m.calls) != 1 || m.calls[0] != "chat.postMessage ok" {
			t.Errorf("after reading %d bytes, counted %q, want one chat.postMessage ok", read, m.calls)
		}
	}
}

// okScan agrees with decoding the reply's "ok" member (as slack-go's SlackResponse does) on every
// JSON text whose names are spelt without \u escapes or the Kelvin sign (which decodes as "k").
func FuzzOKScanAgreesWithDecoding(f *testing.F) {
	for _, seed := range []string{`{"ok":true}`, `{"ok":false,"error":"x"}`, ` { "a" : [1, {"ok": true}], "ok" : true } `,
		`{"OK":true}`, `{"ok":"true"}`, `{"ok":1}`, `{"ok":true,"ok":false}`, `["ok",true]`, `{"a":"\\\"","ok":true}`, `null`, `true`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !json.Valid(body) || bytes.Contains(body, []byte(`\u`)) || bytes.ContainsRune(body, '\u212a') {
			return
		}
		var reply struct {
			OK bool `json:"ok"`
		}
		want := json.Unmarshal(body, &reply) == nil && reply.OK
		var s okScan
		for chunk := range slices.Chunk(body, 3) { // as a decoder reads it: in pieces
			s.scan(chunk)
		}
		if got := s.ok(); got != want {
			t.Errorf("okScan reads %q as ok=%v, decoding as %v", body, got, want)
		}
	})
}

// A reply slack-go decodes as an error is counted as one.
func TestASlackErrorThroughTheClientIsCounted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"error":"invalid_auth","ok":false}`)
	}))
	t.Cleanup(srv.Close)
	m := &slackCalls{}
	b := New(Config{BotToken: "xoxb-test", APIURL: srv.URL + "/api", Metrics: m, Log: nopLog(), Now: time.Now})
	if err := b.authenticate(t.Context()); err == nil {
		t.Fatal("auth.test answered ok:false, and authenticate returned no error")
	}
	if len(m.calls) != 1 || m.calls[0] != "auth.test slack_error" {
		t.Errorf("counted %q, want one auth.test slack_error", m.calls)
	}
}

// New's client reaches cfg.APIURL and counts its calls in cfg.Metrics.
func TestNewBuildsAClientThatCountsItsCalls(t *testing.T) {
	fake := newHTTPFake(t)
	m := &slackCalls{}
	b := New(Config{BotToken: "xoxb-test", APIURL: fake.URL + "/api", Metrics: m, Log: nopLog(), Now: time.Now})
	if err := b.authenticate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if b.botUserID != "UBOT" {
		t.Errorf("bot user id = %q, want the one auth.test returned", b.botUserID)
	}
	if len(m.calls) != 1 || m.calls[0] != "auth.test ok" {
		t.Errorf("counted %q, want one auth.test ok", m.calls)
	}
	if got := fake.auth(); got != "Bearer xoxb-test" {
		t.Errorf("auth.test was sent with %q, want the bot token", got)
	}
}

// BenchmarkPostMessage is the client's side of a chat.postMessage: slack-go builds the request,
// the transport counts it and slack-go decodes Slack's reply, which echoes the message posted (a
// question's blocks).
func BenchmarkPostMessage(b *testing.B) {
	golden, err := os.ReadFile("blockkit/testdata/question_one_choice.json")
	if err != nil {
		b.Fatal(err)
	}
	var m struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	}
	var blocks slack.Blocks
	if err := json.Unmarshal(golden, &m); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		b.Fatal(err)
	}
	reply, err := json.Marshal(map[string]any{
		"ok": true, "channel": "D0BENCH", "ts": "1700000000.000100",
		"message": map[string]any{"type": "message", "user": "UBOT", "bot_id": "B0BOT", "app_id": "A0APP", "team": "T0BENCH",
			"text": m.Text, "ts": "1700000000.000100", "blocks": m.Blocks},
	})
	if err != nil {
		b.Fatal(err)
	}
	api := slack.New("xoxb-test", slack.OptionAPIURL("https://slack.test/api/"),
		slack.OptionHTTPClient(&http.Client{Transport: &countingTransport{next: roundTrip{200, string(reply), nil}, m: noMetrics{}}}))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := api.PostMessageContext(ctx, "D0BENCH", slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(blocks.BlockSet...)); err != nil {
			b.Fatal(err)
		}
	}
}

type httpFake struct {
	URL string
	mu  sync.Mutex
	got string
}

func (f *httpFake) auth() string { f.mu.Lock(); defer f.mu.Unlock(); return f.got }

// newHTTPFake answers auth.test for the bot user UBOT.
func newHTTPFake(t *testing.T) *httpFake {
	f := &httpFake{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.got = r.Header.Get("Authorization")
		if f.got == "" && r.ParseForm() == nil && r.Form.Get("token") != "" {
			f.got = "Bearer " + r.Form.Get("token") // slack-go sends some methods' token in the form
		}
		f.mu.Unlock()
		if r.URL.Path != "/api/auth.test" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1"}`)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func nopLog() zerolog.Logger { return zerolog.Nop() }
