package slackbot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// onInteraction routes a block_actions click or a view submission (already acked).
func (b *Bot) onInteraction(ctx context.Context, ic slack.InteractionCallback) {
	if ic.Type == slack.InteractionTypeViewSubmission {
		b.onSubmit(ctx, ic)
		return
	}
	if ic.Type != slack.InteractionTypeBlockActions || len(ic.ActionCallback.BlockActions) == 0 {
		return
	}
	a := ic.ActionCallback.BlockActions[0]
	k := keyOf(ic)
	channel, messageTS := ic.Container.ChannelID, ic.Container.MessageTs
	if channel == "" {
		channel = ic.Channel.ID
	}
	at := thread{Channel: channel, TS: ic.Container.ThreadTs}

	switch a.ActionID {
	case blockkit.ActChoose, blockkit.ActTeamBallot:
		return // a tick in a checkbox group or a pick in a menu; the button beside it submits it
	case blockkit.ActHomeStart:
		b.enqueue(ctx, k, "home_start", ic.TriggerID, thread{}, true, func(ctx context.Context, t *turn) { t.start(ctx, "", "") })
		return
	}

	if tc, err := blockkit.DecodeTeamControl(a.Value); err == nil {
		b.onTeamClick(ctx, ic, a, tc, k, at)
		return
	}

	var c blockkit.Control
	var err error
	if a.ActionID == blockkit.ActShare || a.ActionID == blockkit.ActChange || a.ActionID == blockkit.ActWhyNot || a.ActionID == blockkit.ActTeamStart {
		_, c, err = blockkit.DecodeBlockID(a.BlockID) // menus send no value; the control rides in the block id
	} else {
		c, err = blockkit.DecodeControl(a.Value)
	}
	if err != nil {
		b.log.Warn().Err(err).Str("action_id", a.ActionID).Msg("click without a readable control")
		return
	}
	if c.Owner != k.User {
		b.enqueue(ctx, k, "foreign_click", ic.TriggerID, at, false, func(ctx context.Context, t *turn) {
			t.lg.Warn().Str("owner_id", c.Owner).Str("action_id", a.ActionID).Msg("refused a click on another user's conversation")
			t.ephemeral(ctx, channel, ic.Container.ThreadTs, "Those buttons belong to someone else's conversation. Type /stackpick to start your own.")
		})
		return
	}

	switch a.ActionID {
	case blockkit.ActShare:
		target := a.SelectedConversation
		b.enqueue(ctx, k, "share", ic.TriggerID, at, false, func(ctx context.Context, t *turn) {
			t.share(ctx, target, func(mrkdwn string) { t.postMrkdwn(ctx, t.th.Channel, t.th.TS, mrkdwn) })
		})
		return
	case blockkit.ActTeamStart:
		target, name := a.SelectedConversation, ic.User.Name
		b.enqueue(ctx, k, "team_start", ic.TriggerID, at, true, func(ctx context.Context, t *turn) {
			if c.Session != t.st.Session.ID || c.Step != t.st.Session.Step {
				t.explain(ctx, channel, dialog.ErrStale, false)
				return
			}
			t.startTeam(ctx, target, nil, name, true, func(mrkdwn string) { t.postMrkdwn(ctx, t.th.Channel, t.th.TS, mrkdwn) })
		})
		return
	}

	in, ok := inputFor(a, c, ic.BlockActionState)
	if !ok {
		b.log.Warn().Str("action_id", a.ActionID).Msg("unknown action")
		return
	}
	b.enqueue(ctx, k, "click", ic.TriggerID, at, true, func(ctx context.Context, t *turn) {
		t.trigger, t.name = ic.TriggerID, ic.User.Name
		t.click(ctx, in, channel, messageTS)
	})
}

