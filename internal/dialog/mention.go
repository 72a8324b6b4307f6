package dialog

import (
	"slices"
	"strings"
	"time"

	"github.com/hbollon/go-edlib"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Mention is a framework or a language named in a message: exactly one of its fields is set.
type Mention struct {
	Framework string `json:"framework,omitempty"` // a framework id
	Language  string `json:"language,omitempty"`  // an option id of the languages question
}

// maxNameWords is the most words a framework or language name spans ("ruby on rails").
const maxNameWords = 3

// minFuzzyName is the shortest name a typo is forgiven in ("fastapy"); shorter ones ("gin",
// "echo") are read only as typed.
const minFuzzyName = 5

// nameIndex finds frameworks and languages in text by their names, squashed to letters, digits and
// "#" so "Nest.js", "nest js" and "NestJS" are one: a framework by its id, its name, its name
// without a "js" ending, or a word of its name no other framework or language uses and the
// checklist's questions and options do not ("spring", "rails"; not "core"); a language by its id, the parts of its label ("C# / .NET"), its synonyms and its
// one-word cues that name no framework.
type nameIndex struct {
	frameworks map[string]string // squashed name -> framework id
	languages  map[string]string // squashed name -> language option id
}

func squash(s string) string { return nameRunes(normalize(s)) }

// nameRunes is squash for a text normalized already.
func nameRunes(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '#' || r >= 0x80 {
			return r
		}
		return -1
	}, s)
}

func compileNames(c *catalog.Catalog) nameIndex {
	n := nameIndex{frameworks: map[string]string{}, languages: map[string]string{}}
	words := map[string][]string{} // a word of a framework's name -> the frameworks using it
	for _, f := range c.Frameworks {
		for _, key := range []string{f.ID, f.Name, strings.TrimSuffix(squash(f.Name), "js")} {
			if k := squash(key); len(k) >= 2 {
				n.frameworks[k] = f.ID
			}
		}
		if fields := strings.Fields(normalize(f.Name)); len(fields) > 1 {
			for _, w := range fields {
				if k := squash(w); len(k) >= 4 && !slices.Contains(words[k], f.ID) {
					words[k] = append(words[k], f.ID)
				}
			}
		}
	}
	if q, ok := c.Question(catalog.LanguagesQuestion); ok {
		for _, o := range q.Options {
			if o.Exclusive {
				continue
			}
			keys := append([]string{o.ID}, strings.Split(o.Label, "/")...)
			keys = append(keys, o.Synonyms...)
			for _, cue := range o.Cues {
				if !strings.Contains(cue, " ") {
					keys = append(keys, cue)
				}
			}
			for _, key := range keys {
				if k := squash(key); k != "" && n.frameworks[k] == "" {
					n.languages[k] = o.ID
				}
			}
		}
	}
	// A word the checklist itself uses ("core" in "A minimal core") names no framework alone.
	common := map[string]bool{}
	for _, q := range c.Questions {
		texts := []string{q.Text, q.Short}
		for _, o := range q.Options {
			texts = append(texts, o.Label)
		}
		for _, w := range strings.Fields(normalize(strings.Join(texts, " "))) {
			common[squash(w)] = true
		}
	}
	for w, ids := range words {
		if len(ids) == 1 && n.languages[w] == "" && n.frameworks[w] == "" && !common[w] {
			n.frameworks[w] = ids[0]
		}
	}
	return n
}

