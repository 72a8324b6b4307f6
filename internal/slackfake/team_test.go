package slackfake_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// users.info knows the users a test added, and no one else.
func TestUserInfo(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddUser("U1", "Ana Núñez", "ana")
	s.AddUser("U2", "Bo Li", "")

	u, err := api.GetUserInfoContext(ctx, "U1")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "U1" || u.TeamID != slackfake.TeamID || u.Name != "u1" || u.RealName != "Ana Núñez" || u.Deleted || u.IsBot ||
		u.Profile.RealName != "Ana Núñez" || u.Profile.DisplayName != "ana" || u.Profile.RealNameNormalized != "Ana Núñez" ||
		u.Profile.DisplayNameNormalized != "ana" {
		t.Errorf("users.info U1 = %+v", u)
	}
	if u, err := api.GetUserInfoContext(ctx, "U2"); err != nil || u.Profile.DisplayName != "" || u.RealName != "Bo Li" {
		t.Errorf("users.info U2 = %+v, %v", u, err)
	}
	for _, id := range []string{"U3", slackfake.BotUserID, ""} {
		if _, err := api.GetUserInfoContext(ctx, id); slackError(t, err).Err != "user_not_found" {
			t.Errorf("users.info %q: %v, want user_not_found", id, err)
		}
	}
	if log := s.Log(); !strings.Contains(log, "users.info user=U1 include_locale=true -> ok") ||
		!strings.Contains(log, "users.info user=U3 include_locale=true -> error user_not_found") {
		t.Errorf("log:\n%s", log)
	}
}

// In a team channel, a click on a thread reply carries the channel and the thread as Slack sends
// them; a slash command's text and a user's message arrive as typed.
func TestChannelInteractions(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)
	s.AddChannel("C1", "eng", "U1", slackfake.BotUserID)

	mention := "<@U123|ana> <@U456|bo> & <!here>"
	if _, err := s.SlashCommand(ctx, "U1", "C1", "/stackpick", "team "+mention); err != nil {
		t.Fatal(err)
	}
	if cmd := receive(ctx, t, b.slash); cmd.Text != "team "+mention || cmd.ChannelID != "C1" || cmd.ChannelName != "eng" {
		t.Errorf("slash command = %+v", cmd)
	}

	_, parent, err := b.api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Team decision", false))
	if err != nil {
		t.Fatal(err)
	}
	_, reply, err := b.api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Vote", false),
		slack.MsgOptionBlocks(actions(button("vote_go", "go", "Go"))...), slack.MsgOptionTS(parent))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ts, thread string }{{reply, parent}, {parent, ""}} {
		if _, err := s.Click(ctx, "U1", "C1", tc.ts, slackfake.Action{ActionID: "vote_go", BlockID: "b", Type: "button", Value: "go"}, nil); err != nil {
			t.Fatal(err)
		}
		ic := receive(ctx, t, b.clicks)
		if c := ic.Container; c.Type != "message" || c.ChannelID != "C1" || c.MessageTs != tc.ts || c.ThreadTs != tc.thread || c.IsEphemeral {
			t.Errorf("click on %s: container = %+v", tc.ts, c)
		}
		if ic.Channel.ID != "C1" || ic.Channel.Name != "eng" || ic.Message.Timestamp != tc.ts || ic.Message.ThreadTimestamp != tc.thread ||
			ic.Message.BotID != slackfake.BotID || ic.User.ID != "U1" {
			t.Errorf("click on %s: channel %+v, message ts %q thread %q bot %q", tc.ts, ic.Channel, ic.Message.Timestamp,
				ic.Message.ThreadTimestamp, ic.Message.BotID)
		}
	}

	_, ts, err := s.ChannelMessage(ctx, "U1", "C1", "I'd pick Go", parent)
	if err != nil {
		t.Fatal(err)
	}
	ev := receive(ctx, t, b.events)
	if msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); !ok || msg.Channel != "C1" || msg.ChannelType != "channel" ||
		msg.User != "U1" || msg.Text != "I'd pick Go" || msg.TimeStamp != ts || msg.ThreadTimeStamp != parent {
		t.Errorf("channel message event = %#v", ev.InnerEvent.Data)
	}
	if _, _, err := s.ChannelMessage(ctx, "U1", "G1", "private", ""); err != nil {
		t.Fatal(err)
	}
	if msg, ok := receive(ctx, t, b.events).InnerEvent.Data.(*slackevents.MessageEvent); !ok || msg.ChannelType != "group" {
		t.Errorf("private channel message event = %#v", msg)
	}
}

