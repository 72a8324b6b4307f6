package dialog

import (
	"slices"
	"strings"

	"github.com/hbollon/go-edlib"
)

// Typo tolerance: a word of at least minTypoLen letters that is not in the vocabulary is read as
// the vocabulary word one edit away (optimal string alignment distance: an insertion, deletion,
// substitution or swap of neighbours), starting with the same letter, when only one is that close,
// or only one of them makes a phrase with the next word ("moduler monolith").
const minTypoLen = 6 // shorter words are too easily another word ("jave", "wants", "think")

// Correction is a word read as another: "pyhton" as "python".
type Correction struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// speller corrects words towards a vocabulary. Two words one edit apart share a string made by
// deleting at most one letter from each, so the vocabulary is indexed by those strings and only the
// words found there are measured.
type speller struct {
	known   map[string]bool     // every vocabulary word, and words never corrected
	near    map[string][]string // a word, or a word less one letter -> the vocabulary words it comes from
	bigrams map[string]bool     // pairs of words that appear together in a phrase
}

func newSpeller(vocabulary, notTypos, bigrams []string) *speller {
	s := &speller{known: map[string]bool{}, near: map[string][]string{}, bigrams: map[string]bool{}}
	for _, b := range bigrams {
		s.bigrams[b] = true
	}
	for _, w := range notTypos {
		s.known[w] = true
	}
	for _, w := range vocabulary {
		if s.known[w] {
			continue
		}
		s.known[w] = true
		if len(w) >= minTypoLen-1 {
			for _, d := range deletions(w) {
				s.near[d] = append(s.near[d], w)
			}
		}
	}
	return s
}

// deletions returns w and every string made by deleting one byte of it.
func deletions(w string) []string {
	out := []string{w}
	for i := range len(w) {
		out = append(out, w[:i]+w[i+1:])
	}
	return out
}

// correct returns text with every misspelt word replaced, and the corrections made.
func (s *speller) correct(text string) (string, []Correction) {
	var b strings.Builder
	var fixes []Correction
	last := 0
	for start := 0; start < len(text); {
		end := start
		for end < len(text) && text[end] >= 'a' && text[end] <= 'z' {
			end++
		}
		if end == start {
			start++
			continue
		}
		// Only whole words: "c#", "v2" or "node.js" are not words to correct.
		whole := (start == 0 || !isWordRune(text[start-1])) && (end == len(text) || !isWordRune(text[end]))
		if w := text[start:end]; whole && len(w) >= minTypoLen && !s.known[w] {
			// A plural or singular of a known word is read as that word, not reported as a typo.
			to, ok := s.number(w)
			typo := !ok
			if typo {
				to, ok = s.nearest(w, func() string { return nextWord(text, end) })
			}
			if ok {
				b.WriteString(text[last:start])
				b.WriteString(to)
				last = end
				if typo {
					fixes = append(fixes, Correction{From: w, To: to})
				}
			}
		}
		start = end
	}
	if last == 0 {
		return text, nil // nothing replaced
	}
	b.WriteString(text[last:])
	return b.String(), fixes
}

// number returns the known plural or singular of w ("clients" for "client", "shop" for "shops").
func (s *speller) number(w string) (string, bool) {
	if s.known[w+"s"] {
		return w + "s", true
	}
	if t := strings.TrimSuffix(w, "s"); t != w && s.known[t] {
		return t, true
	}
	return "", false
}

// nearest returns the vocabulary word one edit from w; next returns the word after w in the text.
func (s *speller) nearest(w string, next func() string) (string, bool) {
	var best []string
	for _, d := range deletions(w) {
		for _, v := range s.near[d] {
			if v[0] == w[0] && !slices.Contains(best, v) && edlib.OSADamerauLevenshteinDistance(w, v) == 1 {
				best = append(best, v)
			}
		}
	}
	if len(best) > 1 {
		after := next()
		best = slices.DeleteFunc(best, func(v string) bool { return !s.bigrams[v+" "+after] })
	}
	if len(best) != 1 {
		return "", false
	}
	return best[0], true
}

// nextWord returns the word that starts after text[:end], if any.
func nextWord(text string, end int) string {
	rest := strings.TrimLeft(text[end:], " ")
	if i := strings.IndexByte(rest, ' '); i >= 0 {
		rest = rest[:i]
	}
	return strings.Trim(rest, ",.;:!?")
}
