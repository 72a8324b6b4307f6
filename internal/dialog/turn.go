package dialog

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// turn applies one Input to a loaded session. It is pure: everything it needs is in its fields,
// and the new state is left in s for the engine to save.
type turn struct {
	cat    *catalog.Catalog
	model  *ranking.Model // compiled from cat
	lex    *lexicon       // compiled from cat
	now    time.Time
	exists bool
	// interrupted: an earlier turn may have shown the user something it never saved.
	interrupted bool
	old         Session
	s           Session
	// changed means s must be saved; fresh means the question asked must be shown again even
	// though nothing changed (resume).
	changed bool
	fresh   bool
	notes   []Note
	// undo is set when this turn recorded answers read from typed text, and kept s.Undo.
	undo bool
	// meta: the turn only looked at the conversation (status, help, questions about the
	// shortlist).
	meta bool
	// aside: s changed in a way that leaves the step (a what-if to keep, the answers of the
	// shortlist shown), so it is saved and the controls on screen stay valid.
	aside bool
	// typed: the input is typed text (text), so what it answers was read, not clicked.
	typed bool
}

func (t *turn) note(kind NoteKind, format string, args ...any) {
	t.notes = append(t.notes, Note{Kind: kind, Text: fmt.Sprintf(format, args...)})
}

func (t *turn) apply(in Input) (Reply, error) {
	t.s = t.old.Clone()
	pending := t.s.Pending
	r, err := t.dispatch(in)
	if err != nil {
		return Reply{}, err
	}
	// A clarification holds for the one reply after it (status and help aside); an undo until
	// the next change.
	if slices.Equal(t.s.Pending, pending) && len(pending) > 0 && !t.meta {
		t.s.Pending, t.changed = nil, true
	}
	if t.changed && !t.undo {
		t.s.Undo = nil
	}
	if t.changed && t.s.WhatIf != nil { // a what-if holds until the answers change
		t.s.WhatIf = nil
	}
	r.Undo = t.undo
	r.Notes = append(t.notes, r.Notes...)
	// A saved turn moves the step on, so the question's controls on screen are stale: it is shown
	// again (issue 13 lets a click carry the question it answers instead).
	r.Reask = r.Ask != nil && !t.changed && !t.fresh
	return r, nil
}

func (t *turn) dispatch(in Input) (Reply, error) {
	if n := utf8.RuneCountInString(in.Text); n > MaxInputRunes {
		t.note(NoteRefused, "That message is %d characters long; I read at most %d. Please send a shorter one.", n, MaxInputRunes)
		if in.Action == ActStart {
			return t.start(""), nil // the conversation starts (or resumes) without it
		}
		return t.ask(), nil
	}
	if in.Action == ActStart {
		return t.start(in.Text), nil
	}
	if !t.exists {
		return Reply{}, ErrNoSession
	}
	if r, ok, err := t.catchUp(in); ok || err != nil {
		return r, err
	}
	if in.Session != "" && (in.Session != t.old.ID || in.Step != t.old.Step) {
		return Reply{}, ErrStale
	}
	switch in.Action {
	case ActText:
		return t.text(in.Text), nil
	case ActUndo:
		return t.undoLast(), nil
	case ActAnswer:
		q, ok := t.cat.Question(in.Question)
		if !ok || q.ID != t.s.Current {
			return Reply{}, ErrStale
		}
		return t.answerControl(q, in.Options), nil
	case ActWhyNot, ActCompare:
		if n := len(in.Frameworks); n == 0 || n > map[Action]int{ActWhyNot: 1, ActCompare: 2}[in.Action] {
			return Reply{}, fmt.Errorf("%d frameworks for action %d: %w", len(in.Frameworks), in.Action, ErrStale)
		}
		fallthrough
	case ActShow, ActFirmness, ActExport, ActReview:
		return t.followUp(in), nil
	case ActKeep:
		return t.keep(in.WhatIf)
	case ActChange:
		q, ok := t.cat.Question(in.Question)
		if !ok {
			// The control was made for a catalog that had this question; a reload removed it.
			return Reply{}, fmt.Errorf("change question %q, which the catalog no longer has: %w", in.Question, ErrStale)
		}
		return t.change(q), nil
	}
	return t.command(in.Action), nil
}

