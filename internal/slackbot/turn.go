package slackbot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// turn is the work on one event of one user: whose it is, the session as the admission read it,
// where the conversation lives in Slack (the session's view, or where the event came from) and
// the logger naming both. It runs on the user's queue, so nothing else in this process touches
// it meanwhile.
type turn struct {
	b  *Bot
	k  dialog.Key
	st dialog.Started
	th thread
	// at is where the event came from (its channel and thread), for notes when the session's
	// view cannot be read.
	at thread
	lg zerolog.Logger
	// edits are the cosmetic in-place updates of the last delivery, made after its save.
	edits []edit
	// newThread: a conversation this turn starts gets a thread of its own (/stackpick).
	newThread bool
	// saved: the engine saved the turn, which released its mark; delivered: it showed a reply.
	saved, delivered bool
	// trigger is the click's trigger id, which may open a modal; name is how Slack names the
	// user in it, for a decision record.
	trigger, name string
	// joining is the team decision a conversation this turn starts is for.
	joining string
}

// thread is where a user's conversation lives in Slack: the DM, the parent message of its thread,
// and the message showing the open question (updated in place once a click answers it, or when
// it is left open). It is the session's View, saved with the session.
type thread struct {
	Channel string `json:"c"`
	TS      string `json:"t,omitempty"`
	// AskTS is the message of the open question AskQuestion; AskLine is its one-line text.
	AskTS       string `json:"a,omitempty"`
	AskQuestion string `json:"q,omitempty"`
	AskLine     string `json:"l,omitempty"`
	// Team is the team decision this conversation answers for: its shortlist brings its answers
	// there.
	Team string `json:"tm,omitempty"`
}

// edit is an in-place update of message ts.
type edit struct {
	ts string
	m  blockkit.Message
}

// How often an admission polls for another turn of the same user (on another replica) to finish:
// first after busyPollFirst, doubling to busyPollMax, for up to the bot's busy wait.
const (
	busyPollFirst = 10 * time.Millisecond
	busyPollMax   = 200 * time.Millisecond
)

// admit begins the turn in one store round trip: it claims id (Slack's event or trigger id),
// counts the turn in the rate-limit window it arrived in, reads the user's session and, when
// mark is set (the turn runs the conversation), marks the turn in flight on it. It refuses a
// redelivery and a turn past TurnsPerMinute (telling the user once per window). While another
// turn of the user holds the mark (another replica), it waits for it, polling, up to the busy
// wait, then takes the mark over: that turn is then treated as interrupted. When the store cannot
// answer, the user is told nothing can be saved and the turn stops.
func (t *turn) admit(ctx context.Context, id string, window int64, mark bool) bool {
	limit := int64(t.b.cfg.TurnsPerMinute)
	req := admit.Request{Key: t.k, Claim: id, ClaimTTL: seenTTL, Limit: limit, Window: window, WindowTTL: 2 * time.Minute, Live: t.b.cfg.TurnTimeout}
	if mark {
		req.Turn = newTurnToken()
	}
	got, err := t.b.cfg.Store.Admit(ctx, req)
	if err == nil && got.Busy {
		got, err = t.waitForTurn(ctx, req)
	}
	if err != nil {
		t.th = t.at
		if !mark {
			t.lg.Warn().Err(err).Msg("cannot admit the turn; going ahead without a redelivery check")
			return true
		}
		t.explain(ctx, t.at.Channel, fmt.Errorf("admit the turn: %w", err), false)
		return false
	}
	if got.First && limit > 0 && got.Count > limit {
		t.lg.Warn().Int64("turns", got.Count).Msg("user over the rate limit")
		t.th = t.at
		if got.Count == limit+1 {
			t.tellUser(ctx, fmt.Sprintf("You're going faster than I can follow: at most %d messages or clicks a minute. Nothing more was applied; wait a moment, then carry on.", limit))
		}
		return false
	}
	if !got.First {
		t.b.local.forget(t.k, window)
		t.lg.Info().Str("delivery_id", id).Msg("ignored a redelivered event")
		return false
	}
	if got.Interrupted {
		t.lg.Warn().Msg("an earlier turn of this user never finished")
	}
	t.st = dialog.Started{Session: got.Session, Exists: got.Exists, Interrupted: got.Interrupted}
	t.th = t.decodeThread(got.Session.View)
	if t.th.Channel == "" || t.th.TS == "" && t.at.Channel == t.th.Channel {
		// No view (a conversation from before views were saved, or whose first post failed):
		// the event says where the user is.
		t.th.Channel, t.th.TS = t.at.Channel, t.at.TS
	}
	return true
}

