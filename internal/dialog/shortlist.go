package dialog

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// What the follow-up turns say when there is no shortlist yet, or nothing to keep.
const (
	needsShortlist = "I can answer that once you have a shortlist. Answer the question below, or say done to rank with what you have answered."
	nothingToKeep  = "There is no what-if to keep. Try something like: what if we used serverless?"
)

// followUp applies an action that asks about the shortlist (keep aside: see keep). None changes
// the answers but a review, which changes them like a typed change; the others only look
// (meta).
func (t *turn) followUp(in Input) Reply {
	if !t.s.Finished {
		t.note(NoteInfo, needsShortlist)
		return t.ask()
	}
	if in.Action == ActReview && in.Answers != nil {
		return t.review(in.Answers)
	}
	t.meta = true
	switch in.Action {
	case ActWhyNot:
		return t.whyNot(in.Frameworks[0])
	case ActCompare:
		return t.compare(in.Frameworks[0], in.Frameworks[len(in.Frameworks)-1])
	case ActShow:
		r := t.result()
		r.Detail = in.Detail
		return r
	case ActFirmness:
		if res := t.model.Rank(t.s.Answers); res.Confidence.Level == ranking.Low {
			t.note(NoteInfo, "%s So there is no top pick yet to be sure about.", res.ConfidenceText())
			return Reply{}
		}
		f := t.model.Firmness(t.s.Answers)
		return Reply{Firmness: &f}
	case ActExport:
		return Reply{Export: t.export()}
	}
	return Reply{Review: t.prompts()}
}

// mentioned turns typed mentions into framework ids: a framework as named, a language as its
// best-ranked framework (said in a note), or as its first on hold when the organisation's radar
// holds them all.
func (t *turn) mentioned(ms []Mention) []string {
	var ids []string
	var res *ranking.Result
	for _, m := range ms {
		if m.Framework != "" {
			ids = append(ids, m.Framework)
			continue
		}
		if res == nil {
			r := t.model.Rank(t.s.Answers)
			res = &r
		}
		q, _ := t.cat.Question(catalog.LanguagesQuestion)
		lang, _ := q.Option(m.Language)
		in := func(id string) bool {
			f, _ := t.cat.Framework(id)
			return slices.Contains(f.Languages, m.Language)
		}
		if i := slices.IndexFunc(res.Shortlist, func(e ranking.Entry) bool { return in(e.ID) }); i >= 0 {
			t.note(NoteInfo, "Your best %s option is %s.", lang.Label, res.Shortlist[i].Name)
			ids = append(ids, res.Shortlist[i].ID)
		} else if i := slices.IndexFunc(res.NotConsidered, func(h ranking.Held) bool { return in(h.ID) }); i >= 0 {
			// Every framework in the language is on hold: explain the first.
			ids = append(ids, res.NotConsidered[i].ID)
		}
	}
	return ids
}

// typedFollowUp applies a why-not or a comparison read from typed text.
func (t *turn) typedFollowUp(u Understanding) Reply {
	ids := t.mentioned(u.Mentions)
	in := Input{Action: ActWhyNot, Frameworks: ids}
	if u.Intent == IntentCompare {
		in.Action = ActCompare
	}
	switch {
	case len(u.Mentions) == 0 && len(u.Uncovered) > 0:
		t.note(NoteUnclear, "I don't know a framework or a language called %s. Type /stackpick catalog for the frameworks I know.", u.Uncovered[0])
		return Reply{}
	case len(ids) == 0:
		t.note(NoteInfo, "I have no framework in that language. Type /stackpick catalog for the frameworks I know.")
		return Reply{}
	}
	return t.followUp(in)
}

func (t *turn) whyNot(id string) Reply {
	w, ok := t.model.WhyNot(t.s.Answers, id)
	if !ok {
		t.note(NoteUnclear, "I don't know that framework.")
		return Reply{}
	}
	return Reply{WhyNot: &w}
}

// compare sets a and b side by side; a alone (b == a) is set against the top pick, first, or
// the top pick against the next choice.
func (t *turn) compare(a, b string) Reply {
	if b == a {
		res := t.model.Rank(t.s.Answers)
		choices := res.Choices(2)
		top := res.Shortlist[choices[0]].ID
		switch {
		case a != top:
			a, b = top, a
		case len(choices) > 1:
			b = res.Shortlist[choices[1]].ID
		}
	}
	c, ok := t.model.Compare(t.s.Answers, a, b)
	if !ok {
		t.note(NoteUnclear, "I don't know that framework.")
		return Reply{}
	}
	return Reply{Compare: &c}
}