// catchUp shows the conversation as it is stored, before anything else, when the user cannot
// be seeing it: the last reply never reached them (the store is ahead), an earlier turn was
// interrupted (what they saw is unknown), or a click comes from a reply whose turn was never
// saved. A click on the reply the user last saw still applies to the question it carries;
// typed text is never read against a question the user may not have seen. ok is false when the
// input goes through as usual: starting, restarting, status and help, and everything while the
// user sees the stored conversation.
func (t *turn) catchUp(in Input) (r Reply, ok bool, err error) {
	behind := t.old.Shown < t.old.Step
	click := in.Session != "" && in.Session == t.old.ID
	switch {
	case in.Action == ActStart || in.Action == ActRestart || in.Action == ActStatus || in.Action == ActHelp:
		return Reply{}, false, nil
	case click && in.Step > t.old.Step:
		t.note(NoteInfo, "I lost your last answer before I could save it (I was restarted). Here is where we are.")
		return t.whereWeAre(), true, nil
	case click && behind && in.Step == t.old.Shown && in.Action == ActAnswer:
		return t.answerShown(in)
	case in.Session != "":
		return Reply{}, false, nil
	case in.Action == ActText && (behind || t.interrupted) && t.typedCommandAnyway(in.Text):
		return Reply{}, false, nil
	case t.interrupted:
		t.note(NoteInfo, "I was interrupted while answering your last message, so I may have shown you a question I never saved, and I didn't read this one. Here is where we are; please answer again.")
		return t.whereWeAre(), true, nil
	case behind:
		return t.savedNext(), true, nil
	}
	return Reply{}, false, nil
}

// typedCommandAnyway reports whether typed text is a command that means the same whatever the
// user sees (restart, status, help), so catching up does not swallow it.
func (t *turn) typedCommandAnyway(text string) bool {
	u := t.lex.understand(Point{Question: t.s.Current, Answers: t.s.Answers}, text, t.now)
	return u.Intent == IntentCommand && (u.Command == "restart" || u.Command == "status" || u.Command == "help")
}

// whereWeAre shows the stored conversation afresh: its open question, or its shortlist.
func (t *turn) whereWeAre() Reply {
	t.fresh = true
	if t.s.Finished {
		return t.result()
	}
	return t.ask()
}

// savedNext catches up a user whose last reply never reached them: it says what was saved and
// shows where the conversation is, and marks the answered question answered.
func (t *turn) savedNext() Reply {
	n := len(t.s.History)
	if n == 0 { // nothing answered yet: the reply missed was a start or a restart
		t.note(NoteInfo, "My last message didn't reach you; here is where we are.")
		return t.whereWeAre()
	}
	q, _ := t.cat.Question(t.s.History[n-1])
	a := t.answeredOf(q)
	switch {
	case t.s.answered(q.ID):
		a.Answers = q.Labels(t.s.Answers[q.ID])
		t.note(NoteSaved, "Your answer to %s was saved (%s); here is where we are.", q.Short, strings.Join(a.Answers, ", "))
	case t.s.skipped(q.ID):
		a.Skipped = true
		t.note(NoteSaved, "You skipped %s, and that was saved; here is where we are.", q.Short)
	default:
		a.Unsure = t.s.unsure(q.ID)
		t.note(NoteSaved, "Your last answer was saved; here is where we are.")
	}
	r := t.whereWeAre()
	r.Answered = a
	return r
}

