package dialog

import (
	"fmt"
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
	now    time.Time
	exists bool
	old    Session
	s      Session
	// changed means s must be saved; fresh means the question asked must be shown again even
	// though nothing changed (resume).
	changed bool
	fresh   bool
	notes   []Note
}

func (t *turn) note(kind NoteKind, format string, args ...any) {
	t.notes = append(t.notes, Note{Kind: kind, Text: fmt.Sprintf(format, args...)})
}

func (t *turn) apply(in Input) (Reply, error) {
	t.s = t.old.Clone()
	r, err := t.dispatch(in)
	if err != nil {
		return Reply{}, err
	}
	r.Notes = append(t.notes, r.Notes...)
	r.Reask = r.Ask != nil && !t.changed && !t.fresh
	return r, nil
}

func (t *turn) dispatch(in Input) (Reply, error) {
	if n := utf8.RuneCountInString(in.Text); n > MaxInputRunes {
		t.note(NoteRefused, "That message is %d characters long; I read at most %d. Please send a shorter one.", n, MaxInputRunes)
		return t.ask(), nil
	}
	if in.Action == ActStart {
		return t.start(in.Text), nil
	}
	if !t.exists {
		return Reply{}, ErrNoSession
	}
	if in.Session != "" && (in.Session != t.old.ID || in.Step != t.old.Step) {
		return Reply{}, ErrStale
	}
	switch in.Action {
	case ActText:
		return t.text(in.Text), nil
	case ActAnswer:
		q, ok := t.cat.Question(in.Question)
		if !ok || q.ID != t.s.Current {
			return Reply{}, ErrStale
		}
		return t.answerControl(q, in.Options), nil
	case ActChange:
		q, ok := t.cat.Question(in.Question)
		if !ok {
			// The control was made for a catalog that had this question; a reload removed it.
			return Reply{}, fmt.Errorf("change question %q, which the catalog no longer has: %w", in.Question, ErrStale)
		}
		return t.change(q, ""), nil
	}
	return t.command(in.Action), nil
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
		r := t.ask()
		r.Status = t.status()
		return r
	case ActHelp:
		r := t.ask()
		r.Help = Commands()
		return r
	}
	t.note(NoteRefused, "I can't do that here. Say help for what I understand.")
	return t.ask()
}

