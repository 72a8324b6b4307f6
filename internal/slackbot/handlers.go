package slackbot

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
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
		at := thread{Channel: inner.Channel, TS: inner.ThreadTimeStamp}
		b.enqueue(ctx, k, "message", id, at, true, func(ctx context.Context, t *turn) { t.message(ctx, inner.Channel, text) })
	case *slackevents.AppHomeOpenedEvent:
		if inner.Tab != "home" {
			return
		}
		k := dialog.Key{Team: ev.TeamID, User: inner.User}
		b.enqueue(ctx, k, "app_home_opened", id, thread{}, false, func(ctx context.Context, t *turn) { t.home(ctx) })
	}
}

// isUserDM keeps plain messages a person typed in a DM with the bot, a file shared with a comment
// and a thread reply also sent to the DM ("Also send to direct message": thread_broadcast). The
// bot's own posts, other bots, edits, deletions and other subtypes are ignored on purpose: an
// edit does not re-answer.
func (b *Bot) isUserDM(m *slackevents.MessageEvent) bool {
	return m.ChannelType == "im" && m.User != "" && m.User != b.botUserID && m.BotID == "" &&
		(m.SubType == "" || m.SubType == "file_share" || m.SubType == "thread_broadcast")
}

// unescape turns Slack's &amp; &lt; &gt; back into the characters the user typed; replies never
// echo user text, and anything shown is escaped again on the way out.
func unescape(s string) string { return unescaper.Replace(s) }

// unescaper is built once: a Replacer is safe for concurrent use, and building one per message
// was a large share of a turn's allocations.
var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// message is a typed message in the DM: an answer or a command for the user's conversation. With
// no conversation (never started, or expired), writing to the bot asks it for advice: the
// message starts one in a thread of its own and is read as the project's description (a reply
// already shown, whose conversation expired before it was saved, starts none).
func (t *turn) message(ctx context.Context, channel, text string) {
	_, err := t.run(ctx, dialog.Input{Action: dialog.ActText, Text: text}, "")
	if errors.Is(err, dialog.ErrNoSession) && !t.delivered {
		t.th, t.newThread = thread{Channel: channel}, true
		_, err = t.run(ctx, dialog.Input{Action: dialog.ActStart, Text: text}, "")
	}
	if err != nil {
		t.explain(ctx, channel, err, true)
	}
}

// start begins (or offers to resume) a conversation in the user's DM; a new conversation gets a
// thread of its own. When the DM cannot be opened, the user is told through responseURL (the
// slash command's, when there is one).
func (t *turn) start(ctx context.Context, description, responseURL string) {
	channel, ok := t.openDM(ctx, responseURL)
	if !ok {
		return
	}
	if t.th.Channel != channel {
		t.th = thread{Channel: channel}
	}
	t.newThread = true
	if _, err := t.run(ctx, dialog.Input{Action: dialog.ActStart, Text: description}, ""); err != nil {
		t.explain(ctx, channel, err, false)
	}
}

// openDM returns the user's DM channel; when Slack cannot open it, the user is told why through
// responseURL (a slash command's, when there is one) and ok is false.
func (t *turn) openDM(ctx context.Context, responseURL string) (channel string, ok bool) {
	channel, err := t.b.web.dm(ctx, t.k.User)
	if err != nil {
		t.lg.Error().Err(err).Msg("cannot open the DM")
		t.respond(ctx, responseURL, blockkit.Mrkdwn(dmError(err)))
		return "", false
	}
	return channel, true
}

// dmError explains, as safe mrkdwn, why the bot could not open a DM with the user.
func dmError(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return "I couldn't open a direct message with you (Slack said `" + blockkit.Escape(se.Err) + "`), so nothing was started. Check that your workspace lets you message apps, or ask an admin to reinstall me, then try /stackpick again."
	}
	return "I couldn't reach Slack to open a direct message with you, so nothing was started. Please try /stackpick again in a minute."
}

// home renders the App Home tab for the user.
func (t *turn) home(ctx context.Context) {
	res, err := t.b.cfg.Engine.Recommendation(ctx, t.k)
	if err != nil && !errors.Is(err, dialog.ErrNoSession) && !errors.Is(err, dialog.ErrUnfinished) {
		t.lg.Warn().Err(err).Msg("no recommendation for the home tab")
	}
	view := blockkit.HomeView(blockkit.Home{Owner: t.k.User, Frameworks: len(t.b.cfg.Engine.Catalog().Frameworks), Latest: res, Teams: t.homeTeams(ctx)})
	if err := t.b.web.publishHome(ctx, t.k.User, view); err != nil {
		t.lg.Warn().Err(err).Msg("cannot publish the home tab")
	}
}

// Slash commands.