// answerShown applies a click on the reply the user last saw, when the store is ahead of it: the
// click answers the question it carries (again, or differently), then the user is shown where
// the conversation is.
func (t *turn) answerShown(in Input) (Reply, bool, error) {
	q, ok := t.cat.Question(in.Question)
	if !ok {
		return Reply{}, false, fmt.Errorf("answer question %q, which the catalog no longer has: %w", in.Question, ErrStale)
	}
	ids, outcome := settle(q, chosen(q, in.Options))
	if outcome != parsedOK {
		return t.savedNext(), true, nil
	}
	if q.ID == t.s.Current {
		return t.record(q, ids), true, nil
	}
	if !slices.Equal(ids, t.s.Answers[q.ID]) {
		t.s.setAnswer(q.ID, ids)
		t.changed = true
	}
	t.note(NoteSaved, "Saved: %s. Here is where we are.", fact(q, ids))
	r := t.whereWeAre()
	r.Answered = t.answeredOf(q)
	r.Answered.Answers = q.Labels(ids)
	return r, true, nil
}

// command applies an action that needs no argument.
func (t *turn) command(a Action) Reply {
	switch a {
	case ActSkip:
		return t.skip()
	case ActBack:
		return t.back()
	case ActFinish:
		return t.finish()
	case ActRestart:
		t.note(NoteInfo, "Starting over with a clean slate.")
		return t.begin()
	case ActResume:
		t.fresh = true
		if t.s.Finished {
			return t.result()
		}
		return t.ask()
	case ActStatus:
		t.meta = true
		r := t.ask()
		r.Status = t.status()
		return r
	case ActHelp:
		t.meta = true
		r := t.ask()
		r.Help = Commands()
		if t.s.Finished {
			r.Help = append(afterShortlistHelp(), r.Help...)
		}
		return r
	}
	t.note(NoteRefused, "I can't do that here. Say help for what I understand.")
	return t.ask()
}

// start begins a conversation, or offers to resume one in progress; a description sent with it
// mid-conversation is read into that conversation, like a typed message.
func (t *turn) start(description string) Reply {
	if t.exists && !t.s.Finished && (len(t.s.Answers) > 0 || len(t.s.Skipped) > 0 || len(t.s.Unsure) > 0) {
		if strings.TrimSpace(description) != "" {
			t.fresh = true
			return t.text(description)
		}
		return Reply{Resume: t.status()}
	}
	t.note(NoteInfo, "Let's find the right backend framework for you. I have %d short questions. Answer with a button, a number, a label or in your own words; you can also describe your project (up to %d characters) and I'll fill in what I can. Ask me what a question means, or say not sure, at any time. Say help for the commands.", len(t.cat.Questions), MaxInputRunes)
	r := t.begin()
	if strings.TrimSpace(description) != "" {
		return t.text(description)
	}
	return r
}

// begin replaces the session with a new conversation and asks its first question.
func (t *turn) begin() Reply {
	t.s = Session{ID: newSessionID(t.now, t.old.ID), Answers: catalog.Answers{}, Started: t.now}
	t.changed = true
	return t.advance()
}

func (t *turn) text(raw string) Reply {
	t.typed = true
	if looksLikeSlashCommand(raw) {
		t.note(NoteRefused, "That isn't a command I know. Say help for the list.")
		return t.ask()
	}
	p := Point{Question: t.s.Current, Answers: t.s.Answers, Pending: t.s.Pending}
	u := t.lex.understand(p, raw, t.now)
	switch u.Intent {
	case IntentCommand:
		return t.typedCommand(u)
	case IntentAskBack:
		return t.explain(u)
	case IntentWhyNot, IntentCompare:
		return t.typedFollowUp(u)
	case IntentWhatIf:
		return t.whatIf(u)
	}
	if t.s.Finished {
		t.note(NoteInfo, shortlistAbove)
		return Reply{}
	}
	return t.answerText(u)
}

// shortlistAbove answers typed text after the shortlist that changes nothing.
const shortlistAbove = "Your shortlist is above. Ask why not <framework>, compare <A> and <B>, what if <change>, or how sure are you; say change <question> to <answer> to adjust it (or just tell me what changed), details or export for more, or restart to begin again."

