package slackfake_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// noon is the fake's clock in the scheduling tests.
var noon = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// postRaw calls method with args over plain HTTP and returns the decoded answer, for what slack-go
// does not show.
func postRaw(t *testing.T, s *slackfake.Server, method string, args url.Values) map[string]any {
	t.Helper()
	args.Set("token", slackfake.BotToken)
	resp, err := http.PostForm(s.APIURL()+method, args)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body
}

// A reminder is scheduled into a channel thread, listed, deleted and replaced.
func TestScheduleListAndDeleteMessages(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.SetNow(func() time.Time { return noon })
	s.AddChannel("C1", "eng", slackfake.BotUserID)
	s.AddChannel("C2", "ops", slackfake.BotUserID)

	_, parent, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Team decision: which database?", false))
	if err != nil {
		t.Fatal(err)
	}
	postAt := noon.Add(24 * time.Hour)
	ch, id, err := api.ScheduleMessageContext(ctx, "C1", unix(postAt), slack.MsgOptionText("Voting closes in an hour", false),
		slack.MsgOptionBlocks(section("*Vote now*")), slack.MsgOptionTS(parent))
	if err != nil || ch != "C1" || !strings.HasPrefix(id, "Q") {
		t.Fatalf("chat.scheduleMessage = %q %q, %v", ch, id, err)
	}
	other, err := s.WaitScheduled(ctx, func(m slackfake.Scheduled) bool { return m.ID == id })
	if err != nil {
		t.Fatal(err)
	}
	if other.Channel != "C1" || other.ThreadTS != parent || !other.PostAt.Equal(postAt) || other.Text != "Voting closes in an hour" ||
		!strings.Contains(string(other.Blocks), "Vote now") || !other.Created.Equal(noon) || other.Deleted {
		t.Errorf("scheduled = %+v", other)
	}
	if _, _, err := api.ScheduleMessageContext(ctx, "C2", unix(postAt), slack.MsgOptionText("ops", false)); err != nil {
		t.Fatal(err)
	}

	list := func(channel string) []slack.ScheduledMessage {
		t.Helper()
		msgs, next, err := api.GetScheduledMessagesContext(ctx, &slack.GetScheduledMessagesParameters{Channel: channel})
		if err != nil || next != "" {
			t.Fatalf("chat.scheduledMessages.list %q = %v, next %q", channel, err, next)
		}
		return msgs
	}
	if got := list(""); len(got) != 2 {
		t.Errorf("all scheduled messages = %+v", got)
	}
	got := list("C1")
	if len(got) != 1 || got[0] != (slack.ScheduledMessage{ID: id, Channel: "C1", PostAt: int(postAt.Unix()),
		DateCreated: int(noon.Unix()), Text: "Voting closes in an hour"}) {
		t.Errorf("scheduled in C1 = %+v", got)
	}
	page, next, err := api.GetScheduledMessagesContext(ctx, &slack.GetScheduledMessagesParameters{Limit: 1})
	if err != nil || len(page) != 1 || page[0].ID != id || next == "" {
		t.Errorf("first page of one = %+v, next %q, %v", page, next, err)
	}

	del := func(channel, id string) error {
		_, err := api.DeleteScheduledMessageContext(ctx, &slack.DeleteScheduledMessageParameters{Channel: channel, ScheduledMessageID: id})
		return err
	}
	if err := del("C2", id); slackError(t, err).Err != "invalid_scheduled_message_id" {
		t.Errorf("delete from the wrong channel: %v", err)
	}
	if err := del("C1", id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitScheduled(ctx, func(m slackfake.Scheduled) bool { return m.ID == id && m.Deleted }); err != nil {
		t.Fatal(err)
	}
	if got := list("C1"); len(got) != 0 {
		t.Errorf("after the delete, C1 lists %+v", got)
	}
	for _, tc := range []struct{ channel, id, want string }{
		{"C1", id, "invalid_scheduled_message_id"},
		{"C1", "Q404", "invalid_scheduled_message_id"},
		{"C_NOPE", id, "channel_not_found"},
	} {
		if err := del(tc.channel, tc.id); slackError(t, err).Err != tc.want {
			t.Errorf("delete %s from %s: %v, want %s", tc.id, tc.channel, err, tc.want)
		}
	}
	if _, _, err := api.GetScheduledMessagesContext(ctx, &slack.GetScheduledMessagesParameters{Channel: "C_NOPE"}); slackError(t, err).Err != "invalid_channel" {
		t.Errorf("list of an unknown channel: %v", err)
	}
	if all := s.ScheduledMessages(); len(all) != 2 || !all[0].Deleted || all[1].Deleted {
		t.Errorf("records = %+v", all)
	}
	for _, want := range []string{
		"chat.scheduleMessage channel=C1 thread_ts=" + parent + " post_at=" + unix(postAt) + ` text="Voting closes in an hour" blocks=1`,
		"-> ok scheduled_message_id=" + id,
		"chat.scheduledMessages.list channel=C1 -> ok scheduled_messages=1",
		"chat.deleteScheduledMessage channel=C1 scheduled_message_id=" + id + " as_user=false -> ok",
	} {
		if log := s.Log(); !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	t.Logf("fake log:\n%s", s.Log())
}

// chat.scheduleMessage answers post_at as a number and the message as a delayed_message, as the
// reference's example does; slack-go reads neither.
func TestScheduleMessageAnswer(t *testing.T) {
	s, _ := newFake(t)
	s.SetNow(func() time.Time { return noon })
	postAt := unix(noon.Add(time.Minute))
	body := postRaw(t, s, "chat.scheduleMessage", url.Values{"channel": {"DU1"}, "post_at": {postAt}, "text": {"later"}})
	msg, _ := body["message"].(map[string]any)
	if body["ok"] != true || body["post_at"] != float64(noon.Add(time.Minute).Unix()) || body["channel"] != "DU1" ||
		msg["type"] != "delayed_message" || msg["text"] != "later" || msg["bot_id"] != slackfake.BotID ||
		msg["user"] != slackfake.BotUserID || msg["ts"] != nil {
		t.Errorf("answer = %v", body)
	}
}

// chat.scheduleMessage refuses what Slack refuses, against the fake's clock; nothing refused is
// recorded.
func TestScheduleMessageErrors(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.SetNow(func() time.Time { return noon })
	s.AddChannel("C_OUT", "random", "U1")
	s.AddChannel("C_OLD", "old", slackfake.BotUserID)
	s.ArchiveChannel("C_OLD")
	soon, limit := unix(noon.Add(time.Second)), noon.Add(120*24*time.Hour)
	text := slack.MsgOptionText("x", false)

	for _, tc := range []struct {
		name, channel, postAt string
		opts                  []slack.MsgOption
		want                  string
	}{
		{"unknown channel", "C_NOPE", soon, nil, "channel_not_found"},
		{"not a member", "C_OUT", soon, nil, "not_in_channel"},
		{"archived", "C_OLD", soon, nil, "is_archived"},
		{"not a number", "DU1", "tomorrow", nil, "invalid_time"},
		{"now", "DU1", unix(noon), nil, "time_in_past"},
		{"past", "DU1", unix(noon.Add(-time.Hour)), nil, "time_in_past"},
		{"past 120 days", "DU1", unix(limit.Add(time.Second)), nil, "time_too_far"},
		{"no text", "DU1", soon, []slack.MsgOption{slack.MsgOptionText("", false)}, "no_text"},
		{"too many blocks", "DU1", soon, []slack.MsgOption{text, slack.MsgOptionBlocks(dividers(51)...)}, "invalid_blocks"},
		{"too much text", "DU1", soon, []slack.MsgOption{text, slack.MsgOptionBlocks(section(chars(3000)), section(chars(3000)),
			section(chars(3000)), section(chars(3000)), section("a"))}, "msg_blocks_too_long"},
	} {
		opts := tc.opts
		if opts == nil {
			opts = []slack.MsgOption{text}
		}
		_, _, err := api.ScheduleMessageContext(ctx, tc.channel, tc.postAt, opts...)
		if se := slackError(t, err); se.Err != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, se.Err, tc.want)
		}
	}
	_, _, err := api.ScheduleMessageContext(ctx, "DU1", soon, text, slack.MsgOptionBlocks(dividers(51)...))
	wantRefusal(t, err, "invalid_blocks", "[ERROR] no more than 50 items allowed [json-pointer:/blocks]")
	if n := len(s.ScheduledMessages()); n != 0 {
		t.Errorf("%d refused messages recorded", n)
	}

	for _, postAt := range []string{soon, unix(limit)} {
		if _, _, err := api.ScheduleMessageContext(ctx, "DU1", postAt, text); err != nil {
			t.Errorf("post_at %s: %v", postAt, err)
		}
	}
	// The clock is the fake's: once it moves on, the same post_at is in the past.
	s.SetNow(func() time.Time { return noon.Add(time.Hour) })
	if _, _, err := api.ScheduleMessageContext(ctx, "DU1", soon, text); slackError(t, err).Err != "time_in_past" {
		t.Errorf("after the clock moved: %v", err)
	}
}
