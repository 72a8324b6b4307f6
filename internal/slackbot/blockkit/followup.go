package blockkit

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/ranking"
)

const (
	maxFlipsShown = 3   // answers that would change the top pick, in "how sure are you?"
	maxTableRows  = 100 // Slack's limit, the header row included
)

// movementMessage says what a change of answers moved; a hypothetical one is offered to keep.
// The Keep button carries the what-if it keeps (whatIf), so an older one is stale.
func movementMessage(mv *ranking.Movement, hypothetical bool, whatIf string, c Control) Message {
	if !hypothetical {
		return Message{Text: fallback(esc("What moved: " + mv.Text())), Blocks: []slack.Block{section("*What moved:* " + esc(mv.Text()))}}
	}
	keep := c
	keep.Option = whatIf
	return Message{
		Text: fallback(esc("What if: " + mv.WhatIfText())),
		Blocks: []slack.Block{
			section("*What if:* " + esc(mv.WhatIfText()) + "\nYour answers are unchanged."),
			slack.NewActionBlock(c.BlockID("keep"), button(ActKeep, "Keep this change", keep).WithStyle(slack.StylePrimary)),
		},
	}
}

// firmnessLine is how firm the top pick is, in one mrkdwn line.
func firmnessLine(f *ranking.Firmness) string { return "*How firm:* " + esc(f.Text()) }

// firmnessMessage answers "how sure are you?": how firm the top pick is, and the first answers
// that would change it.
func firmnessMessage(f *ranking.Firmness) Message {
	var flips []string
	for i, fl := range f.Flips {
		if i == maxFlipsShown {
			flips = append(flips, fmt.Sprintf("… and %d more.", len(f.Flips)-i))
			break
		}
		flips = append(flips, "• "+esc(fl.Text()))
	}
	return Message{Text: fallback(esc("How firm: " + f.Text())), Blocks: listSections(firmnessLine(f), flips)}
}

// whyNotMessage explains where a framework stands: what costs it most against the top pick, what
// it has going for it, the answer that would move it up, and a button comparing it with the top
// pick.
func whyNotMessage(w *ranking.WhyNot, c Control) Message {
	var lines []string
	if len(w.Costs) > 0 {
		lines = append(lines, "*What costs it most against "+esc(w.Top.Name)+":*")
		for _, cost := range w.Costs {
			lines = append(lines, fmt.Sprintf("• %s (−%d)", esc(cost.Text), cost.Points))
		}
	}
	var good []string
	for _, r := range w.Entry.Reasons {
		if r.Positive {
			good = append(good, reasonLine(r))
		}
	}
	if len(good) > 0 {
		lines = append(append(lines, "*What it has going for it:*"), good...)
	}
	top := w.Entry.ID == w.Top.ID
	switch t := w.LeverText(); {
	case t != "":
		lines = append(lines, "*What would change it:* "+esc(t))
	case w.Place > 1: // a sibling of the top pick leads with it
		lines = append(lines, "No single answer given differently would move it up.")
	}
	blocks := listSections(esc(w.Standing()), lines)
	if !top {
		oc := c
		oc.Option = w.Entry.ID
		blocks = append(blocks, slack.NewActionBlock(c.BlockID("why_not"), button(ActCompare, "Compare with "+w.Top.Name, oc)))
	}
	return Message{Text: fallback(esc(w.Standing())), Blocks: blocks}
}

// compareMessage sets two frameworks side by side in a table block; its fallback text holds the
// table as aligned lines.
func compareMessage(c *ranking.Comparison) Message {
	rows := compareRows(c)
	table := slack.NewTableBlock("").WithColumnSettings(slack.ColumnSetting{Align: slack.ColumnAlignmentLeft, IsWrapped: true})
	for _, r := range rows {
		table.AddRow(slack.NewTableRawTextCell(nonBlank(r[0])), slack.NewTableRawTextCell(nonBlank(r[1])), slack.NewTableRawTextCell(nonBlank(r[2])))
	}
	return comparison(c, rows, table)
}

// CompareSections is the comparison Render shows, with the table written as a list in a section
// instead of a table block: for a workspace that refuses table blocks.
func CompareSections(c *ranking.Comparison) Message {
	rows := compareRows(c)
	var lines []string
	for _, r := range rows[1:] {
		lines = append(lines, "• "+esc(fmt.Sprintf("%s: %s %s · %s %s", r[0], rows[0][1], r[1], rows[0][2], r[2])))
	}
	return comparison(c, rows, listSections("*What weighs most for you (share of the weight)*", lines)...)
}

// comparison is a comparison's message around its table: the title, the table, the verdict and
// each framework's radar note, reasons and watchouts. The fallback text holds the table as aligned lines.
func comparison(c *ranking.Comparison, rows [][3]string, table ...slack.Block) Message {
	title := c.Title()
	blocks := append([]slack.Block{sectionN("*"+esc(title)+"*", maxLineText)}, table...)
	blocks = append(blocks, sectionN(esc(c.Verdict), maxLineText))
	for _, e := range []ranking.Entry{c.A, c.B} {
		lines := []string{"*" + esc(e.Name) + "*"}
		if l := radarLine(e); l != "" {
			lines = append(lines, l)
		}
		blocks = append(blocks, sectionN(strings.Join(append(lines, argumentLines(e, math.MaxInt)...), "\n"), maxDetailEntryText))
	}
	return Message{Text: fallback(esc(title + "\n" + aligned(rows) + "\n" + c.Verdict)), Blocks: blocks}
}

// compareRows are a comparison's table (ranking's Comparison.Table) within Slack's rows, each
// cell held to maxCellText.
func compareRows(c *ranking.Comparison) [][3]string {
	rows := c.Table()
	rows = rows[:min(len(rows), maxTableRows)]
	for i := range rows {
		for j := range rows[i] {
			rows[i][j] = clip(rows[i][j], maxCellText)
		}
	}
	return rows
}

// aligned writes rows as lines of columns padded to a common width.
func aligned(rows [][3]string) string {
	var w [2]int
	for _, r := range rows {
		w = [2]int{max(w[0], utf8.RuneCountInString(r[0])), max(w[1], utf8.RuneCountInString(r[1]))}
	}
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = strings.TrimRight(fmt.Sprintf("%-*s  %-*s  %s", w[0], r[0], w[1], r[1], r[2]), " ")
	}
	return strings.Join(lines, "\n")
}
