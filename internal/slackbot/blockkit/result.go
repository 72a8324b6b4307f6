package blockkit

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// allDetails are the details DetailAll shows, one message each, so none exceeds Slack's limits.
var allDetails = []dialog.Detail{dialog.DetailReasons, dialog.DetailChecklist, dialog.DetailPlan, dialog.DetailRanking}

// resultMessages renders the part of the reply's result it asks for: the compact result with its
// controls, or details without controls.
func resultMessages(r dialog.Reply, c Control) []Message {
	switch r.Detail {
	case dialog.DetailCompact:
		return []Message{compactMessage(r.Result, r.Firmness, r.Questions, c)}
	case dialog.DetailAll:
		var out []Message
		for _, d := range allDetails {
			out = append(out, detailMessage(r.Result, d))
		}
		return out
	}
	return []Message{detailMessage(r.Result, r.Detail)}
}

func detailMessage(res *ranking.Result, d dialog.Detail) Message {
	switch d {
	case dialog.DetailReasons:
		return reasonsMessage(res)
	case dialog.DetailChecklist:
		return checklistMessage(res)
	case dialog.DetailPlan:
		return planMessage(res)
	}
	return fullRanking(res)
}

// compactMessage is the recommendation as it first appears, short enough that the top pick shows
// without scrolling: the situation, the confidence, the first choices with their strongest reason
// and first watchout, the frameworks the organisation's radar holds, how firm the top pick is,
// and the controls asking for more.
func compactMessage(res *ranking.Result, f *ranking.Firmness, questions []dialog.Choice, c Control) Message {
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain("Your backend shortlist", maxHeaderText)),
		contextText(esc(situation(res.Situation))),
	}
	choices := res.Choices(compactTop)
	blocks = append(blocks, choiceBlocks(res, choices)...)
	if f != nil && res.Confidence.Level != ranking.Low { // a low-confidence result names no top pick
		blocks = append(blocks, contextText(firmnessLine(f)))
	}
	blocks = append(blocks, resultControls(res, questions, c)...)
	var names []string
	for _, i := range choices {
		names = append(names, fmt.Sprintf("%s %s (%d)", rankMark(res.Place(i), res.Confidence.Level), esc(res.Shortlist[i].Name), res.Shortlist[i].Score))
	}
	return Message{Text: fallback("Your backend shortlist: " + strings.Join(names, ", ")), Blocks: blocks}
}

// resultControls ask for the details, explain or change, and share a compact result.
func resultControls(res *ranking.Result, questions []dialog.Choice, c Control) []slack.Block {
	var frameworks, asked []*slack.OptionBlockObject
	for _, e := range res.Shortlist {
		frameworks = append(frameworks, option(e.ID, e.Name))
	}
	for _, h := range res.NotConsidered { // why not: the radar holds it
		frameworks = append(frameworks, option(h.ID, h.Name))
	}
	for _, q := range questions {
		asked = append(asked, option(q.ID, q.Label))
	}
	share := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, plain("Share to a channel", maxPlaceholder), ActShare)
	share.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	decide := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, plain("Decide as a team in…", maxPlaceholder), ActTeamStart)
	decide.Filter = share.Filter
	return []slack.Block{
		slack.NewActionBlock(c.BlockID("details"),
			show("reasons", "Details", c),
			show("checklist", "Checklist", c),
			show("plan", "Proof of concept", c),
			show("ranking", fmt.Sprintf("Full ranking (%d)", len(res.Shortlist)), c),
		),
		// Menus send no value: their control rides in the block id.
		slack.NewActionBlock(c.BlockID("menus"), staticSelect(ActWhyNot, "Why not…", frameworks), staticSelect(ActChange, "Change an answer", asked)),
		slack.NewActionBlock(c.BlockID("result"),
			button(ActReview, "Review answers", c),
			button(ActExport, "Export decision record", c),
			button(ActRestart, "Start over", c),
		),
		slack.NewActionBlock(c.BlockID("share"), share, decide),
	}
}

// show is the button showing a detail, named as in DetailNames.
func show(detail, label string, c Control) *slack.ButtonBlockElement {
	return button(ActShowPrefix+detail, label, c)
}

// confidenceMark is the emoji in front of a result's confidence.
var confidenceMark = map[ranking.Level]string{ranking.Low: ":grey_question:", ranking.Medium: ":large_yellow_circle:", ranking.High: ":large_green_circle:"}

func reasonsMessage(res *ranking.Result) Message {
	blocks := []slack.Block{section("*The reasons and watchouts in full*")}
	blocks = append(blocks, entryBlocks(res, res.Choices(resultTop), math.MaxInt, maxDetailEntryText)...)
	return Message{Text: "The reasons and watchouts in full", Blocks: blocks}
}

// entryBlocks are a section for each of the choices, with its first n reasons and n watchouts,
// held to budget characters.
func entryBlocks(res *ranking.Result, choices []int, n, budget int) []slack.Block {
	var blocks []slack.Block
	for _, i := range choices {
		blocks = append(blocks, section(entryText(rankMark(res.Place(i), res.Confidence.Level), res.Shortlist[i], n, budget)))
	}
	return blocks
}

