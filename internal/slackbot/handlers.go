package slackbot

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/stackpick/stackpick/internal/dialog"
)

// onEvent routes an Events API event (already acked).
func (b *Bot) onEvent(ctx context.Context, ev slackevents.EventsAPIEvent) {
	id := ""
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		id = cb.EventID
	}
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		if !b.isUserDM(inner) {
			return
		}
		k := dialog.Key{Team: ev.TeamID, User: inner.User}
		text := unescape(inner.Text)
		b.enqueue(ctx, k, "message", id, func(ctx context.Context, th thread, lg zerolog.Logger) {
			b.onMessage(ctx, k, th, inner.Channel, text, lg)
		})
	case *slackevents.AppHomeOpenedEvent:
		if inner.Tab != "home" {
			return
		}
		k := dialog.Key{Team: ev.TeamID, User: inner.User}
		b.enqueue(ctx, k, "app_home_opened", id, b.publishHome(k))
	}
}

// isUserDM keeps plain messages a person typed in a DM with the bot. The bot's own posts, other
// bots, edits, deletions and other subtypes are ignored on purpose: an edit does not re-answer.
func (b *Bot) isUserDM(m *slackevents.MessageEvent) bool {
	return m.ChannelType == "im" && m.User != "" && m.User != b.botUserID && m.BotID == "" &&
		(m.SubType == "" || m.SubType == "file_share")
}

// unescape turns Slack's &amp; &lt; &gt; back into the characters the user typed; replies never
// echo user text, and anything shown is escaped again on the way out.
func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// onMessage is a typed message in the DM: an answer or a command for the user's conversation.
func (b *Bot) onMessage(ctx context.Context, k dialog.Key, th thread, channel, text string, lg zerolog.Logger) {
	reply, err := b.handle(ctx, k, dialog.Input{Action: dialog.ActText, Text: text})
	if err != nil {
		b.explain(ctx, k, channel, th, err, true, lg)
		return
	}
	if th.Channel == "" {
		th.Channel = channel
	}
	b.deliver(ctx, k, th, reply, "", lg)
}

// explain tells the user why a turn could not be applied and logs it once. A typed message with
// no conversation gets a plain reply on how to start one; everything else a private note.
func (b *Bot) explain(ctx context.Context, k dialog.Key, channel string, th thread, err error, typed bool, lg zerolog.Logger) {
	switch {
	case errors.Is(err, dialog.ErrNoSession) && typed:
		lg.Info().Msg("no conversation for this user")
		b.postText(ctx, channel, "", "You have no conversation with me right now. Type /stackpick to start one.", lg)
		return
	case errors.Is(err, dialog.ErrNoSession), errors.Is(err, dialog.ErrStale), errors.Is(err, dialog.ErrConflict):
		lg.Info().Err(err).Msg("turn not applied")
	default:
		lg.Error().Err(err).Msg("turn failed")
	}
	threadTS := ""
	if th.Channel == channel {
		threadTS = th.TS
	}
	b.ephemeral(ctx, channel, k.User, threadTS, userMessage(err), lg)
}

func (b *Bot) postText(ctx context.Context, channel, threadTS, text string, lg zerolog.Logger) {
	_, _ = b.post(ctx, channel, threadTS, Message{Text: fallback(text), Blocks: []slack.Block{section(esc(text))}}, lg)
}

// start begins (or offers to resume) a conversation in the user's DM.
func (b *Bot) start(ctx context.Context, k dialog.Key, th thread, description string, lg zerolog.Logger) {
	channel, err := b.dm(ctx, k.User)
	if err != nil {
		lg.Error().Err(err).Msg("cannot open the DM")
		return
	}
	reply, err := b.handle(ctx, k, dialog.Input{Action: dialog.ActStart, Text: description})
	if err != nil {
		b.explain(ctx, k, channel, th, err, false, lg)
		return
	}
	if reply.Resume == nil || th.Channel != channel {
		th = thread{Channel: channel} // a new conversation gets a new thread
	}
	b.deliver(ctx, k, th, reply, "", lg)
}

// publishHome returns the job that renders the App Home tab for k.
func (b *Bot) publishHome(k dialog.Key) job {
	return func(ctx context.Context, _ thread, lg zerolog.Logger) {
		res, err := b.cfg.Engine.Recommendation(ctx, k)
		if err != nil && !errors.Is(err, dialog.ErrNoSession) && !errors.Is(err, dialog.ErrUnfinished) {
			lg.Warn().Err(err).Msg("no recommendation for the home tab")
		}
		req := slack.PublishViewContextRequest{UserID: k.User, View: homeView(res, k.User)}
		if err := b.out.wait(ctx, "views.publish", ""); err != nil {
			return
		}
		if _, err := b.api.PublishViewContext(ctx, req); err != nil {
			lg.Warn().Err(err).Msg("views.publish failed")
		}
	}
}

// Slash commands.

