package slackbot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/slackfake"
)

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

func sign(secret, ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

type signedRequest struct {
	path, body, contentType string
	secret                  string
	at                      time.Time
	tamper                  bool // change the body after signing
	unsigned                bool
}

func (r signedRequest) do(t *testing.T, base string) (int, string) {
	t.Helper()
	ts := strconv.FormatInt(r.at.Unix(), 10)
	sent := r.body
	if r.tamper {
		sent += "&text=pwned"
	}
	req, _ := http.NewRequest(http.MethodPost, base+r.path, strings.NewReader(sent))
	req.Header.Set("Content-Type", r.contentType)
	if !r.unsigned {
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sign(r.secret, ts, r.body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestHTTPModeVerifiesEveryRequest(t *testing.T) {
	fake := slackfake.New()
	t.Cleanup(fake.Close)
	cat := loadCatalog(t)
	sessions := memstore.New(time.Hour, time.Now)
	b := New(Config{
		BotToken: slackfake.BotToken, APIURL: fake.APIURL(),
		Engine: dialog.New(cat, sessions, time.Now), Store: sessions,
		Log: zerolog.Nop(), TurnTimeout: 30 * time.Second, Grace: time.Second, Now: time.Now,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv := httptest.NewServer(b.HTTPHandler(ctx, testSecret))
	defer srv.Close()

	slash := url.Values{"command": {"/stackpick"}, "text": {""}, "team_id": {"T1"}, "user_id": {"U1"},
		"channel_id": {"C1"}, "trigger_id": {"trig-1"}, "response_url": {fake.APIURL() + "x"}}.Encode()
	form := "application/x-www-form-urlencoded"
	now := time.Now()
	for name, r := range map[string]signedRequest{
		"unsigned":          {path: "/slack/commands", body: slash, contentType: form, unsigned: true},
		"wrong secret":      {path: "/slack/commands", body: slash, contentType: form, secret: "not-the-secret", at: now},
		"stale timestamp":   {path: "/slack/commands", body: slash, contentType: form, secret: testSecret, at: now.Add(-6 * time.Minute)},
		"future timestamp":  {path: "/slack/commands", body: slash, contentType: form, secret: testSecret, at: now.Add(6 * time.Minute)},
		"tampered body":     {path: "/slack/commands", body: slash, contentType: form, secret: testSecret, at: now, tamper: true},
		"unsigned event":    {path: "/slack/events", body: `{"type":"url_verification","challenge":"c"}`, contentType: "application/json", unsigned: true},
		"unsigned interact": {path: "/slack/interactive", body: "payload=%7B%7D", contentType: form, unsigned: true},
	} {
		if code, _ := r.do(t, srv.URL); code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, code)
		}
	}

	code, body := signedRequest{path: "/slack/events", body: `{"type":"url_verification","challenge":"abc123"}`, contentType: "application/json", secret: testSecret, at: now}.do(t, srv.URL)
	if code != http.StatusOK || !strings.Contains(body, `"challenge":"abc123"`) {
		t.Errorf("url_verification = %d %s", code, body)
	}
	code, body = signedRequest{path: "/slack/commands", body: slash, contentType: form, secret: testSecret, at: now}.do(t, srv.URL)
	if code != http.StatusOK || !strings.Contains(body, "opening a DM with you") {
		t.Fatalf("signed slash command = %d %s", code, body)
	}
	if _, err := fake.WaitCall(ctx, "chat.postMessage", func(c slackfake.Call) bool {
		return strings.HasPrefix(c.Args["text"], fmt.Sprintf("Question 1 of %d", len(cat.Questions)))
	}); err != nil {
		t.Fatalf("the signed command did not start a conversation: %v", err)
	}
	if n := fake.CountCalls("conversations.open"); n != 1 {
		t.Errorf("%d conversations opened; only the one signed request may be processed", n)
	}
}

// A connection that stalls is closed by the server: headers and part of a body then nothing, or a
// kept-alive connection left idle. Nothing needs to be signed to open one, so none may be held.
func TestHTTPModeClosesStalledConnections(t *testing.T) {
	fake := slackfake.New()
	t.Cleanup(fake.Close)
	sessions := memstore.New(time.Hour, time.Now)
	b := New(Config{
		BotToken: slackfake.BotToken, APIURL: fake.APIURL(),
		Engine: dialog.New(loadCatalog(t), sessions, time.Now), Store: sessions,
		Log: zerolog.Nop(), TurnTimeout: 30 * time.Second, Grace: time.Second, Now: time.Now,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		// Short bounds, so the test waits for the server rather than for the real ones.
		served <- b.runHTTP(ctx, ln, testSecret, httpTimeouts{read: 200 * time.Millisecond, write: time.Second, idle: 200 * time.Millisecond})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	})
	challenge := `{"type":"url_verification","challenge":"abc123"}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for _, tt := range []struct {
		name, send string
		answered   bool // a whole request was sent first, and answered
	}{
		{"headers and part of a body", "POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"type\":", false},
		{"part of the headers", "POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Ty", false},
		{"an idle kept-alive connection", "POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n" +
			"X-Slack-Request-Timestamp: " + ts + "\r\nX-Slack-Signature: " + sign(testSecret, ts, challenge) + "\r\n" +
			"Content-Length: " + strconv.Itoa(len(challenge)) + "\r\n\r\n" + challenge, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String()) // served once runHTTP has authenticated
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tt.send); err != nil {
				t.Fatal(err)
			}
			// The test's own bound, far above the server's: it fails only when the connection stays open.
			_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			got, err := io.ReadAll(conn) // returns once the server closes the connection
			if err != nil {
				t.Fatalf("the stalled connection is still open: %v (read %q)", err, got)
			}
			if answered := strings.Contains(string(got), `"challenge":"abc123"`); answered != tt.answered {
				t.Errorf("read %q before the close", got)
			}
		})
	}
}
