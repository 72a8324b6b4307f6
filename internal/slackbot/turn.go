package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// turn is the work on one event of one user: whose it is, where their conversation lives in
// Slack (read at admission, updated as messages are posted) and the logger naming both. It runs
// on the user's queue, so nothing else touches it meanwhile.
type turn struct {
	b  *Bot
	k  dialog.Key
	th thread
	lg zerolog.Logger
}

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

// admit begins the turn in one store round trip: it claims id (Slack's event or trigger id),
// counts the turn in the rate-limit window it arrived in and reads the thread record. It refuses
// a redelivery and a turn past TurnsPerMinute (telling the user once per window). When the store
// cannot answer, the turn goes ahead: a doubled turn is caught by the session's compare-and-set
// and step checks, and the turn itself reports the outage.
func (t *turn) admit(ctx context.Context, id string, window int64) bool {
	req := admit.Request{Read: threadKey(t.k)}
	if id != "" {
		req.Claim, req.ClaimTTL = "slack:seen:"+id, seenTTL
	}
	limit := int64(t.b.cfg.TurnsPerMinute)
	if limit > 0 {
		req.Count, req.Window = fmt.Sprintf("slack:rate:%s:%s:%d", t.k.Team, t.k.User, window), 2*time.Minute
	}
	got, err := t.b.cfg.KV.Admit(ctx, req)
	if err != nil {
		t.lg.Warn().Err(err).Msg("cannot check for a redelivery or read the thread record; handling the event in a new thread")
		return true
	}
	t.th = t.decodeThread(got.Value)
	switch {
	case !got.First:
		t.lg.Info().Str("delivery_id", id).Msg("ignored a redelivered event")
		return false
	case limit > 0 && got.Count > limit:
		t.lg.Warn().Int64("turns", got.Count).Msg("user over the rate limit")
		if got.Count == limit+1 {
			t.tellUser(ctx, fmt.Sprintf("You're going faster than I can follow: at most %d messages or clicks a minute. Nothing more was applied; wait a moment, then carry on.", limit))
		}
		return false
	}
	return true
}

// decodeThread returns the thread record in data; an empty one when there is none or it is bad.
func (t *turn) decodeThread(data []byte) thread {
	var th thread
	if data != nil {
		if err := json.Unmarshal(data, &th); err != nil {
			t.lg.Warn().Err(err).Msg("bad thread record; replies go to a new thread")
			return thread{}
		}
	}
	return th
}

func (t *turn) saveThread(ctx context.Context) {
	data, _ := json.Marshal(t.th)
	if err := t.b.cfg.KV.Set(ctx, threadKey(t.k), data, t.b.cfg.RecordTTL); err != nil {
		t.lg.Warn().Err(err).Msg("cannot save the thread record")
	}
}

// handle runs one engine turn and counts the conversations it starts, completes or abandons.
func (t *turn) handle(ctx context.Context, in dialog.Input) (dialog.Reply, error) {
	r, err := t.b.cfg.Engine.Handle(ctx, t.k, in)
	if err == nil {
		t.b.metrics.Session(r.Lifecycle.Started, r.Lifecycle.Completed, r.Lifecycle.Abandoned)
	}
	return r, err
}

// explain tells the user why a turn could not be applied and logs it once. A typed message with
// no conversation gets a plain reply on how to start one; everything else a private note.
func (t *turn) explain(ctx context.Context, channel string, err error, typed bool) {
	switch {
	case errors.Is(err, dialog.ErrNoSession) && typed:
		t.lg.Info().Msg("no conversation for this user")
		t.postText(ctx, channel, "", "You have no conversation with me right now. Type /stackpick to start one.")
		return
	case errors.Is(err, dialog.ErrNoSession), errors.Is(err, dialog.ErrStale), errors.Is(err, dialog.ErrConflict):
		t.lg.Info().Err(err).Msg("turn not applied")
	default:
		t.lg.Error().Err(err).Msg("turn failed")
	}
	threadTS := ""
	if t.th.Channel == channel {
		threadTS = t.th.TS
	}
	t.ephemeral(ctx, channel, threadTS, userMessage(err))
}