// slashAck is the reply shown at once, in the ack: static text only, no I/O.
func (b *Bot) slashAck(cmd slack.SlashCommand) any {
	sub, _ := splitCommand(cmd.Text)
	ephemeral := func(m Message) map[string]any {
		return map[string]any{"response_type": "ephemeral", "text": m.Text, "blocks": m.Blocks}
	}
	switch sub {
	case "help":
		return ephemeral(helpMessage(dialog.Commands()))
	case "catalog":
		return ephemeral(catalogMessage(b.cfg.Engine.Catalog()))
	case "status", "share":
		return nil // answered through response_url once the work is done
	case "", "start", "resume", "restart":
		return ephemeral(Message{Text: "I've opened a DM with you: your checklist is waiting there."})
	}
	if isSingleWord(cmd.Text) {
		return ephemeral(Message{Text: "I don't know that command. Try /stackpick help."})
	}
	return ephemeral(Message{Text: "I've opened a DM with you and noted what I could from your description."})
}

// splitCommand returns the lower-cased first word of a slash command's text and the rest.
func splitCommand(text string) (sub, rest string) {
	text = strings.TrimSpace(text)
	first, rest, _ := strings.Cut(text, " ")
	return strings.ToLower(first), strings.TrimSpace(rest)
}

func isSingleWord(text string) bool { return !strings.ContainsAny(strings.TrimSpace(text), " \t\n") }

func (b *Bot) onSlash(ctx context.Context, cmd slack.SlashCommand) {
	k := dialog.Key{Team: cmd.TeamID, User: cmd.UserID}
	sub, rest := splitCommand(cmd.Text)
	var run job
	switch sub {
	case "help", "catalog":
		return // answered in the ack
	case "", "start", "resume":
		run = func(ctx context.Context, th thread, lg zerolog.Logger) { b.start(ctx, k, th, "", lg) }
	case "restart":
		run = func(ctx context.Context, th thread, lg zerolog.Logger) { b.restart(ctx, k, th, lg) }
	case "status":
		run = func(ctx context.Context, _ thread, lg zerolog.Logger) { b.status(ctx, k, cmd.ResponseURL, lg) }
	case "share":
		run = func(ctx context.Context, _ thread, lg zerolog.Logger) {
			b.share(ctx, k, parseChannel(rest), func(text string) { b.respond(ctx, cmd.ResponseURL, text, lg) }, lg)
		}
	default:
		if isSingleWord(cmd.Text) {
			return // unknown command, answered in the ack
		}
		run = func(ctx context.Context, th thread, lg zerolog.Logger) { b.start(ctx, k, th, unescape(cmd.Text), lg) }
	}
	b.enqueue(ctx, k, "slash_command", cmd.TriggerID, run)
}

// restart starts over, in the existing thread th when there is one.
func (b *Bot) restart(ctx context.Context, k dialog.Key, th thread, lg zerolog.Logger) {
	reply, err := b.handle(ctx, k, dialog.Input{Action: dialog.ActRestart})
	if errors.Is(err, dialog.ErrNoSession) {
		b.start(ctx, k, th, "", lg)
		return
	}
	if err != nil {
		b.explain(ctx, k, th.Channel, th, err, false, lg)
		return
	}
	if th.Channel == "" {
		if th.Channel, err = b.dm(ctx, k.User); err != nil {
			lg.Error().Err(err).Msg("cannot open the DM")
			return
		}
	}
	b.deliver(ctx, k, th, reply, "", lg)
}

func (b *Bot) status(ctx context.Context, k dialog.Key, responseURL string, lg zerolog.Logger) {
	reply, err := b.handle(ctx, k, dialog.Input{Action: dialog.ActStatus})
	switch {
	case errors.Is(err, dialog.ErrNoSession):
		b.respond(ctx, responseURL, "You have no conversation in progress. Type /stackpick to start one.", lg)
		return
	case err != nil:
		lg.Error().Err(err).Msg("status failed")
		b.respond(ctx, responseURL, userMessage(err), lg)
		return
	}
	m := statusMessage(reply.Status)
	b.respondMessage(ctx, responseURL, m, lg)
}

// respond answers a slash command privately through its response_url; mrkdwn must be safe
// (constant text and validated ids only).
func (b *Bot) respond(ctx context.Context, responseURL, mrkdwn string, lg zerolog.Logger) {
	b.respondMessage(ctx, responseURL, Message{Text: fallback(mrkdwn), Blocks: []slack.Block{section(mrkdwn)}}, lg)
}

func (b *Bot) respondMessage(ctx context.Context, responseURL string, m Message, lg zerolog.Logger) {
	if responseURL == "" {
		return
	}
	_, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(responseURL, slack.ResponseTypeEphemeral),
		slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	if err != nil {
		lg.Warn().Err(err).Msg("response_url post failed")
	}
}

// channelRefRE matches the channel reference Slack puts in a slash command's text for "#name".
var channelRefRE = regexp.MustCompile(`<#([A-Z0-9]{2,32})(?:\|[^>]*)?>`)

// parseChannel returns the channel id in "<#C123|general>", or "".
func parseChannel(text string) string {
	if m := channelRefRE.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}