// typedCommand applies a command understood from typed text.
func (t *turn) typedCommand(u Understanding) Reply {
	switch u.Command {
	case "change":
		return t.changeTyped(u)
	case "undo":
		return t.undoLast()
	}
	if u.Command == "keep" {
		r, _ := t.keep("") // a typed keep keeps what is on offer: never stale
		return r
	}
	if d, ok := typedDetails[u.Command]; ok {
		return t.followUp(Input{Action: ActShow, Detail: d})
	}
	if a := typedActions[u.Command]; a == ActFirmness || a == ActExport {
		return t.followUp(Input{Action: a})
	}
	return t.command(typedActions[u.Command])
}

// typedDetails and typedActions are what the typed commands ask for.
var (
	typedDetails = map[string]Detail{"details": DetailReasons, "checklist": DetailChecklist, "plan": DetailPlan, "ranking": DetailRanking, "all": DetailAll}
	typedActions = map[string]Action{
		"skip": ActSkip, "back": ActBack, "done": ActFinish, "restart": ActRestart, "resume": ActResume,
		"status": ActStatus, "help": ActHelp, "firmness": ActFirmness, "export": ActExport,
	}
)

// answerText acts on a typed message read at the open question.
func (t *turn) answerText(u Understanding) Reply {
	q, _ := t.cat.Question(t.s.Current)
	if len(u.Uncovered) > 0 {
		t.note(NoteInfo, "%s isn't in my catalog, so I can't weigh it; pick the closest language or None of these.", strings.Join(u.Uncovered, ", "))
	}
	switch u.Intent {
	case IntentAnswer, IntentUnsure:
		return t.recordTyped(q, u)
	case IntentClarify:
		t.s.Pending = nil
		var offered []string
		for i, c := range u.Candidates {
			t.s.Pending = append(t.s.Pending, c.Option)
			o, _ := q.Option(c.Option)
			offered = append(offered, fmt.Sprintf("%d %s", i+1, o.Label))
		}
		t.changed = true
		t.note(NoteUnclear, "That fits more than one answer: %s. Which one is it? Reply with its number or its name.", strings.Join(offered, ", "))
	case IntentOther:
		t.unclear(q, u)
	}
	return t.ask()
}

// unclear says why a message answered nothing, and what would.
func (t *turn) unclear(q *catalog.Question, u Understanding) {
	switch {
	case len(u.Uncovered) > 0: // answerText has named them
	case u.OutOfRange:
		t.note(NoteUnclear, "Pick a number from 1 to %d.", len(q.Options))
	case u.Chat:
		t.note(NoteInfo, "Whenever you're ready: %s", strings.ToLower(q.Text[:1])+q.Text[1:])
	default:
		t.note(NoteUnclear, "I couldn't match that to an answer about %s. Reply with a number or a label (%s), ask me what the options mean, or say not sure, skip or help.", q.Short, optionList(q))
	}
}

