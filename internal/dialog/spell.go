package dialog

import (
	"iter"
	"slices"
	"strings"

	"github.com/hbollon/go-edlib"
)

// Typo tolerance: a word of at least minTypoLen letters that is not in the vocabulary is read as
// the nearest vocabulary word within reach (optimal string alignment distance: an insertion,
// deletion, substitution or swap of neighbours costs one), starting with the same letter, when
// only one is that close, or only one of them makes a phrase with the next word ("moduler
// monolith"). The reach is one edit, two from longTypoLen letters.
const (
	minTypoLen  = 6  // shorter words are too easily another word ("jave", "wants", "think")
	longTypoLen = 10 // "microservcies", "kuberentes"
)

// reach is how many edits a word of n letters may be away from the word it is read as.
func reach(n int) int {
	if n >= longTypoLen {
		return 2
	}
	return 1
}

// Correction is a word read as another: "pyhton" as "python".
type Correction struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// speller corrects words towards a vocabulary. Two words k edits apart share a string made by
// deleting at most k letters from each, so the vocabulary is indexed by those strings and only the
// words found there are measured. The index holds no pointers, so the garbage collector, which
// marks the live heap again at every cycle, passes over it: a string's 64-bit hash stands for
// it (two strings sharing a hash only add a word to measure, which its distance then rules out),
// and each hash points at a run of indexes into words.
type speller struct {
	known   map[string]bool    // every vocabulary word, and words never corrected
	bigrams map[string]bool    // pairs of words that appear together in a phrase
	words   []string           // the vocabulary words a typo may be read as
	near    map[uint64]wordsAt // hash of a word, or of a word less a letter or two -> its words
	at      []uint32           // the runs of indexes into words
}

// wordsAt is a run of at: n indexes from start.
type wordsAt struct{ start, n uint32 }

func newSpeller(vocabulary, notTypos, bigrams []string) *speller {
	s := &speller{known: map[string]bool{}, bigrams: map[string]bool{}}
	for _, b := range bigrams {
		s.bigrams[b] = true
	}
	for _, w := range notTypos {
		s.known[w] = true
	}
	near := map[uint64][]uint32{}
	for _, w := range vocabulary {
		if s.known[w] {
			continue
		}
		s.known[w] = true
		if len(w) >= minTypoLen-1 {
			i := uint32(len(s.words))
			s.words = append(s.words, w)
			// A word may be read from one up to two letters longer, with that one's reach.
			for _, d := range deletions(w, reach(len(w)+2)) {
				if h := hash(d); !slices.Contains(near[h], i) {
					near[h] = append(near[h], i)
				}
			}
		}
	}
	s.near = make(map[uint64]wordsAt, len(near))
	for h, ids := range near {
		s.near[h] = wordsAt{uint32(len(s.at)), uint32(len(ids))}
		s.at = append(s.at, ids...)
	}
	return s
}

// nearWords returns the vocabulary words indexed under d.
func (s *speller) nearWords(d string) iter.Seq[string] {
	run := s.near[hash(d)]
	return func(yield func(string) bool) {
		for _, i := range s.at[run.start : run.start+run.n] {
			if !yield(s.words[i]) {
				return
			}
		}
	}
}

// hash is FNV-1a, 64 bits.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(s) {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// deletions returns w and every string made by deleting up to n bytes of it.
func deletions(w string, n int) []string {
	out := []string{w}
	for level := out; n > 0; n-- {
		var next []string
		for _, v := range level {
			for i := range len(v) {
				next = append(next, v[:i]+v[i+1:])
			}
		}
		out, level = append(out, next...), next
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
	bestDist := reach(len(w)) + 1
	for _, d := range deletions(w, reach(len(w))) {
		for v := range s.nearWords(d) {
			if v[0] != w[0] || slices.Contains(best, v) {
				continue
			}
			switch dist := edlib.OSADamerauLevenshteinDistance(w, v); {
			case dist > reach(len(w)):
			case dist < bestDist:
				best, bestDist = []string{v}, dist
			case dist == bestDist:
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
