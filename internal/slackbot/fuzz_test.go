package slackbot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/dialog"
)

// FuzzSlashCommand reads any slash-command text: no panic, a channel id only when well formed,
// and an ack that fits the 20 KiB limit.
func FuzzSlashCommand(f *testing.F) {
	for _, seed := range []string{"", "help", "share <#C123|general>", "share #general", "share <#c1>", "STATUS", "a SaaS in Python",
		"<!channel>", "share <#C123|<!here>>", "\x00", strings.Repeat("x ", 3000)} {
		f.Add(seed)
	}
	b := &Bot{cfg: Config{Engine: dialog.New(loadCatalog(f), nil, nil)}}
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = splitCommand(text)
		if ch := parseChannel(text); ch != "" && !slackIDRE.MatchString(ch) {
			t.Fatalf("parseChannel(%q) = %q", text, ch)
		}
		ack := b.slashAck(slack.SlashCommand{Text: text})
		data, err := json.Marshal(ack)
		if err != nil || len(data) >= 20480 {
			t.Fatalf("ack of %d bytes, %v", len(data), err)
		}
		if strings.Contains(string(data), "!channel") || strings.Contains(string(data), "!here") {
			t.Fatalf("the ack echoes user text: %s", data)
		}
	})
}
