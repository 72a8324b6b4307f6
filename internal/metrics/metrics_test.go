package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/metrics"
)

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
