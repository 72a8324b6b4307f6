package slackbot

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// How the Web API client retries: a call that got a 429 (honouring Retry-After) or a 5xx (with
// backoff and jitter, at most slackBackoffMax apart) is retried up to slackRetries times.
const (
	slackRetries    = 3
	slackBackoffMax = 5 * time.Second
	// slackCallTimeout bounds one HTTP exchange with Slack, whatever the caller's context.
	slackCallTimeout = 30 * time.Second
)

// newAPI builds the slack-go client of cfg: its tokens and API URL, retries of rate-limited and
// failed calls, a pooled HTTP client, and every call counted in m.
func newAPI(cfg Config, m Metrics) *slack.Client {
	retry := slack.DefaultRetryConfig()
	retry.MaxRetries, retry.BackoffMax = slackRetries, slackBackoffMax
	retry.Handlers = []slack.RetryHandler{slack.NewRateLimitErrorRetryHandler(retry), slack.NewServerErrorRetryHandler(retry)}
	opts := []slack.Option{
		slack.OptionLog(log.New(cfg.Log.With().Str("component", "slack-go").Logger(), "", 0)),
		slack.OptionHTTPClient(httpClient(m)),
		slack.OptionRetryConfig(retry), // after the client: it wraps the client set so far
	}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimRight(cfg.APIURL, "/")+"/"))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return slack.New(cfg.BotToken, opts...)
}

// httpClient keeps connections to Slack open between calls. The default transport keeps only
// two idle connections per host, so under load most Web API calls paid for a new TCP and TLS
// handshake (the profile of the load benchmark showed 10% of the CPU in dialling).
func httpClient(m Metrics) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 64, 64
	return &http.Client{Transport: &countingTransport{next: t, m: m}, Timeout: slackCallTimeout}
}

// countingTransport counts every Slack Web API call made through next, by method and outcome.
// Calls to other URLs (a slash command's response_url) count as method "response_url".
type countingTransport struct {
	next http.RoundTripper
	m    Metrics
}

// methodRE matches a Web API method name at the end of a URL path, e.g. /api/chat.postMessage.
var methodRE = regexp.MustCompile(`/([a-z]+(?:\.[a-zA-Z]+)+)$`)

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	method := "response_url"
	if m := methodRE.FindStringSubmatch(req.URL.Path); m != nil {
		method = m[1]
	}
	resp, err := t.next.RoundTrip(req)
	outcome := "ok"
	switch {
	case err != nil:
		outcome = "network_error"
	case resp.StatusCode == http.StatusTooManyRequests:
		outcome = "rate_limited"
	case resp.StatusCode >= 300:
		outcome = "http_error"
	case method != "response_url" && !slackOK(resp):
		outcome = "slack_error"
	}
	t.m.SlackCall(method, outcome)
	return resp, err
}

// slackOK reads a Web API reply's "ok" field and puts the body back for the caller. Replies are
// small; one that cannot be read is left to the caller to report.
func slackOK(resp *http.Response) bool {
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var reply struct {
		OK bool `json:"ok"`
	}
	return json.Unmarshal(body, &reply) == nil && reply.OK
}