// slashAck is the reply shown at once, in the ack: static text only, no I/O.
func (b *Bot) slashAck(cmd slack.SlashCommand) any {
	sub, _ := splitCommand(cmd.Text)
	ephemeral := func(m blockkit.Message) map[string]any {
		return map[string]any{"response_type": "ephemeral", "text": m.Text, "blocks": m.Blocks}
	}
	switch sub {
	case "help":
		return ephemeral(blockkit.Help(dialog.Commands()))
	case "catalog":
		return ephemeral(blockkit.Catalog(listing(b.cfg.Engine.Catalog())))
	case "radar":
		return ephemeral(blockkit.Radar(radarListing(b.cfg.Engine.Catalog())))
	case "status", "share":
		return nil // answered through response_url once the work is done
	case "", "start", "resume", "restart":
		return ephemeral(blockkit.Message{Text: "I'm opening a DM with you: your checklist will be waiting there."})
	case "team":
		return ephemeral(blockkit.Message{Text: "Starting a team decision in this channel…"})
	}
	if isSingleWord(cmd.Text) {
		return ephemeral(blockkit.Message{Text: "I don't know that command. Try /stackpick help."})
	}
	return ephemeral(blockkit.Message{Text: "I'm reading your description; I'll answer in our DM."})
}

// listing is what the catalog listing shows of cat: its frameworks by language, in the order of
// the languages question.
func listing(cat *catalog.Catalog) blockkit.Listing {
	l := blockkit.Listing{Frameworks: len(cat.Frameworks)}
	langs, _ := cat.Question(catalog.LanguagesQuestion)
	for _, o := range langs.Options {
		lang := blockkit.ListedLanguage{Label: o.Label}
		for _, f := range cat.Frameworks {
			for _, fl := range f.Languages {
				if fl == o.ID {
					lang.Frameworks = append(lang.Frameworks, blockkit.ListedFramework{Name: f.Name, Emerging: f.Emerging})
				}
			}
		}
		l.Languages = append(l.Languages, lang)
	}
	return l
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
	conversational := true
	switch sub {
	case "help", "catalog", "radar":
		return // answered in the ack
	case "", "start", "resume":
		run = func(ctx context.Context, t *turn) { t.start(ctx, "", cmd.ResponseURL) }
	case "restart":
		run = func(ctx context.Context, t *turn) { t.restart(ctx, cmd.ResponseURL) }
	case "status":
		// It marks the conversation like a turn, so it waits for a turn in flight and shows what
		// that turn saved.
		run = func(ctx context.Context, t *turn) { t.status(ctx, cmd.ResponseURL) }
	case "share":
		run = func(ctx context.Context, t *turn) {
			t.share(ctx, parseChannel(rest), func(mrkdwn string) { t.respond(ctx, cmd.ResponseURL, blockkit.Mrkdwn(mrkdwn)) })
		}
		conversational = false
	case "team":
		run = func(ctx context.Context, t *turn) {
			t.startTeam(ctx, cmd.ChannelID, parseUsers(rest), cmd.UserName, false, func(mrkdwn string) { t.respond(ctx, cmd.ResponseURL, blockkit.Mrkdwn(mrkdwn)) })
		}
	default:
		if isSingleWord(cmd.Text) {
			return // unknown command, answered in the ack
		}
		description := unescape(cmd.Text)
		run = func(ctx context.Context, t *turn) { t.start(ctx, description, cmd.ResponseURL) }
	}
	b.enqueue(ctx, k, "slash_command", cmd.TriggerID, thread{}, conversational, run)
}

// restart starts over, in the existing thread when there is one.
func (t *turn) restart(ctx context.Context, responseURL string) {
	if !t.st.Exists {
		t.start(ctx, "", responseURL)
		return
	}
	if t.th.Channel == "" {
		channel, ok := t.openDM(ctx, responseURL)
		if !ok {
			return
		}
		t.th.Channel = channel
	}
	if _, err := t.run(ctx, dialog.Input{Action: dialog.ActRestart}, ""); err != nil {
		t.explain(ctx, t.th.Channel, err, false)
	}
}

// status answers /stackpick status privately through responseURL.
func (t *turn) status(ctx context.Context, responseURL string) {
	reply, err := t.b.cfg.Engine.Handle(ctx, t.k, dialog.Input{Action: dialog.ActStatus})
	switch {
	case errors.Is(err, dialog.ErrNoSession):
		t.respond(ctx, responseURL, blockkit.Mrkdwn("You have no conversation in progress. Type /stackpick to start one."))
		return
	case err != nil:
		t.lg.Error().Err(err).Msg("status failed")
		t.respond(ctx, responseURL, blockkit.Mrkdwn(userMessage(err)))
		return
	}
	t.respond(ctx, responseURL, blockkit.Status(reply.Status))
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
