package dialog_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/dialog"
)

// run is one turn of a front end that delivers after the turn (Slack): shown says whether the
// reply reached the user; interrupted whether an earlier turn was left unfinished.
func (h *harness) run(in dialog.Input, shown, interrupted bool) dialog.Reply {
	h.t.Helper()
	st := dialog.Started{Interrupted: interrupted}
	s, err := h.store.Load(context.Background(), alice)
	st.Session, st.Exists = s, err == nil
	var delivered []dialog.Reply
	r, err := h.eng.Run(context.Background(), alice, in, st, func(_ context.Context, r dialog.Reply) dialog.Delivery {
		delivered = append(delivered, r)
		return dialog.Delivery{Shown: shown, View: []byte(`{"thread":"1"}`)}
	})
	if err != nil {
		h.t.Fatalf("Run(%+v): %v", in, err)
	}
	if len(delivered) != 1 {
		h.t.Fatalf("Run delivered %d replies, want 1", len(delivered))
	}
	return r
}

func notesOf(r dialog.Reply) string {
	var texts []string
	for _, n := range r.Notes {
		texts = append(texts, n.Text)
	}
	return strings.Join(texts, " | ")
}

// answer is a click on the first option of the question r asks, as a control rendered from r.
func answer(r dialog.Reply) dialog.Input {
	return dialog.Input{Action: dialog.ActAnswer, Session: r.Session, Step: r.Step, Question: r.Ask.QuestionID, Options: []string{r.Ask.Choices[0].ID}}
}

func TestTheSessionRecordsWhatTheUserWasShown(t *testing.T) {
	h := newHarness(t)
	q1 := h.run(dialog.Input{Action: dialog.ActStart}, true, false)
	if s := h.session(); s.Shown != s.Step || string(s.View) != `{"thread":"1"}` {
		t.Fatalf("after a delivered start, Shown %d of step %d, view %q; want the step shown and the view kept", s.Shown, s.Step, s.View)
	}
	h.run(answer(q1), false, false)
	s := h.session()
	if s.Shown >= s.Step || len(s.Answers[q1.Ask.QuestionID]) != 1 {
		t.Fatalf("after an answer whose reply never arrived: Shown %d, step %d, answers %v; want the answer saved and the user behind", s.Shown, s.Step, s.Answers)
	}
	// The console shows a reply as it returns: Handle counts it as shown.
	console := newHarness(t)
	console.start()
	console.say("1")
	if s := console.session(); s.Shown != s.Step {
		t.Fatalf("after a console turn, Shown %d of step %d", s.Shown, s.Step)
	}
}

func TestAUserBehindIsShownWhereTheConversationIsFirst(t *testing.T) {
	for _, tc := range []struct {
		name string
		next func(h *harness, q1, q2 dialog.Reply) dialog.Input
		note string
		// changes is the question the next input may answer; "" for none.
		changes bool
	}{
		{"typed text is not read against a question never seen", func(h *harness, q1, q2 dialog.Reply) dialog.Input {
			return dialog.Input{Action: dialog.ActText, Text: "2"}
		}, "Your answer to", false},
		{"a click on the question on screen applies to it", func(h *harness, q1, q2 dialog.Reply) dialog.Input {
			in := answer(q1)
			in.Options = []string{q1.Ask.Choices[1].ID}
			return in
		}, "Saved: ", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			q1 := h.run(dialog.Input{Action: dialog.ActStart}, true, false)
			q2 := h.run(answer(q1), false, false) // the post of question 2 failed
			before := h.session()
			r := h.run(tc.next(h, q1, q2), true, false)
			if !strings.Contains(notesOf(r), tc.note) || r.Ask == nil || r.Ask.QuestionID != q2.Ask.QuestionID || r.Reask {
				t.Fatalf("reply: notes %q, ask %+v (reask %v); want %q and question 2 shown afresh", notesOf(r), r.Ask, r.Reask, tc.note)
			}
			if r.Answered == nil || r.Answered.QuestionID != q1.Ask.QuestionID {
				t.Errorf("the reply does not mark question 1 answered: %+v", r.Answered)
			} else if r.Answered.Typed {
				t.Errorf("question 1 is marked answered by typing; its answer was not read from this input: %+v", r.Answered)
			}
			after := h.session()
			if after.Shown != after.Step {
				t.Errorf("after catching up, Shown %d of step %d", after.Shown, after.Step)
			}
			if _, ok := after.Answers[q2.Ask.QuestionID]; ok {
				t.Errorf("question 2, never seen, was answered: %v", after.Answers)
			}
			if changed := !slices.Equal(after.Answers[q1.Ask.QuestionID], before.Answers[q1.Ask.QuestionID]); changed != tc.changes {
				t.Errorf("question 1 went from %v to %v", before.Answers[q1.Ask.QuestionID], after.Answers[q1.Ask.QuestionID])
			}
		})
	}
}

