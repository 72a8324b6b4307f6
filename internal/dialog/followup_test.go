package dialog_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
)

// finished is a harness whose conversation reached its shortlist on a prototype: Beta first.
func finished(t *testing.T) (*harness, dialog.Reply) {
	t.Helper()
	h := newHarness(t)
	h.start()
	h.say("a prototype")
	r := h.say("done")
	if r.Result == nil || r.Result.Shortlist[0].ID != "beta" {
		t.Fatalf("the prototype's shortlist: %+v", r.Result)
	}
	return h, r
}

func TestAWhatIfMovesNothingSavedUntilKept(t *testing.T) {
	h, res := finished(t)
	before := h.session()
	r := h.say("what if the project is a proxy?")
	if r.Movement == nil || !r.Hypothetical || !r.Movement.TopChanged || r.WhatIf == "" {
		t.Fatalf("what-if reply: %+v", r)
	}
	after := h.session()
	if !equalAnswers(after.Answers, before.Answers) || after.Step != before.Step {
		t.Fatalf("a what-if changed the saved answers or the step: %v step %d, was %v step %d", after.Answers, after.Step, before.Answers, before.Step)
	}
	// The result's controls stay valid after a what-if: it did not move the step.
	if _, err := h.eng.Handle(context.Background(), alice, dialog.Input{Action: dialog.ActShow, Detail: dialog.DetailPlan, Session: res.Session, Step: res.Step}); err != nil {
		t.Fatalf("a control of the result after a what-if: %v", err)
	}
	kept := h.do(dialog.Input{Action: dialog.ActKeep, WhatIf: r.WhatIf, Session: r.Session, Step: r.Step})
	if kept.Movement == nil || kept.Hypothetical || kept.Result == nil || kept.Result.Shortlist[0].ID != "alpha" {
		t.Fatalf("keep: %+v", kept)
	}
	if got := h.session().Answers["project"]; !equalIDs(got, []string{"proxy"}) {
		t.Fatalf("kept project = %v", got)
	}
	if again := h.say("keep"); !hasNote(again, dialog.NoteInfo, "There is no what-if to keep") {
		t.Fatalf("a second keep: %v", again.Notes)
	}
}

func TestAKeepButtonKeepsOnlyItsOwnWhatIf(t *testing.T) {
	h, _ := finished(t)
	first := h.say("what if the project is a proxy?")
	second := h.say("what if the team is large?")
	if first.WhatIf == "" || second.WhatIf == "" {
		t.Fatalf("what-ifs not read: %v / %v", first.Notes, second.Notes)
	}
	if first.WhatIf == second.WhatIf {
		t.Fatalf("two what-ifs share a name: %q", first.WhatIf)
	}
	_, err := h.eng.Handle(context.Background(), alice, dialog.Input{Action: dialog.ActKeep, WhatIf: first.WhatIf, Session: first.Session, Step: first.Step})
	if !errors.Is(err, dialog.ErrStale) {
		t.Fatalf("keeping a what-if no longer on offer: %v, want ErrStale", err)
	}
	if got := h.session().Answers["project"]; !equalIDs(got, []string{"prototype"}) {
		t.Fatalf("a stale keep changed project to %v", got)
	}
}

func TestEveryChangeAfterTheShortlistSaysWhatMovedFirst(t *testing.T) {
	h, _ := finished(t)
	// Through the Change an answer menu: the question is asked again and answered, and the
	// conversation goes on to the questions still open until done.
	h.do(dialog.Input{Action: dialog.ActChange, Question: "project", Session: h.session().ID, Step: h.session().Step})
	h.say("3")
	r := h.say("done")
	if r.Result == nil || r.Movement == nil || !r.Movement.TopChanged {
		t.Fatalf("re-answering after the shortlist: %+v", r)
	}
	if !strings.Contains(r.Movement.Text(), "Alpha") || !strings.Contains(r.Movement.Text(), "now #1") {
		t.Errorf("what moved = %q", r.Movement.Text())
	}
	// Showing the same shortlist again says nothing moved: there is nothing new.
	if again := h.say("all"); again.Movement != nil {
		t.Errorf("showing the shortlist again moved: %q", again.Movement.Text())
	}
}

