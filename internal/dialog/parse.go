package dialog

import (
	"strings"
	"unicode"
)

// normalize lower-cases s, folds typographic quotes and dashes, and collapses white space, so
// phrases from the config match however the user typed them.
func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
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

// negations turn the phrase that follows them in the same clause around: "no java", "not hiring".
var negations = map[string]bool{
	"no": true, "not": true, "don't": true, "dont": true, "never": true, "without": true, "nor": true,
	"neither": true, "isn't": true, "aren't": true, "doesn't": true, "won't": true, "can't": true, "nobody": true,
	"zero": true, "nothing": true, "nope": true, "nah": true, "hardly": true,
}

// clauseEnds separate clauses: a negation never reaches across them.
const clauseEnds = ",;:.!?()"

// negationWindow is how many words before a phrase are searched for a negation.
const negationWindow = 4

// dismissals after a phrase turn it around too: "cold starts don't matter".
var dismissals = []string{"doesn't matter", "don't matter", "does not matter", "do not matter", "doesn't matter much",
	"isn't important", "aren't important", "is not important", "are not important", "not important",
	"isn't a concern", "aren't a concern", "is not a concern", "are not a concern", "is irrelevant", "are irrelevant"}

// dismissed reports whether the clause after text[:end] dismisses the phrase that ends there.
func dismissed(text string, end int) bool {
	rest := text[end:]
	if i := strings.IndexAny(rest, clauseEnds); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSpace(rest)
	for _, d := range dismissals {
		if strings.HasPrefix(rest, d) {
			return true
		}
	}
	return false
}

// negated reports whether the phrase at text[pos:] is negated within its clause.
func negated(text string, pos int) bool {
	clause := text[:pos]
	if i := strings.LastIndexAny(clause, clauseEnds); i >= 0 {
		clause = clause[i+1:]
	}
	words := strings.Fields(clause)
	for i := len(words) - 1; i >= 0 && i >= len(words)-negationWindow; i-- {
		if w := words[i]; negations[w] {
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
func phraseSpans(text, phrase string, out []span) []span {
	if phrase == "" {
		return out
	}
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			break
		}
		start, end := from+i, from+i+len(phrase)
		startOK := start == 0 || !isWordRune(text[start-1]) || !isWordRune(phrase[0])
		endOK := end == len(text) || !isWordRune(text[end]) || !isWordRune(phrase[len(phrase)-1])
		if startOK && endOK && !negated(text, start) && !dismissed(text, end) {
			out = append(out, span{start, end})
		}
		from = start + 1
	}
	return out
}