// chat.update edits the bot's channel messages, thread replies included, with chat.postMessage's
// checks, and refuses what Slack refuses.
func TestUpdateInChannel(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)
	s.AddChannel("C1", "eng", slackfake.BotUserID)
	s.AddChannel("C_OLD", "old", slackfake.BotUserID)
	update := func(channel, ts string, opts ...slack.MsgOption) error {
		_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, opts...)
		return err
	}
	text := slack.MsgOptionText("Closed: Go wins", false)

	_, parent, err := b.api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Team decision", false))
	if err != nil {
		t.Fatal(err)
	}
	_, reply, err := b.api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Vote", false), slack.MsgOptionTS(parent))
	if err != nil {
		t.Fatal(err)
	}
	if err := update("C1", reply, text, slack.MsgOptionBlocks(section("*Go* wins"))); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Message("C1", reply); m.Text != "Closed: Go wins" || m.ThreadTS != parent || m.Updated != 1 || !strings.Contains(string(m.Blocks), "wins") {
		t.Errorf("updated reply = %+v", m)
	}
	_, old, err := b.api.PostMessageContext(ctx, "C_OLD", slack.MsgOptionText("x", false))
	if err != nil {
		t.Fatal(err)
	}
	s.ArchiveChannel("C_OLD")
	ephemeral, err := b.api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("only you", false))
	if err != nil {
		t.Fatal(err)
	}
	_, typed, err := s.ChannelMessage(ctx, "U1", "C1", "mine", parent)
	if err != nil {
		t.Fatal(err)
	}
	receive(ctx, t, b.events)

	for _, tc := range []struct{ name, channel, ts, want string }{
		{"no such message", "C1", "1760000000.999900", "message_not_found"},
		{"an ephemeral", "C1", ephemeral, "message_not_found"},
		{"a user's message", "C1", typed, "cant_update_message"},
		{"an archived channel", "C_OLD", old, "is_inactive"},
		{"an unknown channel", "C_NOPE", reply, "channel_not_found"},
	} {
		if err := update(tc.channel, tc.ts, text); slackError(t, err).Err != tc.want {
			t.Errorf("update of %s: %v, want %s", tc.name, err, tc.want)
		}
	}
	wantRefusal(t, update("C1", reply, slack.MsgOptionBlocks(dividers(51)...)), "invalid_blocks",
		"[ERROR] no more than 50 items allowed [json-pointer:/blocks]")
	if m, _ := s.Message("C1", reply); m.Updated != 1 {
		t.Errorf("refused updates changed the reply: %+v", m)
	}
}