// waitForTurn admits req again, polling, until the other turn of the user that holds the mark
// has finished, or up to the busy wait; then it takes the mark over. The delivery is claimed and
// counted already.
func (t *turn) waitForTurn(ctx context.Context, req admit.Request) (admit.Result, error) {
	t.lg.Debug().Msg("another turn of this user is in flight; waiting for it")
	req.Claim, req.Limit = "", 0
	for wait, poll := time.Duration(0), busyPollFirst; ; poll = min(2*poll, busyPollMax) {
		if wait >= t.b.busyWait() {
			t.lg.Warn().Dur("waited", wait).Msg("another turn of this user still holds the conversation; taking it over")
			req.Force = true
		} else {
			select {
			case <-time.After(poll):
				wait += poll
			case <-ctx.Done():
				return admit.Result{}, ctx.Err()
			}
		}
		got, err := t.b.cfg.Store.Admit(ctx, req)
		if err != nil || !got.Busy {
			return got, err
		}
	}
}

// release drops the turn's mark when the engine did not save the turn (the input could not be
// applied, or the job never ran the engine), so the user's next turn does not wait for it.
func (t *turn) release(ctx context.Context) {
	if t.saved || t.st.Session.Turn == "" {
		return
	}
	if err := t.b.cfg.Store.Release(context.WithoutCancel(ctx), t.k, t.st.Session.Turn); err != nil {
		t.lg.Warn().Err(err).Msg("cannot release the turn's mark")
	}
}

// newTurnToken names one turn's mark on the session.
func newTurnToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
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

// run runs one conversation turn: the engine applies in to the admitted session, the reply is
// delivered, and the engine saves what the user was shown with it (answeredTS is the message
// clicked, updated once a click answered it); the engine saves even when the delivery used up the turn's
// time or a shutdown cancelled it, so the store learns the user did not see the reply. Cosmetic
// updates come last. It returns the engine's error for the caller
// to explain.
func (t *turn) run(ctx context.Context, in dialog.Input, answeredTS string) (dialog.Reply, error) {
	r, err := t.b.cfg.Engine.Run(ctx, t.k, in, t.st, func(ctx context.Context, r dialog.Reply) dialog.Delivery {
		t.delivered = true
		return t.deliver(ctx, r, answeredTS)
	})
	if err != nil && t.delivered {
		return r, fmt.Errorf("%w: %w", errUnsaved, err)
	}
	if err != nil {
		return r, err
	}
	t.saved = true
	t.b.metrics.Session(r.Lifecycle.Started, r.Lifecycle.Completed, r.Lifecycle.Abandoned)
	for _, e := range t.edits {
		t.update(ctx, t.th.Channel, e.ts, e.m)
	}
	if r.Result != nil && t.th.Team != "" && t.b.cfg.Teams != nil {
		t.contribute(ctx)
	}
	return r, nil
}

// errUnsaved means a reply was shown but the save that records it failed: what the user sees is
// not saved, and the turn's mark stays, so their next turn shows them where we are first.
var errUnsaved = errors.New("reply shown, not saved")

// explain tells the user why a turn could not be applied and logs it once. A typed message with
// no conversation gets a plain reply on how to start one; everything else a private note. The
// note goes out on a fresh short context, so a turn that ran out of time still says why.
func (t *turn) explain(ctx context.Context, channel string, err error, typed bool) {
	switch {
	case errors.Is(err, dialog.ErrNoSession) && typed:
		t.lg.Info().Msg("no conversation for this user")
		t.postText(ctx, channel, t.threadIn(channel), "You have no conversation with me right now. Type /stackpick to start one.")
		return
	case errors.Is(err, dialog.ErrNoSession), errors.Is(err, dialog.ErrStale), errors.Is(err, dialog.ErrConflict):
		t.lg.Info().Err(err).Msg("turn not applied")
	default:
		t.lg.Error().Err(err).Msg("turn failed")
	}
	nctx, cancel := noteContext(ctx)
	defer cancel()
	t.ephemeral(nctx, channel, t.threadIn(channel), userMessage(err))
}