// onTeamClick routes a click on a team decision's controls. Anyone may click; the decision says
// who may do what, and a refusal is shown to the clicker only, where they clicked. The clicks that
// may start or link a checklist, and the owner's, run like conversation turns, so one person's
// clicks are applied in order across replicas.
func (b *Bot) onTeamClick(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction, c blockkit.TeamControl, k dialog.Key, at thread) {
	channel, threadTS, name, id, action := at.Channel, at.TS, ic.User.Name, c.Decision, a.ActionID
	var do func(ctx context.Context, t *turn, say func(string))
	conversational := true
	switch {
	case action == blockkit.ActTeamJoin:
		do = func(ctx context.Context, t *turn, say func(string)) { t.join(ctx, id, name, say) }
	case action == blockkit.ActTeamReuse:
		do = func(ctx context.Context, t *turn, say func(string)) { t.reuseFor(ctx, id, c.Session, say) }
	case action == blockkit.ActTeamAfresh:
		do = func(ctx context.Context, t *turn, _ func(string)) { t.afresh(ctx, id) }
	case action == blockkit.ActTeamCloseJoining:
		do = func(ctx context.Context, t *turn, say func(string)) { t.closeJoining(ctx, id, say) }
	case action == blockkit.ActTeamOpenVote:
		var picked []string
		if ic.BlockActionState != nil {
			for _, o := range ic.BlockActionState.Values[blockkit.BallotBlock(id)][blockkit.ActTeamBallot].SelectedOptions {
				picked = append(picked, o.Value)
			}
		}
		do = func(ctx context.Context, t *turn, say func(string)) { t.openVote(ctx, id, picked, say) }
	case action == blockkit.ActTeamClose:
		do = func(ctx context.Context, t *turn, say func(string)) { t.closeDecision(ctx, id, say) }
	case action == blockkit.ActTeamWithdraw:
		conversational = false
		do = func(ctx context.Context, t *turn, say func(string)) { t.withdraw(ctx, id, say) }
	case strings.HasPrefix(action, blockkit.ActTeamVotePrefix):
		conversational = false
		clicked := slackTime(a.ActionTs)
		do = func(ctx context.Context, t *turn, say func(string)) { t.vote(ctx, id, c.Framework, clicked, say) }
	default:
		b.log.Warn().Str("action_id", action).Msg("unknown team action")
		return
	}
	run := func(ctx context.Context, t *turn) { do(ctx, t, t.sayIn(ctx, channel, threadTS)) }
	b.enqueue(ctx, k, "team_click", ic.TriggerID, at, conversational, run)
}

// slackTime reads a Slack timestamp ("1760000000.000700") as a time; the zero time when it is
// not one.
func slackTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}
	}
	micros, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	return time.Unix(s, micros*1000)
}

// sayIn shows safe mrkdwn to the user only, in channel's thread threadTS.
func (t *turn) sayIn(ctx context.Context, channel, threadTS string) func(string) {
	return func(mrkdwn string) {
		if err := t.b.web.ephemeralMrkdwn(ctx, channel, t.k.User, threadTS, mrkdwn); err != nil {
			t.lg.Warn().Err(err).Msg("cannot show a private note")
		}
	}
}

// onSubmit applies the review modal: every answer at once, as one turn of the conversation the
// modal was opened from (a stale one is refused like a stale click).
func (b *Bot) onSubmit(ctx context.Context, ic slack.InteractionCallback) {
	if ic.View.CallbackID != blockkit.ReviewCallback {
		b.log.Warn().Str("callback_id", ic.View.CallbackID).Msg("unknown view submitted")
		return
	}
	k := keyOf(ic)
	c, answers, err := blockkit.ReviewAnswers(ic.View)
	if err != nil {
		b.log.Warn().Err(err).Msg("view submitted without a readable control")
		return
	}
	b.enqueue(ctx, k, "review", ic.View.ID+"/"+ic.View.Hash, thread{}, true, func(ctx context.Context, t *turn) {
		if c.Owner != k.User {
			t.lg.Warn().Str("owner_id", c.Owner).Msg("refused a review of another user's conversation")
			return
		}
		in := dialog.Input{Action: dialog.ActReview, Answers: answers, Session: c.Session, Step: c.Step}
		_, err := t.run(ctx, in, "")
		switch {
		case errors.Is(err, dialog.ErrStale):
			t.lg.Info().Err(err).Msg("review not applied")
			t.ephemeral(ctx, t.th.Channel, t.th.TS, "Your answers changed after you opened the review form, so I didn't apply it. Press Review answers on the latest shortlist to edit them as they are now.")
		case err != nil:
			t.explain(ctx, t.th.Channel, err, false)
		}
	})
}

// keyOf is whose conversation an interaction is about: its workspace (the user's, when the
// payload names no team) and its user.
func keyOf(ic slack.InteractionCallback) dialog.Key {
	k := dialog.Key{Team: ic.Team.ID, User: ic.User.ID}
	if k.Team == "" {
		k.Team = ic.User.TeamID
	}
	return k
}

// click applies a control's input; messageTS is the message clicked, updated once answered.
func (t *turn) click(ctx context.Context, in dialog.Input, channel, messageTS string) {
	if _, err := t.run(ctx, in, messageTS); err != nil {
		t.explain(ctx, channel, err, false)
	}
}

// plainActions are the controls whose input is their action alone (none is dialog.ActText, 0).
var plainActions = map[string]dialog.Action{
	blockkit.ActSkip: dialog.ActSkip, blockkit.ActBack: dialog.ActBack, blockkit.ActFinish: dialog.ActFinish,
	blockkit.ActResume: dialog.ActResume, blockkit.ActRestart: dialog.ActRestart, blockkit.ActUndo: dialog.ActUndo,
	blockkit.ActExport: dialog.ActExport, blockkit.ActReview: dialog.ActReview,
}