// Two replicas on two sockets share envelopes in turn, and EnvelopesPerConnection shows it.
func TestEnvelopesAlternateBetweenReplicas(t *testing.T) {
	s, ctx := newFake(t)
	first := startBot(ctx, t, s)
	second := startBot(ctx, t, s)
	if err := s.WaitConnected(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if got := s.EnvelopesPerConnection(); !slices.Equal(got, []int{0, 0}) {
		t.Fatalf("before any envelope: %v", got)
	}
	for range 5 {
		if _, err := s.SlashCommand(ctx, "U1", "DU1", "/stackpick", ""); err != nil {
			t.Fatal(err)
		}
	}
	got := s.EnvelopesPerConnection()
	if slices.Sort(got); !slices.Equal(got, []int{2, 3}) {
		t.Errorf("envelopes per connection = %v, want 2 and 3", got)
	}
	for range 2 {
		receive(ctx, t, first.slash)
		receive(ctx, t, second.slash)
	}

	s.Disconnect("refresh_requested")
	if got := s.EnvelopesPerConnection(); len(got) != 0 {
		t.Errorf("after the disconnect: %v", got)
	}
	if err := s.WaitConnected(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if got := s.EnvelopesPerConnection(); !slices.Equal(got, []int{0, 0}) {
		t.Errorf("the new sockets: %v", got)
	}
}

// Refuse, FailNext and SetLimits work for the team methods by name; bookmarks are limited per
// channel by channel_id.
func TestTeamMethodRefusalsAndLimits(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C1", "eng", slackfake.BotUserID)
	s.AddChannel("C2", "ops", slackfake.BotUserID)
	s.AddUser("U1", "Ana", "ana")
	bookmark := func(channel string) error {
		_, err := api.AddBookmarkContext(ctx, channel, slack.AddBookmarkParameters{Title: "t", Type: "link", Link: "https://example.com"})
		return err
	}
	schedule := func() error {
		_, _, err := api.ScheduleMessageContext(ctx, "C1", unix(time.Now().Add(time.Hour)), slack.MsgOptionText("x", false))
		return err
	}

	s.Refuse("missing_scope", "bookmarks.add", "users.info")
	if se := slackError(t, bookmark("C1")); se.Err != "missing_scope" || se.Needed != "bookmarks:write" || se.Provided != slackfake.BotScopes {
		t.Errorf("refused bookmarks.add = %+v", se)
	}
	if _, err := api.GetUserInfoContext(ctx, "U1"); slackError(t, err).Needed != "users:read" {
		t.Errorf("refused users.info = %v", err)
	}
	s.Refuse("restricted_action", "chat.scheduleMessage")
	if err := schedule(); slackError(t, err).Err != "restricted_action" {
		t.Errorf("refused chat.scheduleMessage = %v", err)
	}
	s.Refuse("", "bookmarks.add", "users.info", "chat.scheduleMessage")
	if err := bookmark("C1"); err != nil {
		t.Errorf("bookmarks.add after the refusal: %v", err)
	}
	if err := schedule(); err != nil {
		t.Errorf("chat.scheduleMessage after the refusal: %v", err)
	}
	s.FailNext("chat.deleteScheduledMessage", 1, http.StatusOK, 0, "internal_error")
	if _, err := api.DeleteScheduledMessageContext(ctx, &slack.DeleteScheduledMessageParameters{Channel: "C1", ScheduledMessageID: "Q1"}); slackError(t, err).Err != "internal_error" {
		t.Errorf("faulted delete = %v", err)
	}

	for _, m := range []string{"chat.scheduleMessage", "chat.scheduledMessages.list", "chat.deleteScheduledMessage", "bookmarks.add", "bookmarks.list", "users.info"} {
		if _, found := slackfake.SlackLimits()[m]; !found {
			t.Errorf("SlackLimits lacks %s", m)
		}
	}
	s.SetLimits(map[string]slackfake.Limit{
		"bookmarks.add": {PerMinute: 1, Burst: 1, PerChannel: true},
		"users.info":    {PerMinute: 1, Burst: 1},
	})
	var rl *slack.RateLimitedError
	if err := bookmark("C1"); err != nil {
		t.Fatal(err)
	}
	if err := bookmark("C1"); !errors.As(err, &rl) || rl.RetryAfter <= 0 {
		t.Errorf("second bookmark in C1 = %v, want RateLimitedError", err)
	}
	if err := bookmark("C2"); err != nil {
		t.Errorf("first bookmark in C2 = %v", err)
	}
	if _, err := api.GetUserInfoContext(ctx, "U1"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetUserInfoContext(ctx, "U1"); !errors.As(err, &rl) {
		t.Errorf("users.info over the workspace limit = %v", err)
	}
	if n := s.Throttled(); n != 2 {
		t.Errorf("throttled %d calls, want 2", n)
	}
}