// recordTyped records what a typed message answered, confirms it, and keeps a way back.
func (t *turn) recordTyped(q *catalog.Question, u Understanding) Reply {
	ids, answered := u.Answers[q.ID]
	var others []*catalog.Question // the other questions the text answers, in the catalog's order
	for qi := range t.cat.Questions {
		if oq := &t.cat.Questions[qi]; oq.ID != q.ID {
			if _, ok := u.Answers[oq.ID]; ok {
				others = append(others, oq)
			}
		}
	}
	// Answers are confirmed, with a note and an undo, unless the text was one answer taken as
	// typed; the state before is copied only then.
	n := len(others)
	if answered {
		n++
	}
	confirmed := n > 0 && (!u.Exact || n > 1)
	var before *Snapshot
	if confirmed || len(u.Unsure) > 0 {
		before = t.s.snapshot()
	}
	for _, oq := range others {
		t.s.setAnswer(oq.ID, u.Answers[oq.ID])
	}
	var unsure []string
	for _, qid := range u.Unsure {
		oq, _ := t.cat.Question(qid)
		t.s.setUnsure(qid)
		unsure = append(unsure, oq.Short)
	}
	t.changed = true
	if confirmed {
		saved := make([]string, 0, n)
		if answered {
			saved = append(saved, t.confirm(q, ids, u))
		}
		for _, oq := range others {
			saved = append(saved, t.confirm(oq, u.Answers[oq.ID], u))
		}
		t.note(NoteSaved, "Understood: %s.%s", strings.Join(saved, "; "), t.corrected(u))
		t.s.Undo, t.undo = before, true
	}
	if len(unsure) > 0 {
		t.note(NoteSaved, "Noted that you're not sure about %s: it counts as neutral, and the final checklist keeps it open.", strings.Join(unsure, ", "))
		t.s.Undo, t.undo = before, true
	}
	if len(u.Unresolved) > 0 {
		var names []string
		for _, qid := range u.Unresolved {
			oq, _ := t.cat.Question(qid)
			names = append(names, oq.Short)
		}
		t.note(NoteInfo, "I wasn't sure about %s, so I'll ask.", strings.Join(names, ", "))
	}
	switch {
	case answered:
		return t.record(q, ids)
	case t.s.unsure(q.ID):
		t.s.leave()
		r := t.advance()
		r.Answered = t.answeredOf(q)
		r.Answered.Unsure = true
		return r
	}
	return t.ask()
}

// confirm says what was recorded for q and how it was read: "team size: A small team (2-9), from
// 3 people".
func (t *turn) confirm(q *catalog.Question, ids []string, u Understanding) string {
	said := fact(q, ids)
	if r, ok := u.Readings[q.ID]; ok {
		said += ", from " + r
	}
	return said
}

// corrected names the typos read as other words.
func (t *turn) corrected(u Understanding) string {
	if len(u.Corrections) == 0 {
		return ""
	}
	var fixes []string
	for _, c := range u.Corrections {
		fixes = append(fixes, c.From+" → "+c.To)
	}
	return " (I read " + strings.Join(fixes, ", ") + ".)"
}

// explain answers a question back: what the question and its options mean. The open question
// stays open.
func (t *turn) explain(u Understanding) Reply {
	q, ok := t.cat.Question(u.Question)
	switch {
	case !ok && t.s.Finished:
		t.note(NoteInfo, shortlistAbove)
		return Reply{}
	case !ok:
		t.note(NoteInfo, "Ask me about any question of the checklist, e.g. what is a modular monolith? Say help for the commands.")
		return t.ask()
	}
	ex := &Explanation{Question: q.Text, Help: q.Help, Tradeoff: q.Tradeoff}
	for _, o := range q.Options {
		ex.Options = append(ex.Options, Meaning{Label: o.Label, Means: o.Means, Asked: slices.Contains(u.Focus, o.ID)})
	}
	var r Reply
	if !t.s.Finished {
		r = t.ask()
	}
	r.Explain = ex
	return r
}

// changeTyped applies a typed change: new answers, a cleared one, or a question to ask again.
func (t *turn) changeTyped(u Understanding) Reply {
	if len(u.Answers) == 0 {
		q, ok := t.cat.Question(u.Question)
		switch {
		case !ok:
			var names []string
			for i, q := range t.cat.Questions {
				names = append(names, fmt.Sprintf("%d %s", i+1, q.Short))
			}
			t.note(NoteUnclear, "I don't know which question that is. The questions are: %s. Say change <question> to <answer>.", strings.Join(names, ", "))
		case u.Unread:
			t.note(NoteUnclear, "I couldn't read that as an answer about %s. The options are: %s.", q.Short, optionList(q))
		default:
			return t.change(q)
		}
		if t.s.Finished {
			return Reply{}
		}
		return t.ask()
	}
	before := t.s.snapshot()
	var said []string
	var current *catalog.Question
	for qi := range t.cat.Questions {
		q := &t.cat.Questions[qi]
		ids, ok := u.Answers[q.ID]
		switch {
		case !ok:
			continue
		case len(ids) == 0:
			t.s.skip(q.ID)
			said = append(said, q.Short+": cleared (neutral)")
		case q.ID == t.s.Current:
			current = q
			said = append(said, t.confirm(q, ids, u))
			continue
		default:
			t.s.setAnswer(q.ID, ids)
			said = append(said, t.confirm(q, ids, u))
		}
	}
	t.changed = true
	t.note(NoteSaved, "Changed %s.%s", strings.Join(said, "; "), t.corrected(u))
	t.s.Undo, t.undo = before, true
	switch {
	case current != nil:
		return t.record(current, u.Answers[current.ID])
	case t.s.Finished:
		return t.result()
	case t.s.Current == "" || t.s.skipped(t.s.Current):
		t.s.leave()
		return t.advance()
	}
	return t.ask()
}

