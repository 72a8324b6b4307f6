package slackbot

import (
	"io"
	"net/http"
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
			`{"channel":"D1","ok":true,"response_metadata":{"warnings":["missing_charset"]},"ts":"1.2"}`},
		{"update", "https://slack.com/api/chat.update", roundTrip{200, echo, nil},
			`{"channel":"D1","ok":true,"response_metadata":{"warnings":["missing_charset"]},"ts":"1.2"}`},
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