// whatIf shows what a hypothetical change would move, without saving it, and keeps it to be
// kept with "keep".
func (t *turn) whatIf(u Understanding) Reply {
	if !t.s.Finished {
		t.note(NoteInfo, needsShortlist)
		return t.ask()
	}
	after := t.s.Answers.With(u.Answers)
	if after.Same(t.s.Answers) {
		t.note(NoteInfo, "That is what you answered already, so nothing would move.")
		t.s.WhatIf, t.aside = nil, t.s.WhatIf != nil // an earlier what-if is no longer on offer
		t.meta = true
		return Reply{}
	}
	mv := t.model.Movement(t.s.Answers, after)
	t.s.WhatIf, t.aside = u.Answers, true
	return Reply{Movement: &mv, Hypothetical: true, WhatIf: whatIfName(u.Answers)}
}

// whatIfName names a what-if by its answers, in a form a control can carry ("scale=massive;").
func whatIfName(a catalog.Answers) string {
	var b strings.Builder
	for _, qid := range slices.Sorted(maps.Keys(a)) {
		b.WriteString(qid + "=" + strings.Join(slices.Sorted(slices.Values(a[qid])), "+") + ";")
	}
	return b.String()
}

// keep applies the what-if on offer as a change of answers; name, when set, is the what-if a
// control keeps, and one that is no longer on offer is stale.
func (t *turn) keep(name string) (Reply, error) {
	if !t.s.Finished {
		return t.followUp(Input{Action: ActKeep}), nil
	}
	if name != "" && name != whatIfName(t.s.WhatIf) {
		return Reply{}, fmt.Errorf("keep what-if %q, not the one on offer: %w", name, ErrStale)
	}
	if t.s.WhatIf == nil {
		t.meta = true
		t.note(NoteInfo, nothingToKeep)
		return Reply{}, nil
	}
	return t.changeTyped(Understanding{Intent: IntentCommand, Command: "change", Answers: t.s.WhatIf}), nil
}

// review applies every answer of a form at once, as one change; unknown questions, unknown
// options and empty answers are left as they were.
func (t *turn) review(answers catalog.Answers) Reply {
	changed := catalog.Answers{}
	for qi := range t.cat.Questions {
		q := &t.cat.Questions[qi]
		ids, outcome := settle(q, chosen(q, answers[q.ID]))
		if outcome == parsedOK && !catalog.SameOptions(ids, t.s.Answers[q.ID]) {
			changed[q.ID] = ids
		}
	}
	if len(changed) == 0 {
		t.note(NoteInfo, "Nothing changed in your answers.")
		t.meta = true
		return t.result()
	}
	return t.changeTyped(Understanding{Intent: IntentCommand, Command: "change", Answers: changed})
}

// export is the decision record of the shortlist.
func (t *turn) export() *Export {
	return &Export{
		Result: t.model.Rank(t.s.Answers), Firmness: t.model.Firmness(t.s.Answers), Date: t.now,
		Open: t.cat.Open(t.s.Answers), Seeds: t.cat.Seeds,
	}
}

// prompts asks every question at once, with the current answers selected.
func (t *turn) prompts() []Prompt {
	out := make([]Prompt, 0, len(t.cat.Questions))
	for qi := range t.cat.Questions {
		out = append(out, t.prompt(&t.cat.Questions[qi]))
	}
	return out
}

// afterShortlistHelp lists what may be asked once the shortlist is shown.
func afterShortlistHelp() []Command {
	return []Command{
		{"why not <framework or language>", "where it ranks, what costs it most and what would change that, e.g. why not flask, what about go?"},
		{"compare <A> and <B>", "two frameworks side by side on what matters to you, e.g. django vs fastapi"},
		{"what if <change>", "what would move, without changing your answers, e.g. what if we used serverless? Then keep to keep it"},
		{"how sure are you?", "which single answer would change the top pick"},
		{strings.Join([]string{"details", "checklist", "plan", "ranking", "all"}, ", "), "show more of the shortlist"},
		{"export", "write a decision record (Markdown, MADR layout)"},
	}
}
