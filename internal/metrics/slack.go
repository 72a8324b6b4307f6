package metrics

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
)

// SlackTransport returns a transport that counts every Slack Web API call made through next,
// by method and outcome. Calls to other URLs (a slash command's response_url) count as method
// "response_url".
func (m *Metrics) SlackTransport(next http.RoundTripper) http.RoundTripper {
	return &slackTransport{next: next, m: m}
}

type slackTransport struct {
	next http.RoundTripper
	m    *Metrics
}

// methodRE matches a Web API method name at the end of a URL path, e.g. /api/chat.postMessage.
var methodRE = regexp.MustCompile(`/([a-z]+(?:\.[a-zA-Z]+)+)$`)

func (t *slackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
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
	t.m.apiCalls.WithLabelValues(method, outcome).Inc()
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
