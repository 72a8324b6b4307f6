package slackbot

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
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
		{"slack error", "https://slack.com/api/conversations.open", roundTrip{200, `{"ok":false,"error":"user_not_found"}`, nil}, "conversations.open slack_error"},
		{"unreadable reply", "https://slack.com/api/chat.update", roundTrip{200, `<html>`, nil}, "chat.update slack_error"},
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
			}
			if len(m.calls) != 1 || m.calls[0] != tc.counted {
				t.Errorf("counted %q, want %q once", m.calls, tc.counted)
			}
		})
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
