package slackbot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/dialog"
)

// onInteraction routes a block_actions click (already acked).
func (b *Bot) onInteraction(ctx context.Context, ic slack.InteractionCallback) {
	if ic.Type != slack.InteractionTypeBlockActions || len(ic.ActionCallback.BlockActions) == 0 {
		return
	}
	a := ic.ActionCallback.BlockActions[0]
	team := ic.Team.ID
	if team == "" {
		team = ic.User.TeamID
	}
	k := dialog.Key{Team: team, User: ic.User.ID}
	channel, messageTS := ic.Container.ChannelID, ic.Container.MessageTs
	if channel == "" {
		channel = ic.Channel.ID
	}

	switch a.ActionID {
	case actChoose:
		return // a tick in a checkbox group; Done submits the selection
	case actHomeStart:
		b.enqueue(ctx, k, "home_start", ic.TriggerID, func(ctx context.Context, th thread, lg zerolog.Logger) { b.start(ctx, k, th, "", lg) })
		return
	}

	var c control
	var err error
	if a.ActionID == actShare || a.ActionID == actChange {
		_, c, err = decodeBlockID(a.BlockID) // menus send no value; the control rides in the block id
	} else {
		c, err = decodeControl(a.Value)
	}
	if err != nil {
		b.log.Warn().Err(err).Str("action_id", a.ActionID).Msg("click without a readable control")
		return
	}
	if c.Owner != k.User {
		b.enqueue(ctx, k, "foreign_click", ic.TriggerID, func(ctx context.Context, _ thread, lg zerolog.Logger) {
			lg.Warn().Str("owner_id", c.Owner).Str("action_id", a.ActionID).Msg("refused a click on another user's conversation")
			b.ephemeral(ctx, channel, k.User, ic.Container.ThreadTs, "Those buttons belong to someone else's conversation. Type /stackpick to start your own.", lg)
		})
		return
	}

	switch a.ActionID {
	case actShare:
		target := a.SelectedConversation
		b.enqueue(ctx, k, "share", ic.TriggerID, func(ctx context.Context, th thread, lg zerolog.Logger) {
			say := func(mrkdwn string) { b.postMrkdwn(ctx, th.Channel, th.TS, mrkdwn, lg) }
			b.share(ctx, k, target, say, lg)
		})
		return
	case actFullRanking:
		b.enqueue(ctx, k, "full_ranking", ic.TriggerID, func(ctx context.Context, th thread, lg zerolog.Logger) { b.fullRanking(ctx, k, th, lg) })
		return
	}

	in, ok := inputFor(a, c, ic.BlockActionState)
	if !ok {
		b.log.Warn().Str("action_id", a.ActionID).Msg("unknown action")
		return
	}
	b.enqueue(ctx, k, "click", ic.TriggerID, func(ctx context.Context, th thread, lg zerolog.Logger) {
		reply, err := b.handle(ctx, k, in)
		if err != nil {
			b.explain(ctx, k, channel, th, err, false, lg)
			return
		}
		if th.Channel == "" {
			th.Channel = channel
		}
		b.deliver(ctx, k, th, reply, messageTS, lg)
	})
}

// inputFor turns a click into a dialog input carrying the control's conversation and step.
func inputFor(a *slack.BlockAction, c control, state *slack.BlockActionStates) (dialog.Input, bool) {
	in := dialog.Input{Session: c.Session, Step: c.Step, Question: c.Question}
	switch {
	case strings.HasPrefix(a.ActionID, actAnswerPrefix):
		in.Action, in.Options = dialog.ActAnswer, []string{c.Option}
	case a.ActionID == actDone:
		in.Action = dialog.ActAnswer
		if state != nil {
			for _, o := range state.Values[c.blockID("choose")][actChoose].SelectedOptions {
				in.Options = append(in.Options, o.Value)
			}
		}
	case a.ActionID == actChange:
		in.Action, in.Question = dialog.ActChange, a.SelectedOption.Value
	case a.ActionID == actSkip:
		in.Action = dialog.ActSkip
	case a.ActionID == actBack:
		in.Action = dialog.ActBack
	case a.ActionID == actFinish:
		in.Action = dialog.ActFinish
	case a.ActionID == actResume:
		in.Action = dialog.ActResume
	case a.ActionID == actRestart:
		in.Action = dialog.ActRestart
	default:
		return dialog.Input{}, false
	}
	return in, true
}

