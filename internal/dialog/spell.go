package dialog

import (
	"strings"

	"github.com/hbollon/go-edlib"
)

// Typo tolerance: a word of at least minTypoLen letters that is not in the vocabulary is read as
// the one vocabulary word within reach (optimal string alignment distance: an insertion, deletion,
// substitution or swap of neighbours costs one), when exactly one word is that close.
const (
	minTypoLen  = 5 // shorter words are too easily another word ("jave", "rest")
	longTypoLen = 9 // from this length two edits are allowed
)

// Correction is a word read as another: "pyhton" as "python".
type Correction struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// speller corrects words towards a vocabulary.
type speller struct {
	known    map[string]bool  // every vocabulary word, and words never corrected
	byLength map[int][]string // vocabulary words by length in bytes
}

func newSpeller(vocabulary, notTypos []string) *speller {
	s := &speller{known: map[string]bool{}, byLength: map[int][]string{}}
	for _, w := range notTypos {
		s.known[w] = true
	}
	for _, w := range vocabulary {
		if s.known[w] {
			continue
		}
		s.known[w] = true
		if len(w) >= minTypoLen-1 {
			s.byLength[len(w)] = append(s.byLength[len(w)], w)
		}
	}
	return s
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
			if to, ok := s.nearest(w); ok {
				b.WriteString(text[last:start])
				b.WriteString(to)
				last = end
				fixes = append(fixes, Correction{From: w, To: to})
			}
		}
		start = end
	}
	if fixes == nil {
		return text, nil
	}
	b.WriteString(text[last:])
	return b.String(), fixes
}

// nearest returns the only vocabulary word within reach of w.
func (s *speller) nearest(w string) (string, bool) {
	reach := 1
	if len(w) >= longTypoLen {
		reach = 2
	}
	best, bestDist, ties := "", reach+1, 0
	for n := len(w) - reach; n <= len(w)+reach; n++ {
		for _, v := range s.byLength[n] {
			switch d := edlib.OSADamerauLevenshteinDistance(w, v); {
			case d < bestDist:
				best, bestDist, ties = v, d, 1
			case d == bestDist:
				ties++
			}
		}
	}
	return best, bestDist <= reach && ties == 1
}
