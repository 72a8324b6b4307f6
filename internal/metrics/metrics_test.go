package metrics_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/metrics"
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

func TestSlackTransportCountsCallsByMethodAndOutcome(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		reply     roundTrip
		series    string
	}{
		{"ok", "https://slack.com/api/chat.postMessage", roundTrip{200, `{"ok":true}`, nil}, `{method="chat.postMessage",outcome="ok"}`},
		{"slack error", "https://slack.com/api/conversations.open", roundTrip{200, `{"ok":false,"error":"user_not_found"}`, nil}, `{method="conversations.open",outcome="slack_error"}`},
		{"429", "https://slack.com/api/chat.update", roundTrip{429, ``, nil}, `{method="chat.update",outcome="rate_limited"}`},
		{"5xx", "https://slack.com/api/views.publish", roundTrip{503, ``, nil}, `{method="views.publish",outcome="http_error"}`},
		{"network", "https://slack.com/api/auth.test", roundTrip{err: errors.New("connection refused")}, `{method="auth.test",outcome="network_error"}`},
		{"response_url", "https://hooks.slack.com/commands/T1/123/abc", roundTrip{200, `ok`, nil}, `{method="response_url",outcome="ok"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := metrics.New()
			client := &http.Client{Transport: m.SlackTransport(tc.reply)}
			resp, err := client.Get(tc.url)
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				if string(body) != tc.reply.body {
					t.Errorf("the caller read %q, want the reply %q", body, tc.reply.body)
				}
			}
			if got := scrape(t, m); !strings.Contains(got, "stackpick_slack_api_calls_total"+tc.series+" 1\n") {
				t.Errorf("want %s counted once in:\n%s", tc.series, got)
			}
		})
	}
}

func TestZeroSeriesShowFromTheStart(t *testing.T) {
	got := scrape(t, metrics.New())
	for _, want := range []string{`stackpick_sessions_total{event="abandoned"} 0`, `stackpick_config_reloads_total{outcome="rejected"} 0`, `stackpick_slack_connected 0`, "go_goroutines ", "process_resident_memory_bytes "} {
		if !strings.Contains(got, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}
