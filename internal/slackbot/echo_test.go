package slackbot

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestTheEchoedMessageIsDroppedFromPostsAndUpdatesOnly(t *testing.T) {
	const echo = `{"ok":true,"channel":"D1","ts":"1.2","message":{"text":"hi","blocks":[{"type":"section"}]},"response_metadata":{"warnings":["missing_charset"]}}`
	for _, tc := range []struct {
		name, url string
		reply     roundTrip
		want      string
	}{
		{"post", "https://slack.com/api/chat.postMessage", roundTrip{200, echo, nil},
			`{"ok":true,"channel":"D1","ts":"1.2","response_metadata":{"warnings":["missing_charset"]}}`},
		{"update", "https://slack.com/api/chat.update", roundTrip{200, `{"ok":true,"channel":"D1","ts":"1.2","text":"hi","message":{"text":"hi"}}`, nil},
			`{"ok":true,"channel":"D1","ts":"1.2","text":"hi"}`},
		{"an error", "https://slack.com/api/chat.update", roundTrip{200, `{"ok":false,"error":"message_not_found"}`, nil}, `{"ok":false,"error":"message_not_found"}`},
		{"not JSON", "https://slack.com/api/chat.postMessage", roundTrip{200, `<html>`, nil}, `<html>`},
		{"a 429", "https://slack.com/api/chat.postMessage", roundTrip{429, `{"ok":false,"error":"ratelimited"}`, nil}, `{"ok":false,"error":"ratelimited"}`},
		{"another method", "https://slack.com/api/chat.scheduleMessage", roundTrip{200, echo, nil}, echo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client := &http.Client{Transport: echoless{next: tc.reply}}
			resp, err := client.Get(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if string(body) != tc.want {
				t.Errorf("the caller read %s, want %s", body, tc.want)
			}
		})
	}
}

// BenchmarkEcholess drops the echo of a question message, as a post's reply carries it.
func BenchmarkEcholess(b *testing.B) {
	echo := `{"ok":true,"channel":"D1","ts":"1.2","message":{"type":"message","text":"Question 2 of 14","blocks":[` +
		strings.Repeat(`{"type":"actions","block_id":"answer|U1|s1|4|deadline|","elements":[{"type":"button","text":{"type":"plain_text","text":"Within weeks","emoji":true},"action_id":"answer:o1","value":"U1|s1|4|deadline|o1"}]},`, 12) +
		`{"type":"divider"}]}}`
	client := &http.Client{Transport: echoless{next: roundTrip{200, echo, nil}}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		resp, err := client.Get("https://slack.com/api/chat.postMessage")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
	}
}
