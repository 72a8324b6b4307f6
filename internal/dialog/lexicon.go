package dialog

import (
	"regexp"
	"slices"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
)

// lexicon is a catalog's words compiled once for reading free text: phrases normalized, their
// first words numbered, the spelling vocabulary, and the words amounts and dates are stated with.
// A message costs its own work only: nothing of the catalog is prepared again per message.
type lexicon struct {
	cat     *catalog.Catalog
	words   *catalog.Words
	options map[string][]optionWords // question id -> its options' words, in option order
	speller *speller
	// names are each question's short name and aliases, normalized; refs maps them and the ids to
	// the question's index; textWords maps each word of a question's text to the questions using it.
	names     map[string][]string
	refs      map[string]int
	textWords map[string][]int
	// firstWords numbers the first words of the phrases a message is searched for (see firstWord):
	// a message's words are a wordSet of those numbers.
	firstWords map[string]int
	// unlisted are every question's unlisted answers, normalized, and the numbers of their first words.
	unlisted      []string
	unlistedFirst []int
	// The numbers of the first words of doubt, leaving and idioms, in their order.
	doubtFirst, leavingFirst, idiomsFirst []int

	commands                                                 map[string]string // whole message -> command
	whyNot, compare, whatIf                                  []string
	mentions                                                 nameIndex
	glue                                                     map[string]bool // fillers and "and", "but": around a name they ask nothing else
	change, add, remove, correction                          []string
	doubt, askBack, chat, leaving, leavingEnds, all          []string
	fillers, idioms, depends, doubtAbout, deadlineWords      []string
	dismissals, except, refFillers, answerFillers            []string
	negations                                                map[string]bool
	optionRef                                                map[string]bool
	teams, skillVerbs                                        [][]string
	unitAfter, unitBefore, unitUnlessBefore, unitUnlessAfter map[catalog.Unit][][]string
	anyUnlessBefore, anyUnlessAfter                          [][]string                  // every unit's, for a number alone
	calendar                                                 map[string][]calendarPhrase // by first word
	months                                                   map[string]int              // a month name or its first three letters -> 1..12
}

// optionWords are one option's phrases, normalized, each with the number of its first word (see
// firstWordsOf).
type optionWords struct {
	direct      []string // label, id and synonyms: they count when the option's own question is answered
	directFirst []int
	label       string   // direct[0] without its punctuation, as a whole message is compared with it
	cues        []string // they count anywhere
	cueFirst    []int
	patterns    []*regexp.Regexp
}

// firstWord returns the first token of a phrase: a text whose words lack it cannot contain the phrase.
func firstWord(phrase string) string {
	if toks := tokenize(phrase); len(toks) > 0 {
		return toks[0].text
	}
	return ""
}

// firstWordsOf returns the numbers of phrases' first words, numbering the words not seen before.
func (lx *lexicon) firstWordsOf(phrases []string) []int {
	out := make([]int, len(phrases))
	for i, p := range phrases {
		w := firstWord(p)
		n, ok := lx.firstWords[w]
		if !ok {
			n = len(lx.firstWords)
			lx.firstWords[w] = n
		}
		out[i] = n
	}
	return out
}

// message is a normalized text with its tokens and the set of their words, made once per message.
type message struct {
	text  string
	toks  []token
	words wordSet
}

func (lx *lexicon) parse(text string) message {
	toks := tokenize(text)
	return message{text: text, toks: toks, words: lx.setOf(toks)}
}

// masked returns m with text in place of its text: the same text with spans blanked (see blank).
// Its tokens are m's minus the blanked ones; its words stay m's, a superset that only costs a few
// phrase searches that find nothing.
func (m message) masked(text string) message {
	toks := make([]token, 0, len(m.toks))
	for _, t := range m.toks {
		if text[t.start] != ' ' {
			toks = append(toks, t)
		}
	}
	return message{text: text, toks: toks, words: m.words}
}

// wordSet is the set of a text's tokens that are the first word of a phrase, by their numbers in
// the lexicon (firstWords): ws[n] says whether the text has word n.
type wordSet []bool

func (lx *lexicon) wordsOf(text string) wordSet { return lx.setOf(tokenize(text)) }

