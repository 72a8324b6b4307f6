package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/metrics"
)

func TestAdaptersReportsShowAsSeries(t *testing.T) {
	m := metrics.New()
	m.SlackCall("chat.postMessage", "ok")
	m.SlackCall("chat.postMessage", "ok")
	m.SlackCall("chat.update", "rate_limited")
	for range 3 {
		m.RedisRoundTrip()
	}
	m.RedisError("evalsha")
	got := scrape(t, m)
	for _, want := range []string{
		`stackpick_slack_api_calls_total{method="chat.postMessage",outcome="ok"} 2` + "\n",
		`stackpick_slack_api_calls_total{method="chat.update",outcome="rate_limited"} 1` + "\n",
		"stackpick_redis_round_trips_total 3\n",
		`stackpick_redis_errors_total{command="evalsha"} 1` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/metrics lacks %q in:\n%s", want, got)
		}
	}
}

func TestZeroSeriesShowFromTheStart(t *testing.T) {
	got := scrape(t, metrics.New())
	for _, want := range []string{`stackpick_sessions_total{event="abandoned"} 0`, `stackpick_config_reloads_total{outcome="rejected"} 0`, `stackpick_slack_connected 0`, "stackpick_redis_round_trips_total 0", "go_goroutines ", "process_resident_memory_bytes "} {
		if !strings.Contains(got, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// metrics owns the series only: what Slack's wire format and Redis look like belongs to the
// adapters (slackbot, redisstore), so this package depends on neither SDK.
func TestMetricsImportsNoSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/stackpick/stackpick/internal/metrics").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/slack-go/") || strings.HasPrefix(dep, "github.com/redis/") {
			t.Errorf("internal/metrics depends on %s", dep)
		}
	}
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}
