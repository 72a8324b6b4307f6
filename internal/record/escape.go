package record

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// oneLine folds every run of white space and control characters into one space and trims the
// ends, so a text from a user or the config stays on its line: no hard break, no new block, no
// trailing space.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// inline escapes a text from a user or the config for the middle of a Markdown line, on one line:
// no raw HTML or autolink (so "<!channel>" stays text), no code span, emphasis, link, strikethrough
// or table cell, no entity. It escapes as little as that takes, so the source stays readable: an
// underscore inside a word ("snake_case") and an ampersand that starts no entity ("Q&A") are kept.
func inline(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		case '_':
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+1:])
			if !isWord(before) || !isWord(after) {
				b.WriteByte('\\')
			}
		case '&':
			if entityAt(s[i+1:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// block escapes a text that starts a paragraph or a list item's content: inline, and what would
// open a block there (a heading, a quote, a list, a thematic break or a setext underline) is
// escaped too.
func block(s string) string {
	s = inline(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '+', '-', '=':
		return `\` + s
	}
	// "1." or "1)" opens an ordered list.
	digits := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if digits > 0 && (s[digits] == '.' || s[digits] == ')') {
		return s[:digits] + `\` + s[digits:]
	}
	return s
}

// heading escapes a text for an ATX heading's content: block, and a closing run of '#' (one
// after a space) that the heading would drop.
func heading(s string) string {
	s = block(s)
	end := strings.TrimRight(s, "#")
	if end != s && (end == "" || strings.HasSuffix(end, " ")) {
		return end + `\` + s[len(end):]
	}
	return s
}

// isWord reports whether r is a letter or a digit: an underscore between two of them emphasises
// nothing.
func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// entityAt reports whether s, following an '&', would make it an entity or numeric character
// reference ("amp;", "#60;").
func entityAt(s string) bool {
	n := 0
	for n < len(s) && (s[n] == '#' && n == 0 || s[n] < utf8.RuneSelf && isWord(rune(s[n]))) {
		n++
	}
	return n > 0 && n < len(s) && s[n] == ';'
}

// yamlString quotes a text from a user or the config as a YAML double-quoted scalar on one line.
// It also writes '<', '>', '`', '[' and ']' as escapes, so a renderer that shows the front matter
// as Markdown finds no HTML, code or link in it either; YAML reads them back as they were.
func yamlString(s string) string {
	s = oneLine(s)
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString(`\x3C`)
		case '>':
			b.WriteString(`\x3E`)
		case '`':
			b.WriteString(`\x60`)
		case '[':
			b.WriteString(`\x5B`)
		case ']':
			b.WriteString(`\x5D`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// autolink writes a website as a Markdown autolink when it is a plain http(s) URL, else as text.
func autolink(url string) string {
	plain := (strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://")) &&
		!strings.ContainsFunc(url, func(r rune) bool { return r <= ' ' || r == '<' || r == '>' || r == '`' || r > unicode.MaxASCII })
	if plain {
		return "<" + url + ">"
	}
	return inline(url)
}
