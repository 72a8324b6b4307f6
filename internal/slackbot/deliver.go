package slackbot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/dialog"
)

// thread is where a user's conversation lives in Slack: the DM, the parent message of its thread,
// and the message showing the open question (updated in place once it is answered).
type thread struct {
	Channel string `json:"c"`
	TS      string `json:"t,omitempty"`
	// AskTS is the message of the open question AskQuestion; AskLine is its one-line text.
	AskTS       string `json:"a,omitempty"`
	AskQuestion string `json:"q,omitempty"`
	AskLine     string `json:"l,omitempty"`
}

func threadKey(k dialog.Key) string { return "slack:thread:" + k.Team + ":" + k.User }

// decodeThread returns the thread record in data; an empty one when there is none or it is bad.
func decodeThread(data []byte, lg zerolog.Logger) thread {
	var th thread
	if data != nil {
		if err := json.Unmarshal(data, &th); err != nil {
			lg.Warn().Err(err).Msg("bad thread record; replies go to a new thread")
			return thread{}
		}
	}
	return th
}

func (b *Bot) saveThread(ctx context.Context, k dialog.Key, th thread, lg zerolog.Logger) {
	data, _ := json.Marshal(th)
	if err := b.cfg.KV.Set(ctx, threadKey(k), data, b.cfg.RecordTTL); err != nil {
		lg.Warn().Err(err).Msg("cannot save the thread record")
	}
}

// deliver shows a dialog reply in the user's thread: the new messages are posted in order, then
// the answered question is updated in place (answeredTS, or the recorded open question) and a
// question left open is marked so. Posting comes first: it is what the user waits for, while the
// updates are cosmetic and skipped when Slack's chat.update limit is spent. The thread record is
// saved afterwards.
func (b *Bot) deliver(ctx context.Context, k dialog.Key, th thread, r dialog.Reply, answeredTS string, lg zerolog.Logger) {
	out := Render(r, k.User, b.cfg.Engine.Catalog())
	if r.Answered != nil && answeredTS == "" && th.AskQuestion == r.Answered.QuestionID {
		answeredTS = th.AskTS
	}
	type edit struct {
		ts string
		m  Message
	}
	var edits []edit
	if out.Answered != nil && answeredTS != "" {
		edits = append(edits, edit{answeredTS, *out.Answered})
		if answeredTS == th.AskTS {
			th.AskTS = ""
		}
	}
	if th.AskTS != "" && (r.Ask != nil && !r.Reask || r.Result != nil) {
		// The question on screen was not answered (back, change, finish): take its buttons away.
		edits = append(edits, edit{th.AskTS, leftOpenMessage(th.AskLine)})
		th.AskTS = ""
	}
	if th.TS == "" {
		ts, err := b.post(ctx, th.Channel, "", parentMessage(), lg)
		if err != nil {
			return
		}
		th.TS = ts
	}
	for i, m := range out.Posts {
		ts, err := b.post(ctx, th.Channel, th.TS, m, lg)
		if err != nil {
			return
		}
		if i == out.QuestionAt {
			th.AskTS, th.AskQuestion, th.AskLine = ts, r.Ask.QuestionID, m.Text
		}
	}
	b.saveThread(ctx, k, th, lg)
	for _, e := range edits {
		b.update(ctx, th.Channel, e.ts, e.m, lg)
	}
}

// leftOpenMessage replaces a question that was left without an answer.
func leftOpenMessage(line string) Message {
	return Message{Text: fallback(line + " → left open for now"), Blocks: []slack.Block{section(esc(line) + "\n→ _left open for now_")}}
}

// post sends m to channel (in thread threadTS when set) and returns its ts. Failures are logged;
// slack-go retries rate-limited calls itself.
func (b *Bot) post(ctx context.Context, channel, threadTS string, m Message, lg zerolog.Logger) (string, error) {
	opts := []slack.MsgOption{
		slack.MsgOptionText(m.Text, false),
		slack.MsgOptionBlocks(m.Blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	if err := b.out.wait(ctx, "chat.postMessage", channel); err != nil {
		return "", fmt.Errorf("post to %s: %w", channel, err)
	}
	_, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		lg.Error().Err(err).Str("channel_id", channel).Msg("chat.postMessage failed")
		return "", fmt.Errorf("post to %s: %w", channel, err)
	}
	return ts, nil
}

func (b *Bot) update(ctx context.Context, channel, ts string, m Message, lg zerolog.Logger) {
	if !b.out.allow("chat.update", channel) {
		lg.Debug().Str("ts", ts).Msg("skipped an in-place update: Slack's chat.update limit is spent")
		return
	}
	_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts,
		slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	if err != nil {
		lg.Warn().Err(err).Str("channel_id", channel).Str("ts", ts).Msg("chat.update failed")
	}
}

// ephemeral shows text to the user only, in channel (the DM unless said otherwise).
func (b *Bot) ephemeral(ctx context.Context, channel, user, threadTS, text string, lg zerolog.Logger) {
	opts := []slack.MsgOption{slack.MsgOptionText(text, true)}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	if err := b.out.wait(ctx, "chat.postEphemeral", channel); err != nil {
		return
	}
	if _, err := b.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
		lg.Warn().Err(err).Str("channel_id", channel).Msg("chat.postEphemeral failed")
	}
}

// dm returns the user's DM channel with the bot.
func (b *Bot) dm(ctx context.Context, user string) (string, error) {
	if err := b.out.wait(ctx, "conversations.open", ""); err != nil {
		return "", err
	}
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", fmt.Errorf("conversations.open with %s: %w", user, err)
	}
	return ch.ID, nil
}

// tellUser posts text in the user's conversation thread th (or their DM when there is none).
func (b *Bot) tellUser(ctx context.Context, k dialog.Key, th thread, channel, text string) {
	lg := b.log.With().Str("team_id", k.Team).Str("user_id", k.User).Logger()
	if channel == "" {
		channel = th.Channel
	}
	if channel == "" {
		var err error
		if channel, err = b.dm(ctx, k.User); err != nil {
			lg.Error().Err(err).Msg("cannot reach the user")
			return
		}
	}
	threadTS := ""
	if channel == th.Channel {
		threadTS = th.TS
	}
	b.postText(ctx, channel, threadTS, text, lg)
}