// start begins a conversation, or offers to resume one in progress.
func (t *turn) start(description string) Reply {
	if t.exists && !t.s.Finished && (len(t.s.Answers) > 0 || len(t.s.Skipped) > 0) {
		return Reply{Resume: t.status()}
	}
	t.note(NoteInfo, "Let's find the right backend framework for you. I have %d short questions. Answer with a button, a number, a label or in your own words; you can also describe your project in a sentence or two and I'll fill in what I can. Say help at any time.", len(t.cat.Questions))
	r := t.begin()
	if strings.TrimSpace(description) != "" {
		return t.answerText(description)
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
	if looksLikeSlashCommand(raw) {
		t.note(NoteRefused, "That isn't a command I know. Say help for the list.")
		return t.ask()
	}
	if cmd, ok := parseCommand(raw); ok {
		if cmd.action != ActChange {
			return t.command(cmd.action)
		}
		if q, ok := findQuestion(t.cat, cmd.question); ok {
			return t.change(q, cmd.answer)
		}
		// "set up microservices" is an answer, not a change of a question called "up".
	}
	if t.s.Finished {
		t.note(NoteInfo, "Your shortlist is above. Say change <question> to <answer> to adjust it, back to revisit the last question, or restart to begin again.")
		return Reply{}
	}
	return t.answerText(raw)
}

// answerText reads free text as the answer to the current question, and picks up any other
// unanswered question the text clearly settles.
func (t *turn) answerText(raw string) Reply {
	q, _ := t.cat.Question(t.s.Current)
	ids, outcome := parseAnswer(q, raw)
	others, unsure := extract(t.cat, raw, func(qid string) bool { return qid != q.ID && !t.s.answered(qid) })
	if len(others) > 0 {
		t.changed = true
		var noted []string
		if outcome == parsedOK {
			noted = append(noted, fact(q, ids))
		}
		for qi := range t.cat.Questions {
			oq := &t.cat.Questions[qi]
			if opts, ok := others[oq.ID]; ok {
				t.s.setAnswer(oq.ID, opts)
				noted = append(noted, fact(oq, opts))
			}
		}
		t.note(NoteSaved, "Noted from your message: %s. Say change <question> to <answer> if I got any of it wrong.", strings.Join(noted, "; "))
	}
	if len(unsure) > 0 {
		t.note(NoteInfo, "I wasn't sure about %s, so I'll ask.", strings.Join(unsure, ", "))
	}
	switch outcome {
	case parsedOK:
		return t.record(q, ids)
	case parsedAmbiguous:
		t.note(NoteUnclear, "That fits more than one answer: %s. Which one is it?", strings.Join(q.Labels(ids), " or "))
	case parsedOutOfRange:
		t.note(NoteUnclear, "Pick a number from 1 to %d.", len(q.Options))
	default:
		if len(others) == 0 {
			t.note(NoteUnclear, "I couldn't match that to an answer about %s. Reply with a number or a label (%s), or say skip, back or help.", q.Short, optionList(q))
		}
	}
	return t.ask()
}

func (t *turn) answerControl(q *catalog.Question, opts []string) Reply {
	var ids []string
	for _, o := range q.Options {
		for _, id := range opts {
			if id == o.ID {
				ids = append(ids, id)
				break
			}
		}
	}
	ids, outcome := settle(q, ids)
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
	r.Answered = &Answered{QuestionID: q.ID, Number: t.number(q.ID), Total: len(t.cat.Questions), Text: q.Text, Answers: q.Labels(ids)}
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
	r.Answered = &Answered{QuestionID: q.ID, Number: t.number(q.ID), Total: len(t.cat.Questions), Text: q.Text, Skipped: true}
	return r
}

func (t *turn) back() Reply {
	n := len(t.s.History)
	if n == 0 {
		t.note(NoteInfo, "This is the first question; there is nothing to go back to.")
		return t.ask()
	}
	t.s.Current, t.s.History = t.s.History[n-1], t.s.History[:n-1]
	t.s.Finished = false
	t.changed = true
	return t.ask()
}

// change sets the answer of q from typed text, or asks q again when text is empty.
func (t *turn) change(q *catalog.Question, text string) Reply {
	if text == "" {
		t.s.leave()
		t.s.Current, t.s.Finished = q.ID, false
		t.changed = true
		return t.ask()
	}
	ids, outcome := parseAnswer(q, text)
	if outcome != parsedOK {
		t.note(NoteUnclear, "I couldn't read that as an answer about %s. The options are: %s.", q.Short, optionList(q))
		if t.s.Finished {
			return Reply{}
		}
		return t.ask()
	}
	t.note(NoteSaved, "Changed %s.", fact(q, ids))
	if q.ID == t.s.Current {
		return t.record(q, ids)
	}
	t.s.setAnswer(q.ID, ids)
	t.changed = true
	if t.s.Finished {
		return t.result()
	}
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

func (t *turn) result() Reply {
	res := t.model.Rank(t.s.Answers)
	r := Reply{Result: &res}
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
	p := &Prompt{
		QuestionID: q.ID, Number: t.number(q.ID), Total: len(t.cat.Questions),
		Text: q.Text, Help: q.Help, Kind: q.Kind, CanGoBack: len(t.s.History) > 0,
	}
	chosen := t.s.Answers[q.ID]
	for _, o := range q.Options {
		sel := false
		for _, id := range chosen {
			sel = sel || id == o.ID
		}
		p.Choices = append(p.Choices, Choice{ID: o.ID, Label: o.Label, Selected: sel})
	}
	return Reply{Ask: p}
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
		default:
			st.Remaining = append(st.Remaining, q.Short)
		}
	}
	return st
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
