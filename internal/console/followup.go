package console

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stackpick/stackpick/internal/ranking"
)

// maxFlipsShown is how many answers that would change the top pick "how sure are you?" lists.
const maxFlipsShown = 3

// writeMovement says what a change of answers moved; a hypothetical one is offered to keep.
func writeMovement(p *printer, mv *ranking.Movement, hypothetical bool) {
	if !hypothetical {
		p.hang("What moved: ", mv.Text())
		return
	}
	p.hang("What if: ", mv.WhatIfText())
	p.line("  Your answers are unchanged; say keep to keep this change.")
}

// writeFlips lists the answers that would change the top pick.
func writeFlips(p *printer, f *ranking.Firmness) {
	for i, fl := range f.Flips {
		if i == maxFlipsShown {
			p.line(fmt.Sprintf("  … and %d more.", len(f.Flips)-i))
			break
		}
		p.hang("  - ", fl.Text())
	}
}

// writeWhyNot explains where a framework stands and why.
func writeWhyNot(p *printer, w *ranking.WhyNot) {
	p.blank()
	p.line(w.Standing())
	if len(w.Costs) > 0 {
		p.line("What costs it most against " + w.Top.Name + ":")
		for _, c := range w.Costs {
			p.hang("  - ", fmt.Sprintf("%s (−%d)", c.Text, c.Points))
		}
	}
	if slices.ContainsFunc(w.Entry.Reasons, func(r ranking.Reason) bool { return r.Positive }) {
		p.line("What it has going for it:")
		for _, r := range w.Entry.Reasons {
			if r.Positive {
				writeReason(p, r)
			}
		}
	}
	if t := w.LeverText(); t != "" {
		p.hang("What would change it: ", t)
	} else if w.Place > 1 { // a sibling of the top pick leads with it
		p.line("No single answer given differently would move it up.")
	}
}

// writeComparison sets two frameworks side by side in a table fitted to the width: a criterion
// per row with how much it weighs, each framework's rating and what it means for these answers;
// then the verdict and each framework's reasons and watchouts.
func writeComparison(p *printer, c *ranking.Comparison) {
	p.blank()
	p.line(c.Title())
	writeTable(p, c.Table())
	p.blank()
	p.line(c.Verdict)
	for _, e := range []ranking.Entry{c.A, c.B} {
		p.blank()
		p.line(e.Name + ":")
		if note := e.RadarNote(); note != "" {
			p.hang("   ◎ ", note)
		}
		for _, r := range e.Reasons {
			writeReason(p, r)
		}
		for _, w := range e.Watchouts {
			writeWatchout(p, w)
		}
	}
}

// writeTable writes rows of three columns, the first wrapped to what the other two leave of the
// width; with no room for that, each row becomes a line of its own.
func writeTable(p *printer, rows [][3]string) {
	cells := 0
	first := 0
	for _, r := range rows {
		cells = max(cells, utf8.RuneCountInString(r[1]), utf8.RuneCountInString(r[2]))
		first = max(first, utf8.RuneCountInString(r[0]))
	}
	const gap, indent = 2, 2
	if p.width > 0 {
		first = min(first, p.width-indent-2*(cells+gap))
	}
	if first < 12 {
		for _, r := range rows[1:] {
			p.hang("  - ", fmt.Sprintf("%s: %s %s · %s %s", r[0], rows[0][1], r[1], rows[0][2], r[2]))
		}
		return
	}
	for _, r := range rows {
		lines := wrap("", r[0], first)
		for i, l := range lines {
			a, b := "", ""
			if i == 0 {
				a, b = r[1], r[2]
			}
			p.raw(strings.TrimRight(fmt.Sprintf("%*s%-*s%*s%-*s%*s%s", indent, "", first, l, gap, "", cells, a, gap, "", b), " "))
		}
	}
}
