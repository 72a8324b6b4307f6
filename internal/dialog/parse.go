package dialog

import (
	"strings"
	"unicode"
)

// normalize lower-cases s, drops invisible format characters, folds typographic quotes and
// dashes, and collapses white space, so phrases from the config match however the user typed
// them. Format characters (Unicode category Cf: zero-width spaces and joiners, byte-order marks,
// bidirectional controls, soft hyphens) come with copy-paste and some keyboards and are never
// part of what was said: "\u200b2\u200b" is "2", "micro\u00adservices" is "microservices".
func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		switch r {
		case '’', '‘', '`':
			return '\''
		case '“', '”':
			return '"'
		case '–', '—':
			return '-'
		}
		return unicode.ToLower(r)
	}, s)
	return collapseRepeats(strings.Join(strings.Fields(s), " "))
}

// collapseRepeats shortens a letter typed three times or more to one: "nooo", "yesss".
func collapseRepeats(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		j := i
		for j+1 < len(s) && s[j+1] == c {
			j++
		}
		if c >= 'a' && c <= 'z' && j-i >= 2 {
			b.WriteByte(c)
			i = j
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// trimPunct strips surrounding punctuation, for matching a whole message against a word.
func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) && r != '#' || unicode.IsSpace(r) })
}

func isWordRune(r byte) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x80
}

// clauseEnds separate clauses: a negation never reaches across them.
const clauseEnds = ",;:.!?()"

// negationWindow is how many words before a phrase are searched for a negation.
const negationWindow = 4

// dismissed reports whether the clause after text[:end] dismisses the phrase that ends there
// ("cold starts don't matter").
func (lx *lexicon) dismissed(text string, end int) bool {
	rest := text[end:]
	if i := strings.IndexAny(rest, clauseEnds); i >= 0 {
		rest = rest[:i]
	}
	return startsWith(strings.TrimSpace(rest), lx.dismissals) != ""
}

// negated reports whether the phrase at text[pos:] is negated within its clause ("no java", "not
// hiring"), by a negation among the words just before it and after any "but".
func (lx *lexicon) negated(text string, pos int) bool {
	clause := text[:pos]
	if i := strings.LastIndexAny(clause, clauseEnds); i >= 0 {
		clause = clause[i+1:]
	}
	words := strings.Fields(clause)
	for i := len(words) - 1; i >= 0 && i >= len(words)-negationWindow; i-- {
		if w := words[i]; lx.negations[w] {
			return true
		} else if w == "but" {
			return false
		}
	}
	return false
}

// span is where a phrase matched in a text: [start, end).
type span struct{ start, end int }

// phraseSpans returns where phrase (already normalized) occurs in text on word boundaries, not
// negated or dismissed.
func (lx *lexicon) phraseSpans(text, phrase string, out []span) []span {
	for at, ok := occurrence(text, phrase, 0); ok; at, ok = occurrence(text, phrase, at.start+1) {
		if !lx.negated(text, at.start) && !lx.dismissed(text, at.end) {
			out = append(out, at)
		}
	}
	return out
}