func (b *Bot) fullRanking(ctx context.Context, k dialog.Key, th thread, lg zerolog.Logger) {
	res, err := b.cfg.Engine.Recommendation(ctx, k)
	if err != nil || res == nil {
		b.postMrkdwn(ctx, th.Channel, th.TS, "There is no finished recommendation to show. Type done in the thread to rank with what you have answered.", lg)
		return
	}
	_, _ = b.post(ctx, th.Channel, th.TS, fullRankingMessage(res), lg)
}

// postMrkdwn posts text that is already safe mrkdwn (constant text and validated ids only).
func (b *Bot) postMrkdwn(ctx context.Context, channel, threadTS, mrkdwn string, lg zerolog.Logger) {
	if channel == "" {
		return
	}
	_, _ = b.post(ctx, channel, threadTS, Message{Text: fallback(mrkdwn), Blocks: []slack.Block{section(mrkdwn)}}, lg)
}

// maxMemberPages bounds the membership check: 20 pages of 1000 members.
const maxMemberPages = 20

// share posts the compact recommendation of k to channel, after checking that the bot can post
// there and that the user is a member; say reports the outcome to the user, as safe mrkdwn.
func (b *Bot) share(ctx context.Context, k dialog.Key, channel string, say func(mrkdwn string), lg zerolog.Logger) {
	if !slackIDRE.MatchString(channel) {
		say("Tell me which channel: `/stackpick share #channel`, picking the channel from Slack's suggestions.")
		return
	}
	res, err := b.cfg.Engine.Recommendation(ctx, k)
	if err != nil && !errors.Is(err, dialog.ErrNoSession) && !errors.Is(err, dialog.ErrUnfinished) {
		lg.Error().Err(err).Msg("cannot load the recommendation to share")
		say(userMessage(err))
		return
	}
	if res == nil {
		say("Finish your checklist first (or type `done` in the thread), then share it.")
		return
	}
	if err := b.out.wait(ctx, "conversations.info", ""); err != nil {
		say(shareError(err, channel))
		return
	}
	info, err := b.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	if err != nil {
		lg.Warn().Err(err).Str("channel_id", channel).Msg("conversations.info failed")
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
	member, err := b.isMember(ctx, channel, k.User)
	if err != nil {
		lg.Warn().Err(err).Str("channel_id", channel).Msg("conversations.members failed")
		say(shareError(err, channel))
		return
	}
	if !member {
		lg.Warn().Str("channel_id", channel).Msg("refused to share to a channel the user is not in")
		say(fmt.Sprintf("You can only share to channels you are a member of, and you are not in <#%s>.", channel))
		return
	}
	if _, err := b.post(ctx, channel, "", shareMessage(res, k.User), lg); err != nil {
		say(shareError(err, channel))
		return
	}
	b.metrics.Shared()
	lg.Info().Str("channel_id", channel).Msg("recommendation shared")
	say(fmt.Sprintf("Shared your shortlist to <#%s>.", channel))
}

func (b *Bot) isMember(ctx context.Context, channel, user string) (bool, error) {
	cursor := ""
	for page := 0; page < maxMemberPages; page++ {
		if err := b.out.wait(ctx, "conversations.members", ""); err != nil {
			return false, err
		}
		members, next, err := b.api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: channel, Cursor: cursor, Limit: 1000})
		if err != nil {
			return false, err
		}
		for _, m := range members {
			if m == user {
				return true, nil
			}
		}
		if next == "" {
			return false, nil
		}
		cursor = next
	}
	return false, nil
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
		return "Slack refused the post (" + esc(se.Err) + ")."
	}
	return "I couldn't reach Slack to share it. Please try again in a minute."
}
