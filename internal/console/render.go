package console

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/record"
)

// Detailed is how many choices a result shows in full; the rest get one line each.
const Detailed = 5

// WriteReply renders one dialog reply as plain text wrapped to width columns (0: no wrapping),
// and returns the first error writing to w.
func WriteReply(w io.Writer, r dialog.Reply, width int) error {
	p := &printer{w: w, width: width}
	if r.Movement != nil { // what moved comes before anything else
		writeMovement(p, r.Movement, r.Hypothetical)
	}
	for _, n := range r.Notes {
		p.hang(notePrefix[n.Kind], n.Text)
	}
	if r.Undo {
		p.line("  Say undo to take that back.")
	}
	if r.Explain != nil {
		writeExplanation(p, r.Explain)
	}
	if a := r.Answered; a != nil {
		switch {
		case a.Skipped:
			p.line("  (skipped)")
		case a.Unsure:
			p.line("  (not sure, neutral)")
		default:
			p.hang("  = ", strings.Join(a.Answers, ", "))
		}
	}
	if r.Resume != nil {
		p.line(fmt.Sprintf("You have a conversation in progress (%d of %d answered). Type resume to continue, or restart to start over.", len(r.Resume.Answered), r.Resume.Total))
	}
	if r.Status != nil {
		writeStatus(p, r.Status)
	}
	if len(r.Help) > 0 {
		p.line("What you can type:")
		for _, c := range r.Help {
			p.hang(fmt.Sprintf("  %-36s ", c.Usage), c.Does)
		}
	}
	if r.WhyNot != nil {
		writeWhyNot(p, r.WhyNot)
	}
	if r.Compare != nil {
		writeComparison(p, r.Compare)
	}
	if r.Result != nil {
		writeDetail(p, *r.Result, r.Detail, r.Firmness)
	} else if r.Firmness != nil {
		p.line("How firm: " + r.Firmness.Text())
		writeFlips(p, r.Firmness)
	}
	if r.Export != nil {
		p.blank()
		p.line("Your decision record (Markdown, MADR layout; copy it into your repository's docs/decisions/):")
		p.blank()
		for _, l := range strings.Split(strings.TrimRight(record.Markdown(decision(*r.Export)), "\n"), "\n") {
			p.raw(l)
		}
	}
	if q := r.Ask; q != nil {
		if r.Reask {
			p.line(fmt.Sprintf("(Question %d of %d is still open: %s Type a number, or help.)", q.Number, q.Total, q.Text))
		} else {
			writePrompt(p, q)
		}
	}
	p.blank()
	return p.err
}

var notePrefix = map[dialog.NoteKind]string{
	dialog.NoteInfo:    "",
	dialog.NoteSaved:   "✓ ",
	dialog.NoteUnclear: "? ",
	dialog.NoteRefused: "✗ ",
}

func writePrompt(p *printer, q *dialog.Prompt) {
	p.blank()
	p.line(fmt.Sprintf("Question %d of %d: %s", q.Number, q.Total, q.Text))
	if q.Help != "" {
		p.line("  " + q.Help)
	}
	for i, c := range q.Choices {
		mark := " "
		if c.Selected {
			mark = "*"
		}
		p.hang(fmt.Sprintf(" %s%2d. ", mark, i+1), c.Label)
	}
	how := "Pick one"
	if q.Kind == catalog.Several {
		how = "Pick one or more (e.g. 1,3)"
	}
	back := ""
	if q.CanGoBack {
		back = ", back"
	}
	p.line(fmt.Sprintf("  %s, or answer in your own words. Also: skip%s, done, help.", how, back))
}

// writeExplanation answers a question back: the question, its help and trade-off, then what each
// option means in a column, those the user asked about first and marked with an arrow.
func writeExplanation(p *printer, ex *dialog.Explanation) {
	p.blank()
	p.line(ex.Question)
	if ex.Help != "" {
		p.line("  " + ex.Help)
	}
	if ex.Tradeoff != "" {
		p.hang("  Trade-off: ", ex.Tradeoff)
	}
	width := 0
	for _, m := range ex.Options {
		width = max(width, utf8.RuneCountInString(m.Label))
	}
	for _, asked := range []bool{true, false} {
		for _, m := range ex.Options {
			if m.Asked != asked {
				continue
			}
			mark := "•"
			if asked {
				mark = "→"
			}
			p.hang(fmt.Sprintf("  %s %-*s  ", mark, width, m.Label), m.Means)
		}
	}
}