// find returns the frameworks and languages text (normalized) names, in order, each once, and how
// many of its other words are not glue ("and phoenix?", "fastapi then?"). A name is read as
// typed, or, from minFuzzyName letters, with one typo (two from longTypoLen) when only one name is
// that close.
func (n nameIndex) find(text string, glue map[string]bool) (out []Mention, rest int) {
	toks := tokenize(text)
	add := func(m Mention) {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	for i := 0; i < len(toks); {
		width := 0
		for k := min(maxNameWords, len(toks)-i); k >= 1 && width == 0; k-- {
			var key strings.Builder
			for _, t := range toks[i : i+k] {
				key.WriteString(nameRunes(t.text))
			}
			if m, ok := n.lookup(key.String(), k == 1); ok {
				add(m)
				width = k
			}
		}
		if width == 0 {
			if !glue[toks[i].text] {
				rest++
			}
			width = 1
		}
		i += width
	}
	return out, rest
}

// lookup finds the name key stands for; fuzzy allows a typo.
func (n nameIndex) lookup(key string, fuzzy bool) (Mention, bool) {
	if id, ok := n.frameworks[key]; ok {
		return Mention{Framework: id}, true
	}
	if id, ok := n.languages[key]; ok {
		return Mention{Language: id}, true
	}
	if !fuzzy || len(key) < minFuzzyName {
		return Mention{}, false
	}
	var found []Mention
	for name, id := range n.frameworks {
		if len(name) >= minFuzzyName && edlib.OSADamerauLevenshteinDistance(key, name) <= reach(len(key)) && !slices.Contains(found, Mention{Framework: id}) {
			found = append(found, Mention{Framework: id})
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Mention{}, false
}

// followUp reads a message sent after the shortlist as a question about it: a what-if ("what if
// we used serverless?", "how about 20 devs?"), a comparison of two frameworks or languages
// ("django vs nestjs", "compare with flask" or "is flask better?": the top pick and Flask) or a
// why-not ("why not flask", "what about go?", or a name alone: "fastapi?"). Any other message
// naming a framework changes nothing ("ok, django it is"); the rest may still be a change of
// answers, and followUp reports false for it.
func (lx *lexicon) followUp(u *Understanding, p Point, text string, now time.Time) bool {
	found, rest := lx.mentions.find(text, lx.glue)
	if cue := startsWith(text, lx.whatIf); cue != "" {
		if i := slices.IndexFunc(found, func(m Mention) bool { return m.Framework != "" }); i >= 0 {
			u.Intent, u.Mentions = IntentCompare, found[i:i+1] // "what if we used django?": against the top pick
			return true
		}
		return lx.hypothetical(u, p, text[len(cue):], now)
	}
	_, compares := anyPhrase(text, lx.compare)
	whyNot := startsWith(text, lx.whyNot)
	switch {
	case len(found) >= 2 && (compares || rest <= 1):
		u.Intent, u.Mentions = IntentCompare, found[:2]
	case len(found) == 1 && (whyNot != "" || rest == 0):
		u.Intent, u.Mentions = IntentWhyNot, found
	case len(found) == 1 && compares: // "is flask better?": against the top pick
		u.Intent, u.Mentions = IntentCompare, found
	case len(found) == 0 && whyNot != "":
		rest := strings.TrimSpace(text[len(whyNot):])
		if lx.hypothetical(u, p, rest, now) { // "what about serverless?"
			return true
		}
		if _, isQuestion := lx.findQuestion(rest); isQuestion || strings.ContainsAny(rest, " ") || rest == "" {
			return false // "what about the deadline?" asks about a question
		}
		u.Intent, u.Uncovered = IntentWhyNot, []string{rest} // "why not flsk"
	case slices.ContainsFunc(found, func(m Mention) bool { return m.Framework != "" }):
		// "ok, django it is": a framework named is no answer about the team's languages, though
		// its name is a cue for one; nothing to change.
		u.Intent = IntentOther
	default:
		return false
	}
	return true
}

// hypothetical reads text as a change of answers that is only to be tried.
func (lx *lexicon) hypothetical(u *Understanding, p Point, text string, now time.Time) bool {
	text = strings.TrimLeft(text, " ,:-")
	// As said ("what if we used serverless"), then as a change ("what if traffic is small":
	// change traffic is small).
	var c Understanding
	read := false
	for _, verb := range []string{"", first(lx.change)} {
		c = Understanding{Answers: catalog.Answers{}}
		if read = lx.readChange(&c, p, strings.TrimSpace(verb+" "+text), now) && len(c.Answers) > 0; read {
			break
		}
	}
	if !read {
		return false
	}
	u.Intent, u.Answers, u.Readings, u.Corrections = IntentWhatIf, c.Answers, c.Readings, append(u.Corrections, c.Corrections...)
	return true
}

// first is the first of phrases, or "".
func first(phrases []string) string {
	if len(phrases) == 0 {
		return ""
	}
	return phrases[0]
}
