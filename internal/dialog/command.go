package dialog

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// readChange reads a change of earlier answers into u: "change traffic to massive", "change the
// deadline to 6 weeks", "make it 5 devs", "add go", "drop java" (or "we drop java"), "remove the
// compliance answer",
// "actually we're 20 devs now"; after the shortlist, any message that answers questions. It
// reports false when text is not a change (it may still answer the open question).
func (lx *lexicon) readChange(u *Understanding, p Point, text string, now time.Time) bool {
	if subject, rest, ok := strings.Cut(text, " "); ok && slices.Contains(lx.refFillers, subject) &&
		(startsWith(rest, lx.add) != "" || startsWith(rest, lx.remove) != "" || startsWith(rest, lx.change) != "") {
		text = rest // "we drop java": the subject says nothing more
	}
	if verb := startsWith(text, lx.add); verb != "" {
		return lx.edit(u, p, strings.TrimSpace(text[len(verb):]), true, now)
	}
	if verb := startsWith(text, lx.remove); verb != "" {
		return lx.edit(u, p, strings.TrimSpace(text[len(verb):]), false, now)
	}
	if verb := startsWith(text, lx.change); verb != "" {
		rest := strings.TrimSpace(text[len(verb):])
		if q, answer, ok := lx.splitRef(rest); ok {
			u.Intent, u.Command, u.Question = IntentCommand, "change", q.ID
			switch {
			case answer == "":
			case startsWith(answer, lx.add) != "" || startsWith(answer, lx.remove) != "":
				// "change languages to add go"
				return lx.readChange(u, p, answer, now)
			default:
				r := lx.read(q, lx.parse(answer), now, func(string) bool { return false })
				if r.outcome == parsedOK {
					u.Answers[q.ID], u.Readings, u.Exact = r.direct, r.readings, r.exact
				} else {
					u.Unread = true
				}
			}
			return true
		}
		if lx.settles(u, p, rest, now) {
			return true
		}
		if strings.Contains(rest, " to ") || strings.ContainsAny(rest, ":=") {
			u.Intent, u.Command = IntentCommand, "change" // a question that does not exist
			return true
		}
		return false
	}
	if word := startsWith(text, lx.correction); word != "" {
		return lx.settles(u, p, strings.TrimLeft(text[len(word):], " ,:-"), now)
	}
	if p.Question == "" {
		return lx.settles(u, p, text, now)
	}
	return false
}

// settles reads text as new answers to any question ("make it 5 devs", "actually we're 20"):
// a change, unless it only answers the open question, which is then left to be read as an answer.
func (lx *lexicon) settles(u *Understanding, p Point, text string, now time.Time) bool {
	m := lx.parse(text)
	r := lx.read(nil, m.masked(lx.maskLeaving(text, m.words)), now, func(string) bool { return true })
	if len(r.found) == 0 {
		return false
	}
	if _, only := r.found[p.Question]; only && len(r.found) == 1 {
		return false
	}
	u.Intent, u.Command, u.Readings = IntentCommand, "change", r.readings
	for qid, ids := range r.found {
		u.Answers[qid] = ids
	}
	if len(r.found) == 1 {
		for qid := range r.found {
			u.Question = qid
		}
	}
	return true
}

// edit reads "add go" (add) or "drop java", "remove the compliance answer" (!add) into u.
func (lx *lexicon) edit(u *Understanding, p Point, what string, add bool, now time.Time) bool {
	if q, rest, ok := lx.splitRef(what); ok && !add && rest == "" {
		u.Intent, u.Command, u.Question = IntentCommand, "change", q.ID
		u.Answers[q.ID] = []string{}
		return true
	}
	ws := lx.wordsOf(what)
	for qi := range lx.cat.Questions {
		q := &lx.cat.Questions[qi]
		named := matchIDs(q, lx.matchesIn(q, what, ws, true, nil))
		if len(named) == 0 || q.Kind == catalog.One && len(named) > 1 {
			continue
		}
		had := p.Answers[q.ID]
		var ids []string
		for _, o := range q.Options {
			keep := slices.Contains(had, o.ID)
			if slices.Contains(named, o.ID) {
				keep = add
			} else if add && (q.Kind == catalog.One || o.Exclusive) {
				keep = false
			}
			if keep {
				ids = append(ids, o.ID)
			}
		}
		if add && q.ID == p.Question {
			u.Intent, u.Answers[q.ID] = IntentAnswer, ids
			return true
		}
		u.Intent, u.Command, u.Question = IntentCommand, "change", q.ID
		u.Answers[q.ID] = ids
		if ids == nil {
			u.Answers[q.ID] = []string{}
		}
		return true
	}
	return false
}

// splitRef splits "the deadline to 6 weeks" into the question it starts with and the answer
// after it ("6 weeks"); the answer is empty when only a question is named.
func (lx *lexicon) splitRef(text string) (*catalog.Question, string, bool) {
	words := strings.Fields(text)
	for len(words) > 0 && slices.Contains(lx.refFillers, words[0]) {
		words = words[1:]
	}
	for k := len(words); k >= 1; k-- {
		q, ok := lx.findQuestion(strings.Join(words[:k], " "))
		if !ok {
			continue
		}
		rest := words[k:]
		for len(rest) > 0 && (slices.Contains(lx.answerFillers, rest[0]) || strings.Trim(rest[0], ":=-") == "") {
			rest = rest[1:]
		}
		return q, strings.TrimLeft(strings.Join(rest, " "), ":= "), true
	}
	return nil, "", false
}

// findQuestion resolves a reference to a question: its number ("5", "question 5", "q5"), id,
// short name, an alias, or a word of its text that no other question's text has.
func (lx *lexicon) findQuestion(ref string) (*catalog.Question, bool) {
	ref = trimPunct(ref)
	for _, prefix := range []string{"question ", "q", "#", ""} {
		if rest, ok := strings.CutPrefix(ref, prefix); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 1 && n <= len(lx.cat.Questions) {
				return &lx.cat.Questions[n-1], true
			}
		}
	}
	if qi, ok := lx.refs[ref]; ok {
		return &lx.cat.Questions[qi], true
	}
	if qs := lx.textWords[ref]; len(ref) >= 4 && len(qs) == 1 {
		return &lx.cat.Questions[qs[0]], true
	}
	return nil, false
}

// looksLikeSlashCommand reports text such as "/foo", which is never an answer.
func looksLikeSlashCommand(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), "/")
}