// undoLast restores the state before the last answers read from typed text; with none to take
// back it goes back a question, as "undo" always did.
func (t *turn) undoLast() Reply {
	if t.s.Undo == nil {
		return t.back()
	}
	before := t.s.Answers
	t.s.restore(t.s.Undo)
	t.s.Undo = nil
	t.changed = true
	var undone []string
	for qi := range t.cat.Questions {
		q := &t.cat.Questions[qi]
		if !slices.Equal(before[q.ID], t.s.Answers[q.ID]) {
			was := "unanswered"
			if t.s.answered(q.ID) {
				was = strings.Join(q.Labels(t.s.Answers[q.ID]), ", ")
			}
			undone = append(undone, q.Short+" is "+was+" again")
		}
	}
	if len(undone) == 0 {
		undone = []string{"nothing had changed"}
	}
	t.note(NoteSaved, "Undone: %s.", strings.Join(undone, "; "))
	if t.s.Finished {
		return t.result()
	}
	if t.s.Current == "" {
		return t.advance()
	}
	return t.ask()
}

// chosen returns the options of q among opts, in q's order.
func chosen(q *catalog.Question, opts []string) []string {
	var ids []string
	for _, o := range q.Options {
		if slices.Contains(opts, o.ID) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

func (t *turn) answerControl(q *catalog.Question, opts []string) Reply {
	ids, outcome := settle(q, chosen(q, opts))
	if outcome != parsedOK {
		if q.Kind == catalog.Several {
			t.note(NoteUnclear, "Tick at least one box before pressing Done, or skip the question.")
		} else {
			t.note(NoteUnclear, "Pick exactly one option, or skip the question.")
		}
		return t.ask()
	}
	return t.record(q, ids)
}

// record saves the answer to the current question and moves on.
func (t *turn) record(q *catalog.Question, ids []string) Reply {
	t.s.setAnswer(q.ID, ids)
	t.changed = true
	t.s.leave()
	r := t.advance()
	r.Answered = t.answeredOf(q)
	r.Answered.Answers = q.Labels(ids)
	return r
}

func (t *turn) skip() Reply {
	q, ok := t.cat.Question(t.s.Current)
	if !ok {
		t.note(NoteInfo, "There is no question to skip right now.")
		return Reply{}
	}
	t.s.skip(q.ID)
	t.changed = true
	t.s.leave()
	r := t.advance()
	r.Answered = t.answeredOf(q)
	r.Answered.Skipped = true
	return r
}

func (t *turn) back() Reply {
	n := len(t.s.History)
	if n == 0 {
		t.note(NoteInfo, "This is the first question; there is nothing to go back to.")
		return t.ask()
	}
	t.s.Current, t.s.History = t.s.History[n-1], t.s.History[:n-1]
	t.s.Pending = nil
	t.s.Finished = false
	t.changed = true
	return t.ask()
}

// change asks q again, to change its answer.
func (t *turn) change(q *catalog.Question) Reply {
	t.s.leave()
	t.s.Current, t.s.Finished = q.ID, false
	t.changed = true
	return t.ask()
}

// advance asks the first question not yet answered or skipped, or finishes when none is left.
func (t *turn) advance() Reply {
	if qid, ok := t.s.firstOpen(t.cat); ok {
		t.s.Current, t.s.Finished = qid, false
		return t.ask()
	}
	return t.finish()
}

func (t *turn) finish() Reply {
	t.s.leave()
	t.s.Finished = true
	t.changed = true
	if len(t.s.Answers) == 0 {
		t.note(NoteInfo, "You haven't answered any question, so this ranking is generic.")
	}
	return t.result()
}

// result shows the shortlist, how firm its top pick is and, first, what moved since the last
// shortlist the user was shown.
func (t *turn) result() Reply {
	res := t.model.Rank(t.s.Answers)
	f := t.model.Firmness(t.s.Answers)
	r := Reply{Result: &res, Firmness: &f}
	if t.s.Ranked == nil || !t.s.Ranked.Same(t.s.Answers) {
		if t.s.Ranked != nil {
			mv := t.model.Movement(t.s.Ranked, t.s.Answers)
			r.Movement = &mv
		}
		t.s.Ranked, t.aside = t.s.Answers.Clone(), true
	}
	for _, q := range t.cat.Questions {
		r.Questions = append(r.Questions, Choice{ID: q.ID, Label: q.Short})
	}
	return r
}

// ask returns a reply asking the current question, or an empty reply when there is none.
func (t *turn) ask() Reply {
	q, ok := t.cat.Question(t.s.Current)
	if !ok || !t.exists && !t.changed {
		return Reply{}
	}
	p := t.prompt(q)
	return Reply{Ask: &p}
}

// prompt is q as a question to show, with its current answer selected.
func (t *turn) prompt(q *catalog.Question) Prompt {
	p := Prompt{
		QuestionID: q.ID, Number: t.number(q.ID), Total: len(t.cat.Questions),
		Text: q.Text, Help: q.Help, Kind: q.Kind, CanGoBack: len(t.s.History) > 0,
		Choices: make([]Choice, 0, len(q.Options)),
	}
	for _, o := range q.Options {
		p.Choices = append(p.Choices, Choice{ID: o.ID, Label: o.Label, Selected: slices.Contains(t.s.Answers[q.ID], o.ID)})
	}
	return p
}

func (t *turn) status() *Status {
	st := &Status{Total: len(t.cat.Questions), Finished: t.s.Finished}
	for qi := range t.cat.Questions {
		q := &t.cat.Questions[qi]
		switch {
		case t.s.answered(q.ID):
			st.Answered = append(st.Answered, ranking.Fact{QuestionID: q.ID, Short: q.Short, Answers: q.Labels(t.s.Answers[q.ID])})
		case t.s.skipped(q.ID):
			st.Skipped = append(st.Skipped, q.Short)
		case t.s.unsure(q.ID):
			st.Unsure = append(st.Unsure, q.Short)
		default:
			st.Remaining = append(st.Remaining, q.Short)
		}
	}
	return st
}

// answeredOf is q as a question this turn answered, for the front end to show; the caller says
// how (answers, skipped or unsure). It was typed when the turn's input is typed text.
func (t *turn) answeredOf(q *catalog.Question) *Answered {
	return &Answered{QuestionID: q.ID, Number: t.number(q.ID), Total: len(t.cat.Questions), Text: q.Text, Short: q.Short, Typed: t.typed}
}

func (t *turn) number(qid string) int {
	for i, q := range t.cat.Questions {
		if q.ID == qid {
			return i + 1
		}
	}
	return 0
}

func fact(q *catalog.Question, ids []string) string {
	return q.Short + ": " + strings.Join(q.Labels(ids), ", ")
}

// optionList renders "1 A, 2 B, 3 C" for clarifying replies.
func optionList(q *catalog.Question) string {
	parts := make([]string, len(q.Options))
	for i, o := range q.Options {
		parts[i] = fmt.Sprintf("%d %s", i+1, o.Label)
	}
	return strings.Join(parts, ", ")
}
