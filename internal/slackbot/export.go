package slackbot

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/record"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// noCanvases are the errors Slack answers canvases.create with when the workspace, the plan or
// the token cannot have canvases: the record then goes out as a Markdown file instead.
var noCanvases = []string{"not_allowed_token_type", "free_teams_cannot_create_standalone_canvases",
	"canvas_disabled_user_team", "missing_scope", "not_enabled", "team_tier_cannot_create_canvases"}

// slackError is the error code of a Web API refusal, or "".
func slackError(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}

// exportRecord writes the user's decision record where they can keep it: a canvas tabbed in
// their DM, linked from the thread; where the workspace cannot have canvases, a Markdown file
// shared in the thread, saying why. A refusal of both is explained, and nothing is lost: the
// answers stay, and the export can be asked again.
func (t *turn) exportRecord(ctx context.Context, x *dialog.Export) {
	decider := t.name // as Slack names the user in the click
	if decider == "" {
		decider = "Slack user " + t.k.User
	}
	d := record.Decision{Date: x.Date, Deciders: []string{decider}, Result: x.Result, Firmness: x.Firmness, Seeds: x.Seeds, Open: x.Open}
	title := record.Title(d)
	id, err := t.b.web.createCanvas(ctx, title, record.Canvas(d), t.th.Channel, t.k.User)
	if err != nil && id != "" {
		t.lg.Warn().Err(err).Str("canvas_id", id).Msg("created the decision record's canvas, but cannot give the user write access")
		err = nil // the canvas is tabbed in the DM: the user can read it at least
	}
	if err == nil {
		t.lg.Info().Str("canvas_id", id).Msg("decision record created as a canvas")
		t.postMrkdwn(ctx, t.th.Channel, t.th.TS, fmt.Sprintf("Your decision record is a canvas: <%s|%s>. It is tabbed in this DM; share it from there.", t.b.canvasURL(id), blockkit.Escape(title)))
		return
	}
	code := slackError(err)
	if !slices.Contains(noCanvases, code) {
		t.lg.Error().Err(err).Msg("cannot create the decision record's canvas")
		t.postMrkdwn(ctx, t.th.Channel, t.th.TS, exportFailed(err))
		return
	}
	if _, err := t.shareRecordFile(ctx, t.th.Channel, t.th.TS, d, "your", code); err != nil {
		t.lg.Error().Err(err).Msg("cannot share the decision record as a file")
		t.postMrkdwn(ctx, t.th.Channel, t.th.TS, exportFailed(err))
	}
}

// shareRecordFile shares rec as a Markdown file in channel's thread threadTS, saying that
// canvases are refused (Slack's code) and whose record it is ("your", "the team's"); it returns
// the file's id.
func (t *turn) shareRecordFile(ctx context.Context, channel, threadTS string, rec record.Decision, whose, code string) (string, error) {
	t.lg.Info().Str("error", code).Msg("canvases are not available; sharing the decision record as a file")
	comment := fmt.Sprintf("Canvases aren't available here (Slack said %s), so here is %s decision record as a Markdown file.", code, whose)
	return t.b.web.uploadMarkdown(ctx, channel, threadTS, record.Filename(rec), record.Title(rec), record.Markdown(rec), comment)
}

// hasTable reports whether m holds a table block, which some clients and workspaces refuse.
func hasTable(m blockkit.Message) bool {
	return slices.ContainsFunc(m.Blocks, func(b slack.Block) bool { return b.BlockType() == slack.MBTTable })
}

// exportFailed explains a decision record that could not be written.
func exportFailed(err error) string {
	if code := slackError(err); code != "" {
		return fmt.Sprintf("I couldn't write your decision record: Slack refused it (%s). Your answers are kept; ask a workspace admin to allow canvases or file uploads for stackpick, then press *Export decision record* again.", blockkit.Escape(code))
	}
	return "I couldn't reach Slack to write your decision record. Your answers are kept; press *Export decision record* again in a minute."
}

// openReview opens the modal that edits every answer at once, on the click's trigger.
func (t *turn) openReview(ctx context.Context, r dialog.Reply) {
	c := blockkit.Control{Owner: t.k.User, Session: r.Session, Step: r.Step}
	if err := t.b.web.openView(ctx, t.trigger, blockkit.ReviewModal(r.Review, c)); err != nil {
		t.lg.Warn().Err(err).Msg("cannot open the review modal")
		t.postMrkdwn(ctx, t.th.Channel, t.th.TS, "I couldn't open the review form (Slack allows a few seconds after a click). Press *Review answers* again, or type `change <question> to <answer>`.")
	}
}

// canvasURL links to canvas id in the bot's workspace.
func (b *Bot) canvasURL(id string) string {
	return b.workspaceURL + "docs/" + b.teamID + "/" + id
}