func writeStatus(p *printer, s *dialog.Status) {
	p.line(fmt.Sprintf("Progress: %d of %d answered, %d skipped.", len(s.Answered), s.Total, len(s.Skipped)))
	for _, f := range s.Answered {
		p.hang(fmt.Sprintf("  %-12s ", f.Short), strings.Join(f.Answers, ", "))
	}
	if len(s.Skipped) > 0 {
		p.hang("  skipped:     ", strings.Join(s.Skipped, ", "))
	}
	if len(s.Unsure) > 0 {
		p.hang("  not sure:    ", strings.Join(s.Unsure, ", "))
	}
	if len(s.Remaining) > 0 {
		p.hang("  still open:  ", strings.Join(s.Remaining, ", "))
	}
}

// decision is the record of an export made in the console, where the decider is "you".
func decision(x dialog.Export) record.Decision {
	return record.Decision{Date: x.Date, Deciders: []string{"you"}, Result: x.Result, Firmness: x.Firmness, Seeds: x.Seeds, Open: x.Open}
}

// compactTop is how many choices a compact result shows.
const compactTop = 3

// writeDetail renders the part of a result a reply asks for: compact by default (the first
// choices with their strongest reason and watchout, the confidence and the firmness, then what
// else may be asked), or the reasons, the checklist, the plan, the full ranking, or all of it.
func writeDetail(p *printer, r ranking.Result, d dialog.Detail, f *ranking.Firmness) {
	switch d {
	case dialog.DetailAll:
		writeResult(p, r)
		if f != nil && r.Confidence.Level != ranking.Low {
			p.blank()
			p.line("How firm: " + f.Text())
		}
		return
	case dialog.DetailReasons:
		p.blank()
		p.line("== The reasons and watchouts in full ==")
		for _, i := range r.Choices(Detailed) {
			writeEntry(p, r.Place(i), r.Shortlist[i], r.Confidence.Level == ranking.Low)
		}
		return
	case dialog.DetailChecklist:
		writeChecklist(p, r)
		return
	case dialog.DetailPlan:
		writePlan(p, r)
		return
	case dialog.DetailRanking:
		writeRanking(p, r, nil)
		return
	}
	p.blank()
	p.line("== Your backend shortlist ==")
	writeSituation(p, r)
	for _, i := range r.Choices(compactTop) {
		e := r.Shortlist[i]
		p.blank()
		writeHead(p, r.Place(i), e, r.Confidence.Level == ranking.Low)
		if len(e.Reasons) > 0 {
			writeReason(p, e.Reasons[0])
		}
		if len(e.Watchouts) > 0 {
			writeWatchout(p, e.Watchouts[0])
		}
	}
	writeNotConsidered(p, r)
	if f != nil && r.Confidence.Level != ranking.Low { // a low-confidence result names no top pick
		p.blank()
		p.line("How firm: " + f.Text())
	}
	p.blank()
	p.line("More: details · checklist · plan · ranking · all · why not <framework> · compare <A> and <B> · what if <change> · how sure are you? · export")
}

// WriteResult renders a recommendation: the situation, how confident it is, the choices in full
// (an entry standing for its siblings; across styles and unnumbered when confidence is low), the
// rest in one line each, the final checklist (contradicted items marked [!]) and the
// proof-of-concept plan, wrapped to width columns (0: no wrapping).
func WriteResult(w io.Writer, r ranking.Result, width int) error {
	p := &printer{w: w, width: width}
	writeResult(p, r)
	return p.err
}

func writeResult(p *printer, r ranking.Result) {
	p.blank()
	p.line("== Your backend shortlist ==")
	writeSituation(p, r)
	choices := r.Choices(Detailed)
	for _, i := range choices {
		writeEntry(p, r.Place(i), r.Shortlist[i], r.Confidence.Level == ranking.Low)
	}
	writeRanking(p, r, choices)
	writeChecklist(p, r)
	writePlan(p, r)
}

// writeSituation writes what the result is based on, the legend and the confidence.
func writeSituation(p *printer, r ranking.Result) {
	if len(r.Situation) > 0 {
		parts := make([]string, len(r.Situation))
		for i, f := range r.Situation {
			parts[i] = f.Short + ": " + strings.Join(f.Answers, ", ")
		}
		p.hang("Based on: ", strings.Join(parts, " · "))
	}
	p.line("(+ for it, - against it, ! a watchout your answers trigger, · a general caveat)")
	if t := r.ConfidenceText(); t != "" {
		p.line(t)
	}
}

// writeNotConsidered lists the frameworks the organisation's radar puts on hold, if any.
func writeNotConsidered(p *printer, r ranking.Result) {
	if len(r.NotConsidered) == 0 {
		return
	}
	p.blank()
	p.line("Not considered:")
	for _, h := range r.NotConsidered {
		p.hang("  ✗ ", h.Reason)
	}
}

