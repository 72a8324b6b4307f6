package dialog

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/stackpick/stackpick/internal/catalog"
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
	return strings.Join(strings.Fields(s), " ")
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

// mentions returns where text names option o. Cues and patterns count everywhere; the label, id
// and synonyms only when the user is answering o's own question (direct).
func mentions(text string, o *catalog.Option, direct bool) []span {
	var spans []span
	for _, c := range o.Cues {
		spans = phraseSpans(text, normalize(c), spans)
	}
	for _, re := range o.CompiledPatterns() {
		for _, loc := range re.FindAllStringIndex(text, -1) {
			if !negated(text, loc[0]) && !dismissed(text, loc[1]) {
				spans = append(spans, span{loc[0], loc[1]})
			}
		}
	}
	if !direct {
		return spans
	}
	spans = phraseSpans(text, normalize(o.Label), spans)
	spans = phraseSpans(text, strings.ReplaceAll(o.ID, "_", " "), spans)
	for _, syn := range o.Synonyms {
		spans = phraseSpans(text, normalize(syn), spans)
	}
	return spans
}

// matchOptions returns the ids of q's options that text names, in option order. An option named
// only inside a longer phrase of another ("monolith" in "modular monolith") does not count.
func matchOptions(q *catalog.Question, text string, direct bool) []string {
	found := make([][]span, len(q.Options))
	for i := range q.Options {
		found[i] = mentions(text, &q.Options[i], direct)
	}
	var ids []string
	for i, spans := range found {
		for _, sp := range spans {
			if !insideAnother(sp, i, found) {
				ids = append(ids, q.Options[i].ID)
				break
			}
		}
	}
	return ids
}

func insideAnother(sp span, self int, found [][]span) bool {
	for j, spans := range found {
		if j == self {
			continue
		}
		for _, o := range spans {
			if o.start <= sp.start && sp.end <= o.end && o.end-o.start > sp.end-sp.start {
				return true
			}
		}
	}
	return false
}

// parseOutcome says how an answer to one question was understood.
type parseOutcome int

const (
	parsedNone       parseOutcome = iota // nothing in the text answers the question
	parsedOK                             // the returned options answer it
	parsedAmbiguous                      // several options of a one-choice question matched
	parsedOutOfRange                     // option numbers outside 1..len(options)
)

// parseAnswer reads text as a direct answer to q: option numbers ("2", "1, 3"), a label, an id,
// a synonym, a cue or a pattern. It returns option ids in the question's order.
func parseAnswer(q *catalog.Question, text string) ([]string, parseOutcome) {
	text = normalize(text)
	if ids, outcome, ok := parseNumbers(q, text); ok {
		return ids, outcome
	}
	// A message that is exactly one option's label, id or synonym settles it, even when the same
	// word appears inside another option's phrases ("no" vs "no, the team is set").
	whole := trimPunct(text)
	for _, o := range q.Options {
		if whole == normalize(o.Label) || whole == o.ID || slices.ContainsFunc(o.Synonyms, func(s string) bool { return normalize(s) == whole }) {
			return []string{o.ID}, parsedOK
		}
	}
	return settle(q, matchOptions(q, text, true))
}

// settle applies a question's kind to the options found in a text.
func settle(q *catalog.Question, ids []string) ([]string, parseOutcome) {
	switch {
	case len(ids) == 0:
		return nil, parsedNone
	case q.Kind == catalog.One && len(ids) > 1:
		return ids, parsedAmbiguous
	}
	if len(ids) > 1 {
		// An exclusive option ("none") gives way to the concrete ones named beside it.
		ids = slices.DeleteFunc(ids, func(id string) bool {
			o, _ := q.Option(id)
			return o.Exclusive
		})
	}
	return ids, parsedOK
}

// parseNumbers reads "2", "1,3" or "1 and 3" as option numbers. ok is false when the text is not
// made of numbers only.
func parseNumbers(q *catalog.Question, text string) (ids []string, outcome parseOutcome, ok bool) {
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '/' || r == '&' })
	var nums []int
	for _, f := range fields {
		if f == "and" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(f, "."))
		if err != nil {
			return nil, parsedNone, false
		}
		nums = append(nums, n)
	}
	if len(nums) == 0 {
		return nil, parsedNone, false
	}
	seen := map[int]bool{}
	for _, n := range nums {
		if n < 1 || n > len(q.Options) {
			return nil, parsedOutOfRange, true
		}
		seen[n] = true
	}
	for i, o := range q.Options {
		if seen[i+1] {
			ids = append(ids, o.ID)
		}
	}
	ids, outcome = settle(q, ids)
	return ids, outcome, true
}

// extract finds answers to the questions for which want returns true, using only cues and
// patterns (phrases clear enough to stand in any sentence). A one-choice question whose text
// names several options is left out and reported in unsure.
func extract(c *catalog.Catalog, text string, want func(qid string) bool) (found catalog.Answers, unsure []string) {
	text = normalize(text)
	found = catalog.Answers{}
	for qi := range c.Questions {
		q := &c.Questions[qi]
		if !want(q.ID) {
			continue
		}
		switch ids, outcome := settle(q, matchOptions(q, text, false)); outcome {
		case parsedOK:
			found[q.ID] = ids
		case parsedAmbiguous:
			unsure = append(unsure, q.Short)
		}
	}
	return found, unsure
}

// findQuestion resolves a reference typed by the user ("traffic", "scale", "5", "question 5")
// to a question.
func findQuestion(c *catalog.Catalog, ref string) (*catalog.Question, bool) {
	ref = trimPunct(strings.TrimPrefix(normalize(ref), "question "))
	if n, err := strconv.Atoi(ref); err == nil && n >= 1 && n <= len(c.Questions) {
		return &c.Questions[n-1], true
	}
	for qi := range c.Questions {
		q := &c.Questions[qi]
		if ref == q.ID || ref == normalize(q.Short) || slices.ContainsFunc(q.Aliases, func(a string) bool { return normalize(a) == ref }) {
			return q, true
		}
	}
	return nil, false
}
