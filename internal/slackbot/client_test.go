package slackbot

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// reply answers every request with a fixed reply, or fails.
type reply struct {
	status int
	body   string
	err    error
}

func (r reply) RoundTrip(*http.Request) (*http.Response, error) {
	if r.err != nil {
		return nil, r.err
	}
	return &http.Response{StatusCode: r.status, Body: io.NopCloser(strings.NewReader(r.body))}, nil
}

// calls records SlackCall reports.
type calls struct {
	noMetrics
	got []string
}

func (c *calls) SlackCall(method, outcome string) { c.got = append(c.got, method+" "+outcome) }

func TestEveryWebAPICallIsCountedByMethodAndOutcome(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		reply     reply
		want      string
	}{
		{"ok", "https://slack.com/api/chat.postMessage", reply{200, `{"ok":true}`, nil}, "chat.postMessage ok"},
		{"slack error", "https://slack.com/api/conversations.open", reply{200, `{"ok":false,"error":"user_not_found"}`, nil}, "conversations.open slack_error"},
		{"429", "https://slack.com/api/chat.update", reply{429, ``, nil}, "chat.update rate_limited"},
		{"5xx", "https://slack.com/api/views.publish", reply{503, ``, nil}, "views.publish http_error"},
		{"network", "https://slack.com/api/auth.test", reply{err: errors.New("connection refused")}, "auth.test network_error"},
		{"response_url", "https://hooks.slack.com/commands/T1/123/abc", reply{200, `ok`, nil}, "response_url ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &calls{}
			client := &http.Client{Transport: &countingTransport{next: tc.reply, m: m}}
			resp, err := client.Get(tc.url)
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				if string(body) != tc.reply.body {
					t.Errorf("the caller read %q, want the reply %q", body, tc.reply.body)
				}
			}
			if len(m.got) != 1 || m.got[0] != tc.want {
				t.Errorf("counted %q, want [%s]", m.got, tc.want)
			}
		})
	}
}
