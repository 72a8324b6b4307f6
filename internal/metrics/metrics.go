// Package metrics owns stackpick's Prometheus series and the /metrics handler. The adapters report
// into it through small interfaces of their own (slackbot's Web API calls, redisstore's round
// trips and failed commands); what Slack's wire format and Redis look like is theirs to know, so
// this package imports neither slack-go nor go-redis. Labels are low-cardinality by design: event
// types, API methods, outcomes, command names, never user or team ids.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the series of one process, on its own registry (no global state).
type Metrics struct {
	reg *prometheus.Registry

	connected  prometheus.Gauge
	envelopes  *prometheus.CounterVec
	ackSeconds prometheus.Histogram
	turns      *prometheus.CounterVec
	sessions   *prometheus.CounterVec
	shares     prometheus.Counter
	apiCalls   *prometheus.CounterVec
	redisErrs  *prometheus.CounterVec
	redisTrips prometheus.Counter
	reloads    *prometheus.CounterVec
}

// New registers every series, with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "stackpick_slack_connected", Help: "1 while this replica holds an open Socket Mode connection (or serves HTTP mode), else 0.",
		}),
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stackpick_slack_envelopes_total", Help: "Socket Mode envelopes and HTTP requests received, by type.",
		}, []string{"type"}),
		ackSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "stackpick_slack_ack_seconds", Help: "Time from an envelope reaching the bot to its ack being handed to the connection. Slack's deadline is 3 s.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 3},
		}),
		turns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stackpick_turns_total", Help: "Turns handled (after redelivery and rate-limit checks), by event.",
		}, []string{"event"}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stackpick_sessions_total", Help: "Conversations started, completed (first shortlist) and abandoned (replaced unfinished by a restart).",
		}, []string{"event"}),
		shares: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "stackpick_recommendations_shared_total", Help: "Recommendations posted to a channel.",
		}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stackpick_slack_api_calls_total", Help: "Slack Web API calls (each retry counts), by method and outcome: ok, slack_error, rate_limited, http_error, network_error.",
		}, []string{"method", "outcome"}),
		redisErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stackpick_redis_errors_total", Help: "Redis commands that failed (a missing key is not a failure), by command.",
		}, []string{"command"}),
		redisTrips: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "stackpick_redis_round_trips_total", Help: "Requests sent to Redis: each command, and each pipeline as one (go-redis's own retries not counted again).",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stackpick_config_reloads_total", Help: "Config reloads (SIGHUP), by outcome: ok or rejected.",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.connected, m.envelopes, m.ackSeconds, m.turns, m.sessions, m.shares, m.apiCalls, m.redisErrs, m.redisTrips, m.reloads,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Series that matter at zero show from the start, so dashboards and alerts see 0, not "no data".
	for _, e := range []string{"started", "completed", "abandoned"} {
		m.sessions.WithLabelValues(e)
	}
	for _, o := range []string{"ok", "rejected"} {
		m.reloads.WithLabelValues(o)
	}
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Connected records whether the Slack connection is up.
func (m *Metrics) Connected(up bool) {
	v := 0.0
	if up {
		v = 1
	}
	m.connected.Set(v)
}

// Envelope counts one envelope of type typ (events_api, slash_commands, interactive, hello…).
func (m *Metrics) Envelope(typ string) { m.envelopes.WithLabelValues(typ).Inc() }

// Acked records how long an ack took.
func (m *Metrics) Acked(d time.Duration) { m.ackSeconds.Observe(d.Seconds()) }

// Turn counts one handled turn of event (message, click, slash_command…).
func (m *Metrics) Turn(event string) { m.turns.WithLabelValues(event).Inc() }

// Session counts conversations started, completed and abandoned by one turn.
func (m *Metrics) Session(started, completed, abandoned bool) {
	for _, c := range []struct {
		on    bool
		label string
	}{{started, "started"}, {completed, "completed"}, {abandoned, "abandoned"}} {
		if c.on {
			m.sessions.WithLabelValues(c.label).Inc()
		}
	}
}

// SlackCall counts one HTTP call to Slack by Web API method (or "response_url") and outcome (ok,
// slack_error, rate_limited, http_error, network_error).
func (m *Metrics) SlackCall(method, outcome string) {
	m.apiCalls.WithLabelValues(method, outcome).Inc()
}

// Shared counts one recommendation posted to a channel.
func (m *Metrics) Shared() { m.shares.Inc() }

// Reload counts one config reload.
func (m *Metrics) Reload(ok bool) {
	outcome := "rejected"
	if ok {
		outcome = "ok"
	}
	m.reloads.WithLabelValues(outcome).Inc()
}

// RedisRoundTrip counts one request sent to Redis: a command, or a whole pipeline.
func (m *Metrics) RedisRoundTrip() { m.redisTrips.Inc() }

// RedisError counts one failed Redis command by its lowercase name ("dial" for a failed connect).
func (m *Metrics) RedisError(command string) { m.redisErrs.WithLabelValues(command).Inc() }