func (lx *lexicon) setOf(toks []token) wordSet {
	ws := make(wordSet, len(lx.firstWords))
	for _, t := range toks {
		if n, ok := lx.firstWords[t.text]; ok {
			ws[n] = true
		}
	}
	return ws
}

// present returns the phrases whose first word (numbered in first) is in ws: the only ones its
// text may contain.
func present(ws wordSet, phrases []string, first []int) []string {
	var out []string
	for i, p := range phrases {
		if ws[first[i]] {
			out = append(out, p)
		}
	}
	return out
}

type calendarPhrase struct {
	words  []string
	anchor string
}

func compileLexicon(c *catalog.Catalog) *lexicon {
	w := &c.Words
	lx := &lexicon{
		cat: c, words: w, options: map[string][]optionWords{}, commands: map[string]string{},
		change: norms(w.Change), add: norms(w.Add), remove: norms(w.Remove), correction: norms(w.Correction),
		doubt: norms(w.Doubt), askBack: norms(w.AskBack), chat: norms(w.Chat), leaving: norms(w.Leaving),
		leavingEnds: norms(w.LeavingEnds), all: norms(w.All), fillers: norms(w.Fillers), idioms: norms(w.Idioms), dismissals: norms(w.Dismissals), except: norms(w.Except),
		whyNot: norms(w.WhyNot), compare: norms(w.Compare), whatIf: norms(w.WhatIf), mentions: compileNames(c),
		refFillers: norms(w.RefFillers), answerFillers: norms(w.AnswerFillers), negations: map[string]bool{},
		depends: norms(w.Depends), doubtAbout: norms(w.DoubtAbout), deadlineWords: norms(w.Units[catalog.Days].Context), optionRef: map[string]bool{},
		teams: tokenPhrases(w.Teams), skillVerbs: tokenPhrases(w.SkillVerbs),
		unitAfter: map[catalog.Unit][][]string{}, unitBefore: map[catalog.Unit][][]string{}, unitUnlessBefore: map[catalog.Unit][][]string{}, unitUnlessAfter: map[catalog.Unit][][]string{},
		firstWords: map[string]int{},
	}
	var vocabulary []string
	addWords := func(phrases ...string) {
		for _, p := range phrases {
			for _, t := range tokenize(normalize(p)) {
				vocabulary = append(vocabulary, t.text)
			}
		}
	}
	for name, phrases := range w.Commands {
		for _, p := range phrases {
			lx.commands[normalize(p)] = name
		}
		addWords(phrases...)
	}
	lx.glue = map[string]bool{"and": true, "but": true}
	for _, f := range lx.fillers {
		lx.glue[f] = true
	}
	for _, n := range w.Negations {
		lx.negations[normalize(n)] = true
	}
	for _, r := range w.OptionRef {
		lx.optionRef[normalize(r)] = true
	}
	for u, uw := range w.Units {
		lx.unitAfter[u], lx.unitBefore[u] = tokenPhrases(uw.After), tokenPhrases(uw.Before)
		lx.unitUnlessBefore[u], lx.unitUnlessAfter[u] = tokenPhrases(uw.UnlessBefore), tokenPhrases(uw.UnlessAfter)
		addWords(uw.After...)
		addWords(uw.Before...)
		lx.anyUnlessBefore = append(lx.anyUnlessBefore, lx.unitUnlessBefore[u]...)
		lx.anyUnlessAfter = append(lx.anyUnlessAfter, lx.unitUnlessAfter[u]...)
	}
	lx.calendar, lx.months = map[string][]calendarPhrase{}, map[string]int{}
	for phrase, anchor := range w.Calendar {
		words := tokenPhrases([]string{phrase})[0]
		lx.calendar[words[0]] = append(lx.calendar[words[0]], calendarPhrase{words: words, anchor: anchor})
	}
	for i, name := range w.Months {
		name = normalize(name)
		lx.months[name] = i + 1
		if len(name) > 3 {
			lx.months[name[:3]] = i + 1
		}
	}
	for _, list := range w.Lists() {
		addWords(list...)
	}
	addWords(w.Keys()...)
	lx.names, lx.refs, lx.textWords = map[string][]string{}, map[string]int{}, map[string][]int{}
	for qi := range c.Questions {
		q := &c.Questions[qi]
		lx.names[q.ID] = norms(append([]string{q.Short}, q.Aliases...))
		for _, ref := range append([]string{q.ID}, lx.names[q.ID]...) {
			if _, taken := lx.refs[ref]; !taken {
				lx.refs[ref] = qi
			}
		}
		for _, w := range strings.FieldsFunc(normalize(q.Text), func(r rune) bool { return r < 'a' || r > 'z' }) {
			if !slices.Contains(lx.textWords[w], qi) {
				lx.textWords[w] = append(lx.textWords[w], qi)
			}
		}
		addWords(q.Short)
		addWords(q.Aliases...)
		addWords(q.Unlisted...)
		lx.unlisted = append(lx.unlisted, norms(q.Unlisted)...)
		ows := make([]optionWords, len(q.Options))
		for oi := range q.Options {
			o := &q.Options[oi]
			ow := optionWords{direct: norms(append([]string{o.Label, strings.ReplaceAll(o.ID, "_", " ")}, o.Synonyms...)), cues: norms(o.Cues), patterns: o.CompiledPatterns()}
			ow.directFirst, ow.cueFirst, ow.label = lx.firstWordsOf(ow.direct), lx.firstWordsOf(ow.cues), trimPunct(ow.direct[0])
			ows[oi] = ow
			addWords(o.Label)
			addWords(o.Synonyms...)
			addWords(o.Cues...)
		}
		lx.options[q.ID] = ows
	}
	lx.unlistedFirst = lx.firstWordsOf(lx.unlisted)
	var bigrams []string
	for _, ows := range lx.options {
		for _, ow := range ows {
			for _, p := range append(ow.direct, ow.cues...) {
				f := strings.Fields(p)
				for i := 0; i+1 < len(f); i++ {
					bigrams = append(bigrams, f[i]+" "+f[i+1])
				}
			}
		}
	}
	lx.doubtFirst, lx.leavingFirst, lx.idiomsFirst = lx.firstWordsOf(lx.doubt), lx.firstWordsOf(lx.leaving), lx.firstWordsOf(lx.idioms)
	lx.speller = newSpeller(vocabulary, norms(w.NotTypos), bigrams)
	return lx
}