// A click carries its step: one on the question whose post seemed to fail (Slack may post and
// still answer 5xx) shows the user saw it after all, and applies; one from a step the store never
// reached (its turn died before saving) applies nothing.
func TestClicksAreReadByTheirStep(t *testing.T) {
	h := newHarness(t)
	q1 := h.run(dialog.Input{Action: dialog.ActStart}, true, false)
	q2 := h.run(answer(q1), false, false)
	lost := answer(q2)
	lost.Step++
	if r := h.run(lost, true, false); !strings.Contains(notesOf(r), "I lost your last answer") || r.Ask == nil || r.Ask.QuestionID != q2.Ask.QuestionID {
		t.Fatalf("a click from a step never saved: notes %q, ask %+v", notesOf(r), r.Ask)
	}
	if _, ok := h.session().Answers[q2.Ask.QuestionID]; ok {
		t.Fatal("a click from a step never saved was applied")
	}
	q2 = h.run(dialog.Input{Action: dialog.ActResume, Session: q2.Session, Step: h.session().Step}, true, false)
	h.run(answer(q2), true, false)
	if s := h.session(); len(s.Answers[q2.Ask.QuestionID]) != 1 || s.Shown != s.Step {
		t.Fatalf("a click on the question shown = %v (Shown %d of %d); want it applied, the user in step", s.Answers, s.Shown, s.Step)
	}
}

func TestCommandsGoThroughWhileTheUserIsBehind(t *testing.T) {
	h := newHarness(t)
	q1 := h.run(dialog.Input{Action: dialog.ActStart}, true, false)
	h.run(answer(q1), false, false)
	if r := h.run(dialog.Input{Action: dialog.ActText, Text: "status"}, true, false); r.Status == nil {
		t.Fatalf("status while behind = %+v; want the status", r)
	}
	if s := h.session(); s.Shown == s.Step {
		t.Fatal("a status reply, which does not show the open question, counted as showing it")
	}
	if r := h.run(dialog.Input{Action: dialog.ActStart}, true, false); r.Resume == nil {
		t.Fatalf("/stackpick while behind = %+v; want the offer to resume", r)
	}
	if r := h.run(dialog.Input{Action: dialog.ActText, Text: "restart"}, true, false); !r.Lifecycle.Started {
		t.Fatalf("restart while behind did not start over: %+v", r)
	}
}

func TestAfterAnInterruptedTurnTypedTextIsNotGuessed(t *testing.T) {
	h := newHarness(t)
	q1 := h.run(dialog.Input{Action: dialog.ActStart}, true, false)
	r := h.run(dialog.Input{Action: dialog.ActText, Text: "1"}, true, true)
	if !strings.Contains(notesOf(r), "I was interrupted") || r.Ask == nil || r.Ask.QuestionID != q1.Ask.QuestionID || r.Reask {
		t.Fatalf("reply after an interrupted turn: notes %q, ask %+v; want the note and question 1 afresh", notesOf(r), r.Ask)
	}
	if s := h.session(); len(s.Answers) != 0 {
		t.Fatalf("typed text after an interrupted turn was read as %v", s.Answers)
	}
	// A click carries its step: it is exact, interrupted or not.
	h.run(answer(r), true, true)
	if s := h.session(); len(s.Answers[q1.Ask.QuestionID]) != 1 {
		t.Fatalf("a click on the question shown after an interrupted turn = %v; want it applied", s.Answers)
	}
}
