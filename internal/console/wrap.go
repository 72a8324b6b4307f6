package console

import (
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// DefaultWidth is the width text is wrapped to when the output is not a terminal (a pipe, a
// file, a test buffer) or its size cannot be read.
const DefaultWidth = 80

// Width returns the number of columns of w when it is a terminal, and DefaultWidth otherwise.
func Width(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return DefaultWidth
}

// wrap breaks prefix+text into lines of at most width columns at spaces, never inside a word
// (a word longer than the line gets a line of its own). Continuation lines are indented by the
// width of prefix, so list items stay readable as items ("  - " hangs its text under the text,
// not under the dash); a prefix wider than half the line hangs at half the line instead. A line
// that fits is returned unchanged, inner spacing included; width 0 or less does not wrap.
func wrap(prefix, text string, width int) []string {
	indent := utf8.RuneCountInString(prefix)
	if width <= 0 || indent+utf8.RuneCountInString(text) <= width {
		return []string{prefix + text}
	}
	indent = min(indent, width/2)
	var lines []string
	var b strings.Builder
	b.WriteString(prefix)
	col := utf8.RuneCountInString(prefix)
	empty := true // nothing but the prefix or the indent on the line yet
	for rest := text; ; {
		trimmed := strings.TrimLeft(rest, " ")
		gap := rest[:len(rest)-len(trimmed)]
		if trimmed == "" {
			break
		}
		end := strings.IndexByte(trimmed, ' ')
		if end < 0 {
			end = len(trimmed)
		}
		word := trimmed[:end]
		rest = trimmed[end:]
		n := utf8.RuneCountInString(word)
		if !empty && col+len(gap)+n > width {
			lines = append(lines, b.String())
			b.Reset()
			b.WriteString(strings.Repeat(" ", indent))
			col, gap = indent, ""
		}
		b.WriteString(gap)
		b.WriteString(word)
		col += len(gap) + n
		empty = false
	}
	return append(lines, b.String())
}

// splitIndent splits s into its leading spaces and the rest, so a plain line hangs its
// continuation lines under its own first word.
func splitIndent(s string) (indent, text string) {
	text = strings.TrimLeft(s, " ")
	return s[:len(s)-len(text)], text
}