func checklistMessage(res *ranking.Result) Message {
	var settled, open []string
	for _, it := range res.Checklist {
		line := fmt.Sprintf("*%s*: %s", esc(it.Title), esc(it.Text))
		switch {
		case it.Settled:
			settled = append(settled, ":white_check_mark: "+line)
		case it.Conflict:
			open = append(open, ":warning: "+line)
		default:
			open = append(open, ":ballot_box_with_check: "+line)
		}
	}
	var blocks []slack.Block
	if len(settled) > 0 {
		blocks = listSections("*Settled by your answers*", settled)
	}
	blocks = append(blocks, listSections("*Still to verify before you commit*", open)...)
	return Message{Text: "The checklist before you commit", Blocks: blocks}
}

func planMessage(res *ranking.Result) Message {
	var steps []string
	for i, s := range res.POC {
		steps = append(steps, fmt.Sprintf("%d. %s", i+1, esc(s)))
	}
	return Message{Text: "The proof-of-concept plan", Blocks: listSections("*Proof of concept for two different choices*", steps)}
}

// fullRanking lists every framework with its score and main reason, numbered among the genuinely
// different choices; a sibling is marked "=" and says which entry shares its trade-offs. Those
// the organisation's radar holds follow, not considered.
func fullRanking(res *ranking.Result) Message {
	names := map[string]string{}
	for _, e := range res.Shortlist {
		names[e.ID] = e.Name
	}
	var lines []string
	for i, e := range res.Shortlist {
		place, reason := fmt.Sprintf("%d.", res.Place(i)), ""
		if len(e.Reasons) > 0 {
			reason = " · " + esc(e.Reasons[0].Text)
		}
		if e.SiblingOf != "" {
			place, reason = "=", " · same trade-offs as "+esc(names[e.SiblingOf])
		}
		lines = append(lines, clip(fmt.Sprintf("%s *%s* %d/100 (%s)%s%s", place, esc(e.Name), e.Score, esc(strings.Join(e.Languages, ", ")), radarTag(e), reason), maxRankingLine))
	}
	if len(res.NotConsidered) > 0 {
		lines = append(append(lines, "*Not considered*"), notConsidered(res)...)
	}
	return Message{Text: "The full ranking", Blocks: listSections("*The full ranking*", lines)}
}

// choiceBlocks are a compact shortlist's body: the confidence, the choices with their strongest
// reason and first watchout, and the frameworks the organisation's radar holds.
func choiceBlocks(res *ranking.Result, choices []int) []slack.Block {
	var blocks []slack.Block
	if t := res.ConfidenceText(); t != "" {
		blocks = append(blocks, sectionN(confidenceMark[res.Confidence.Level]+" "+esc(t), maxContextText))
	}
	blocks = append(blocks, entryBlocks(res, choices, 1, maxEntryText)...)
	if len(res.NotConsidered) > 0 {
		blocks = append(blocks, contextText(strings.Join(notConsidered(res), "\n")))
	}
	return blocks
}

// notConsidered is a line for each framework the organisation's radar holds, each held to
// maxRankingLine.
func notConsidered(res *ranking.Result) []string {
	var lines []string
	for _, h := range res.NotConsidered {
		lines = append(lines, clip(":no_entry: "+esc(h.Reason), maxRankingLine))
	}
	return lines
}

// radarTag is an entry's ring and since when, for a one-line list: " · _radar: adopt since
// 2025-01-10_"; nothing without one.
func radarTag(e ranking.Entry) string {
	if ring := e.RadarRing(); ring != "" {
		return " · _radar: " + esc(ring) + "_"
	}
	return ""
}

// entryText is one choice of a result, with the siblings it stands for, what the organisation's
// radar says of it, and its first n reasons and n watchouts, held to budget characters.
func entryText(mark string, e ranking.Entry, n, budget int) string {
	var b strings.Builder
	emerging := ""
	if e.Emerging {
		emerging = " · _emerging_"
	}
	fmt.Fprintf(&b, "*%s %s*  %s %d/100\n%s%s", mark, esc(e.Name), scoreBar(e.Score), e.Score, esc(strings.Join(e.Languages, ", ")), emerging)
	if len(e.Alternatives) > 0 {
		fmt.Fprintf(&b, "\n_or %s: same trade-offs_", esc(strings.Join(e.Alternatives, ", ")))
	}
	if l := radarLine(e); l != "" {
		b.WriteString("\n")
		b.WriteString(l)
	}
	for _, l := range argumentLines(e, n) {
		b.WriteString("\n")
		b.WriteString(l)
	}
	link := fmt.Sprintf("\n<%s|%s>", esc(e.Website), esc(siteName(e.Website)))
	// Long reasons and watchouts give way before the link does.
	return clip(b.String(), budget-utf8.RuneCountInString(link)) + link
}

// argumentLines are an entry's first n reasons, then its first n watchouts, each marked.
func argumentLines(e ranking.Entry, n int) []string {
	var lines []string
	for _, r := range e.Reasons[:min(n, len(e.Reasons))] {
		lines = append(lines, reasonLine(r))
	}
	for _, w := range e.Watchouts[:min(n, len(e.Watchouts))] {
		lines = append(lines, watchoutMark(w)+" "+esc(w.Text))
	}
	return lines
}

// radarLine is the organisation's radar on an entry, held to maxRadarNote; empty without one.
func radarLine(e ranking.Entry) string {
	if note := e.RadarNote(); note != "" {
		return ":compass: " + escClip(note, maxRadarNote)
	}
	return ""
}

func reasonLine(r ranking.Reason) string {
	if r.Positive {
		return ":heavy_plus_sign: " + esc(r.Text)
	}
	return ":heavy_minus_sign: " + esc(r.Text)
}