// writeRanking lists, one line each, the entries not among shown (every entry when shown is nil),
// then those not considered.
func writeRanking(p *printer, r ranking.Result, shown []int) {
	title := "Also ranked:"
	if shown == nil {
		title = "The full ranking:"
	}
	if rest := r.Rest(shown); len(rest) > 0 {
		p.blank()
		p.line(title)
		for _, i := range rest {
			e := r.Shortlist[i]
			place, same := fmt.Sprintf("%2d.", r.Place(i)), ""
			if e.SiblingOf != "" {
				place, same = "  =", " (same trade-offs as "+nameOf(r, e.SiblingOf)+")"
			}
			if ring := e.RadarRing(); ring != "" {
				same += " · radar: " + ring
			}
			p.hang(fmt.Sprintf("  %s %-14s %3d  ", place, e.Name, e.Score), strings.Join(e.Languages, ", ")+same)
		}
	}
	writeNotConsidered(p, r)
}

func writeChecklist(p *printer, r ranking.Result) {
	p.blank()
	p.line("Before you commit:")
	for _, it := range r.Checklist {
		box := "[ ]"
		switch {
		case it.Settled:
			box = "[x]"
		case it.Conflict:
			box = "[!]"
		}
		p.hang(fmt.Sprintf("  %s ", box), it.Title+": "+it.Text)
	}
}

func writePlan(p *printer, r ranking.Result) {
	p.blank()
	p.line("Proof of concept:")
	for i, s := range r.POC {
		p.hang(fmt.Sprintf("  %d. ", i+1), s)
	}
}

// nameOf is the name of the shortlist entry with the given id.
func nameOf(r ranking.Result, id string) string {
	for _, e := range r.Shortlist {
		if e.ID == id {
			return e.Name
		}
	}
	return id
}

// writeEntry writes one choice in full; unranked, it carries a bullet instead of its rank, so a
// low-confidence result names no winner.
func writeEntry(p *printer, rank int, e ranking.Entry, unranked bool) {
	p.blank()
	writeHead(p, rank, e, unranked)
	for _, r := range e.Reasons {
		writeReason(p, r)
	}
	for _, w := range e.Watchouts {
		writeWatchout(p, w)
	}
	p.line("   " + e.Website)
}

// writeHead writes an entry's first lines: its rank (a bullet when unranked), name, score,
// languages, the siblings it stands for and what the organisation's radar says of it.
func writeHead(p *printer, rank int, e ranking.Entry, unranked bool) {
	tag := ""
	if e.Emerging {
		tag = "  (emerging)"
	}
	head := fmt.Sprintf("%d. ", rank)
	if unranked {
		head = "• "
	}
	p.hang(head, fmt.Sprintf("%s  %s %d/100  [%s]%s", e.Name, bar(e.Score), e.Score, strings.Join(e.Languages, ", "), tag))
	if len(e.Alternatives) > 0 {
		p.hang("   = ", "or "+strings.Join(e.Alternatives, ", ")+": same trade-offs")
	}
	if note := e.RadarNote(); note != "" {
		p.hang("   ◎ ", note)
	}
}

func writeReason(p *printer, r ranking.Reason) {
	mark := "+"
	if !r.Positive {
		mark = "-"
	}
	p.hang("   "+mark+" ", r.Text)
}

func writeWatchout(p *printer, w ranking.Watchout) {
	mark := "·"
	if w.Triggered {
		mark = "!"
	}
	p.hang("   "+mark+" ", w.Text)
}

// bar draws a score as ten blocks.
func bar(score int) string {
	n := (score + 5) / 10
	return strings.Repeat("█", n) + strings.Repeat("░", 10-n)
}

// printer writes lines wrapped to width and remembers the first error, so rendering code stays
// linear.
type printer struct {
	w         io.Writer
	width     int
	err       error
	lastBlank bool
}

// line writes s; if it wraps, its continuation lines are indented as far as s is.
func (p *printer) line(s string) {
	p.hang(splitIndent(s))
}

// hang writes prefix+text; if it wraps, its continuation lines are indented by the width of
// prefix, so "  - text" hangs under text.
func (p *printer) hang(prefix, text string) {
	for _, l := range wrap(prefix, text, p.width) {
		if p.err == nil {
			_, p.err = io.WriteString(p.w, l+"\n")
		}
	}
	p.lastBlank = false
}

// raw writes s as it is, unwrapped (a Markdown document keeps its own lines).
func (p *printer) raw(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s+"\n")
	}
	p.lastBlank = s == ""
}

func (p *printer) blank() {
	if !p.lastBlank {
		p.line("")
		p.lastBlank = true
	}
}