// inputFor turns a click into a dialog input carrying the control's conversation and step.
func inputFor(a *slack.BlockAction, c blockkit.Control, state *slack.BlockActionStates) (dialog.Input, bool) {
	in := dialog.Input{Session: c.Session, Step: c.Step, Question: c.Question}
	switch {
	case strings.HasPrefix(a.ActionID, blockkit.ActAnswerPrefix):
		in.Action, in.Options = dialog.ActAnswer, []string{c.Option}
	case a.ActionID == blockkit.ActDone:
		in.Action = dialog.ActAnswer
		if state != nil {
			for _, o := range state.Values[c.BlockID(blockkit.KindChoose)][blockkit.ActChoose].SelectedOptions {
				in.Options = append(in.Options, o.Value)
			}
		}
	case a.ActionID == blockkit.ActChange:
		in.Action, in.Question = dialog.ActChange, a.SelectedOption.Value
	case plainActions[a.ActionID] != 0:
		in.Action = plainActions[a.ActionID]
	case strings.HasPrefix(a.ActionID, blockkit.ActShowPrefix):
		d, ok := blockkit.DetailNames[strings.TrimPrefix(a.ActionID, blockkit.ActShowPrefix)]
		if !ok {
			return dialog.Input{}, false
		}
		in.Action, in.Detail = dialog.ActShow, d
	case a.ActionID == blockkit.ActWhyNot:
		in.Action, in.Frameworks = dialog.ActWhyNot, []string{a.SelectedOption.Value}
	case a.ActionID == blockkit.ActCompare:
		in.Action, in.Frameworks = dialog.ActCompare, []string{c.Option}
	case a.ActionID == blockkit.ActKeep:
		in.Action, in.WhatIf = dialog.ActKeep, c.Option
	default:
		return dialog.Input{}, false
	}
	return in, true
}

// share posts the compact recommendation of the user to channel, after checking that the bot can
// post there and that the user is a member; say reports the outcome to the user, as safe mrkdwn.
func (t *turn) share(ctx context.Context, channel string, say func(mrkdwn string)) {
	if !slackIDRE.MatchString(channel) {
		say("Tell me which channel: `/stackpick share #channel`, picking the channel from Slack's suggestions.")
		return
	}
	lg := t.lg.With().Str("channel_id", channel).Logger()
	res, err := t.b.cfg.Engine.Recommendation(ctx, t.k)
	if err != nil && !errors.Is(err, dialog.ErrNoSession) && !errors.Is(err, dialog.ErrUnfinished) {
		lg.Error().Err(err).Msg("cannot load the recommendation to share")
		say(userMessage(err))
		return
	}
	if res == nil {
		say("Finish your checklist first (or type `done` in the thread), then share it.")
		return
	}
	info, err := t.b.web.conversationInfo(ctx, channel)
	if err != nil {
		lg.Warn().Err(err).Msg("cannot check the channel to share to")
		say(shareError(err, channel))
		return
	}
	switch {
	case info.IsArchived:
		say(fmt.Sprintf("<#%s> is archived, so I can't post there.", channel))
		return
	case !info.IsMember:
		say(fmt.Sprintf("I'm not a member of <#%s> yet. Invite me there with `/invite @stackpick`, then share again.", channel))
		return
	}
	member, err := t.b.web.isMember(ctx, channel, t.k.User)
	if err != nil {
		lg.Warn().Err(err).Msg("cannot check the user's membership of the channel")
		say(shareError(err, channel))
		return
	}
	if !member {
		lg.Warn().Msg("refused to share to a channel the user is not in")
		say(fmt.Sprintf("You can only share to channels you are a member of, and you are not in <#%s>.", channel))
		return
	}
	if _, err := t.b.web.post(ctx, channel, "", blockkit.Share(res, t.k.User)); err != nil {
		lg.Error().Err(err).Msg("cannot post the shared recommendation")
		say(shareError(err, channel))
		return
	}
	t.b.metrics.Shared()
	lg.Info().Msg("recommendation shared")
	say(fmt.Sprintf("Shared your shortlist to <#%s>.", channel))
}

// shareError explains a failed share; permanent Slack errors become advice, not retries.
func shareError(err error, channel string) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "channel_not_found":
			return "I can't see that channel. If it is private, invite me first with `/invite @stackpick`."
		case "not_in_channel":
			return fmt.Sprintf("I'm not a member of <#%s> yet. Invite me there with `/invite @stackpick`, then share again.", channel)
		case "is_archived":
			return fmt.Sprintf("<#%s> is archived, so I can't post there.", channel)
		}
		return "Slack refused the post (" + blockkit.Escape(se.Err) + ")."
	}
	return "I couldn't reach Slack to share it. Please try again in a minute."
}