// tellUser posts text in the user's conversation thread (or their DM when there is none).
func (t *turn) tellUser(ctx context.Context, text string) {
	channel := t.th.Channel
	if channel == "" {
		var err error
		if channel, err = t.b.web.dm(ctx, t.k.User); err != nil {
			t.lg.Error().Err(err).Msg("cannot reach the user")
			return
		}
	}
	threadTS := ""
	if channel == t.th.Channel {
		threadTS = t.th.TS
	}
	t.postText(ctx, channel, threadTS, text)
}

// deliver shows a dialog reply in the user's thread: the new messages are posted in order, then
// the answered question is updated in place (answeredTS, or the recorded open question) and a
// question left open is marked so. Posting comes first: it is what the user waits for, while the
// updates are cosmetic and skipped when Slack's chat.update limit is spent. The thread record is
// saved afterwards.
func (t *turn) deliver(ctx context.Context, r dialog.Reply, answeredTS string) {
	out := blockkit.Render(r, t.k.User)
	th := &t.th
	if r.Answered != nil && answeredTS == "" && th.AskQuestion == r.Answered.QuestionID {
		answeredTS = th.AskTS
	}
	type edit struct {
		ts string
		m  blockkit.Message
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
		edits = append(edits, edit{th.AskTS, blockkit.LeftOpen(th.AskLine)})
		th.AskTS = ""
	}
	if th.TS == "" {
		ts, err := t.b.web.post(ctx, th.Channel, "", blockkit.Parent())
		if err != nil {
			t.lg.Error().Err(err).Msg("cannot open the conversation's thread")
			return
		}
		th.TS = ts
	}
	for i, m := range out.Posts {
		ts, err := t.b.web.post(ctx, th.Channel, th.TS, m)
		if err != nil {
			t.lg.Error().Err(err).Int("message", i).Msg("cannot post a reply in the thread")
			return
		}
		if i == out.QuestionAt {
			th.AskTS, th.AskQuestion, th.AskLine = ts, r.Ask.QuestionID, m.Text
		}
	}
	t.saveThread(ctx)
	for _, e := range edits {
		t.update(ctx, th.Channel, e.ts, e.m)
	}
}

// postText posts plain text (escaped) to channel, in thread threadTS when set.
func (t *turn) postText(ctx context.Context, channel, threadTS, text string) {
	if _, err := t.b.web.post(ctx, channel, threadTS, blockkit.Text(text)); err != nil {
		t.lg.Error().Err(err).Msg("cannot post a note")
	}
}

// postMrkdwn posts text that is already safe mrkdwn (constant text and validated ids only).
func (t *turn) postMrkdwn(ctx context.Context, channel, threadTS, mrkdwn string) {
	if channel == "" {
		return
	}
	if _, err := t.b.web.post(ctx, channel, threadTS, blockkit.Mrkdwn(mrkdwn)); err != nil {
		t.lg.Error().Err(err).Msg("cannot post a note")
	}
}

// update replaces the message ts in channel, unless Slack's chat.update limit is spent (updates
// are cosmetic); a failure is logged, the turn goes on.
func (t *turn) update(ctx context.Context, channel, ts string, m blockkit.Message) {
	if !t.b.web.pace.allow("chat.update", channel) {
		t.lg.Debug().Str("ts", ts).Msg("skipped an in-place update: Slack's chat.update limit is spent")
		return
	}
	if err := t.b.web.update(ctx, channel, ts, m); err != nil {
		t.lg.Warn().Err(err).Str("ts", ts).Msg("cannot update a message in place")
	}
}

// ephemeral shows text to the user only, in channel (the DM unless said otherwise).
func (t *turn) ephemeral(ctx context.Context, channel, threadTS, text string) {
	if err := t.b.web.ephemeral(ctx, channel, t.k.User, threadTS, text); err != nil {
		t.lg.Warn().Err(err).Msg("cannot show a private note")
	}
}

// respond answers a slash command privately through its response_url.
func (t *turn) respond(ctx context.Context, responseURL string, m blockkit.Message) {
	if responseURL == "" {
		return
	}
	if err := t.b.web.respond(ctx, responseURL, m); err != nil {
		t.lg.Warn().Err(err).Msg("cannot answer through response_url")
	}
}