// threadIn is the conversation's thread when it is in channel, else "" (the channel itself).
func (t *turn) threadIn(channel string) string {
	if t.th.Channel == channel {
		return t.th.TS
	}
	return ""
}

// noteTimeout bounds a note that explains a failure, on a context of its own.
const noteTimeout = 5 * time.Second

func noteContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), noteTimeout)
}

// tellUser posts text in the user's conversation thread (or their DM when there is none), on a
// fresh short context.
func (t *turn) tellUser(ctx context.Context, text string) {
	ctx, cancel := noteContext(ctx)
	defer cancel()
	channel := t.th.Channel
	if channel == "" {
		var err error
		if channel, err = t.b.web.dm(ctx, t.k.User); err != nil {
			t.lg.Error().Err(err).Msg("cannot reach the user")
			return
		}
	}
	t.postText(ctx, channel, t.threadIn(channel), text)
}

// deliver shows a dialog reply in the user's thread and reports whether all of it reached the
// user, with the thread record to save. The new messages are posted in order; a question a click
// answered (answeredTS, or the recorded open question) is to be updated in place, and a question
// left open marked so, once the turn is saved (t.edits): posting is what the user waits for,
// while the updates are cosmetic and skipped when Slack's chat.update limit is spent. A typed
// answer is confirmed in the reply itself (blockkit.Render), so its question is not updated.
func (t *turn) deliver(ctx context.Context, r dialog.Reply, answeredTS string) dialog.Delivery {
	out := blockkit.Render(r, t.k.User)
	th := &t.th
	t.edits = nil
	if r.Session != t.st.Session.ID {
		// A new conversation answers for a team decision only when it was started for one: a
		// restart may be about another project.
		th.Team = t.joining
		if t.newThread {
			*th = thread{Channel: th.Channel, Team: t.joining}
		}
	}
	if r.Answered != nil {
		if answeredTS == "" && th.AskQuestion == r.Answered.QuestionID {
			answeredTS = th.AskTS
		}
		if answeredTS == th.AskTS {
			th.AskTS = "" // answered, not left open
		}
		if out.Answered != nil && answeredTS != "" {
			t.edits = append(t.edits, edit{answeredTS, *out.Answered})
		}
	}
	if th.AskTS != "" && (r.Ask != nil && !r.Reask || r.Result != nil) {
		// The question on screen was not answered (back, change, finish): take its buttons away.
		t.edits = append(t.edits, edit{th.AskTS, blockkit.LeftOpen(th.AskLine)})
		th.AskTS = ""
	}
	posts, questionAt := out.Posts, out.QuestionAt
	if th.TS == "" && len(posts) > 0 {
		parent := blockkit.Parent()
		if questionAt != 0 { // the first reply opens the thread with the parent's line
			parent, posts, questionAt = blockkit.Opening(posts[0]), posts[1:], questionAt-1
		}
		ts, err := t.b.web.post(ctx, th.Channel, "", parent)
		if err != nil {
			t.lg.Error().Err(err).Msg("cannot open the conversation's thread")
			return dialog.Delivery{View: t.view()}
		}
		th.TS = ts
	}
	for i, m := range posts {
		ts, err := t.b.web.post(ctx, th.Channel, th.TS, m)
		if err != nil && hasTable(m) && slackError(err) == "invalid_blocks" {
			// A workspace or client that refuses the table block gets the table as text.
			t.lg.Warn().Err(err).Msg("Slack refused the comparison table; posting it as text")
			ts, err = t.b.web.post(ctx, th.Channel, th.TS, blockkit.CompareSections(r.Compare))
		}
		if err != nil {
			t.lg.Error().Err(err).Int("message", i).Msg("cannot post a reply in the thread; the user is told where we are next time")
			return dialog.Delivery{View: t.view()}
		}
		if i == questionAt {
			th.AskTS, th.AskQuestion, th.AskLine = ts, r.Ask.QuestionID, m.Text
		}
	}
	if r.Review != nil {
		t.openReview(ctx, r)
	}
	if r.Export != nil {
		t.exportRecord(ctx, r.Export)
	}
	return dialog.Delivery{Shown: true, View: t.view()}
}

// view encodes the thread record for the session.
func (t *turn) view() []byte {
	data, _ := json.Marshal(t.th)
	return data
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
	if !t.b.web.pace.allow(ctx, "chat.update", channel) {
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