func TestAReviewAppliesEveryChangeAsOneTurn(t *testing.T) {
	h, res := finished(t)
	open := h.do(dialog.Input{Action: dialog.ActReview, Session: res.Session, Step: res.Step})
	if len(open.Review) != len(h.cat.Questions) {
		t.Fatalf("the review asks %d questions, want %d", len(open.Review), len(h.cat.Questions))
	}
	step := h.session().Step
	r := h.do(dialog.Input{Action: dialog.ActReview, Session: res.Session, Step: res.Step,
		Answers: catalog.Answers{"project": {"proxy"}, "team": {"large"}, "nope": {"x"}, "deadline": {"no-such-option"}}})
	s := h.session()
	if !equalIDs(s.Answers["project"], []string{"proxy"}) || !equalIDs(s.Answers["team"], []string{"large"}) || len(s.Answers["deadline"]) != 0 {
		t.Fatalf("reviewed answers: %v", s.Answers)
	}
	if s.Step != step+1 || r.Movement == nil || !hasNote(r, dialog.NoteSaved, "Changed") {
		t.Fatalf("a review is one turn that says what moved: step %d→%d, %+v", step, s.Step, r)
	}
	// The form was made for the shortlist before: submitted again, it is stale.
	_, err := h.eng.Handle(context.Background(), alice, dialog.Input{Action: dialog.ActReview, Session: res.Session, Step: res.Step, Answers: catalog.Answers{"team": {"solo"}}})
	if !errors.Is(err, dialog.ErrStale) {
		t.Fatalf("a stale review: %v, want ErrStale", err)
	}
}

func TestFollowUpsNeedAShortlist(t *testing.T) {
	h := newHarness(t)
	h.start()
	for _, text := range []string{"why not alpha", "how sure are you?", "export", "keep"} {
		r := h.say(text)
		if r.WhyNot != nil || r.Firmness != nil || r.Export != nil {
			t.Errorf("%q before the shortlist answered: %+v", text, r)
		}
	}
}

func TestWhyNotAndCompareFromTypedText(t *testing.T) {
	h, _ := finished(t)
	if r := h.say("why not alpha?"); r.WhyNot == nil || r.WhyNot.Entry.ID != "alpha" || r.WhyNot.Top.ID != "beta" {
		t.Fatalf("why not alpha: %+v", r.WhyNot)
	}
	if r := h.say("what about go?"); r.WhyNot == nil || r.WhyNot.Entry.ID != "alpha" || !hasNote(r, dialog.NoteInfo, "Your best Go option is Alpha") {
		t.Fatalf("what about go: %+v %v", r.WhyNot, r.Notes)
	}
	if r := h.say("why not zeta"); r.WhyNot != nil || !hasNote(r, dialog.NoteUnclear, "called zeta") {
		t.Fatalf("why not an unknown framework: %+v %v", r.WhyNot, r.Notes)
	}
	// One framework is set against the top pick, which comes first.
	if r := h.say("compare with gamma"); r.Compare == nil || r.Compare.A.ID != "beta" || r.Compare.B.ID != "gamma" {
		t.Fatalf("compare with gamma: %+v", r.Compare)
	}
	if r := h.say("alpha vs gamma"); r.Compare == nil || r.Compare.A.ID != "alpha" || r.Compare.B.ID != "gamma" {
		t.Fatalf("alpha vs gamma: %+v", r.Compare)
	}
}

func equalAnswers(a, b catalog.Answers) bool {
	if len(a) != len(b) {
		return false
	}
	for q, ids := range a {
		if !equalIDs(ids, b[q]) {
			return false
		}
	}
	return true
}

func equalIDs(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// Asked about a language whose every framework the organisation's radar holds, the answer is the
// radar's, not "no framework in that language".
func TestALanguageOnHoldIsExplainedByTheRadar(t *testing.T) {
	h, _ := finished(t)
	held := *h.cat
	held.Radar = map[string]catalog.Stance{"gamma": {Ring: catalog.Hold, Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Description: "No new Node services."}}
	h.eng.SetCatalog(&held)
	for _, ask := range []string{"what about typescript?", "why not gamma?"} {
		r := h.say(ask)
		if r.WhyNot == nil || r.WhyNot.Entry.ID != "gamma" || !strings.HasPrefix(r.WhyNot.Standing(), "Gamma is not considered: your organisation's radar puts Gamma on hold (2025-03-01): No new Node services.") {
			t.Errorf("%q: %+v, notes %v", ask, r.WhyNot, r.Notes)
		}
	}
}