func norms(phrases []string) []string {
	out := make([]string, 0, len(phrases))
	for _, p := range phrases {
		if n := normalize(p); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// tokenPhrases splits each phrase into its tokens, for matching against a tokenized text.
func tokenPhrases(phrases []string) [][]string {
	out := make([][]string, 0, len(phrases))
	for _, p := range phrases {
		var words []string
		for _, t := range tokenize(normalize(p)) {
			words = append(words, t.text)
		}
		if len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

// startsWith returns the longest of phrases text starts with (on a word boundary), or "".
func startsWith(text string, phrases []string) string {
	best := ""
	for _, p := range phrases {
		if len(p) > len(best) && strings.HasPrefix(text, p) && boundary(text, 0, len(p)) {
			best = p
		}
	}
	return best
}

// anyPhrase returns where the first of phrases occurs in text, on word boundaries.
func anyPhrase(text string, phrases []string) (span, bool) {
	best := span{start: -1}
	for _, p := range phrases {
		if at, ok := occurrence(text, p, 0); ok && (best.start < 0 || at.start < best.start) {
			best = at
		}
	}
	return best, best.start >= 0
}

// occurrence returns the first place at or after from where phrase stands in text as whole words.
func occurrence(text, phrase string, from int) (span, bool) {
	for phrase != "" && from < len(text) {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			break
		}
		if start, end := from+i, from+i+len(phrase); boundary(text, start, end) {
			return span{start, end}, true
		}
		from += i + 1
	}
	return span{}, false
}

// boundary reports whether text[start:end] is whole words.
func boundary(text string, start, end int) bool {
	return (start == 0 || !isWordRune(text[start-1]) || !isWordRune(text[start])) &&
		(end == len(text) || !isWordRune(text[end]) || !isWordRune(text[end-1]))
}
