package dialog_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
)

var alice = dialog.Key{Team: "T1", User: "U1"}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type harness struct {
	t     *testing.T
	cat   *catalog.Catalog
	store dialog.SessionStore
	clk   *clock
	eng   *dialog.Engine
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	cat, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}
	store := memstore.New(7*24*time.Hour, clk.now)
	return &harness{t: t, cat: cat, store: store, clk: clk, eng: dialog.New(cat, store, clk.now)}
}

func (h *harness) do(in dialog.Input) dialog.Reply {
	h.t.Helper()
	r, err := h.eng.Handle(context.Background(), alice, in)
	if err != nil {
		h.t.Fatalf("Handle(%+v): %v", in, err)
	}
	return r
}

func (h *harness) say(text string) dialog.Reply {
	h.t.Helper()
	return h.do(dialog.Input{Action: dialog.ActText, Text: text})
}

func (h *harness) start() dialog.Reply {
	h.t.Helper()
	return h.do(dialog.Input{Action: dialog.ActStart})
}

func (h *harness) session() dialog.Session {
	h.t.Helper()
	s, err := h.store.Load(context.Background(), alice)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func asking(t *testing.T, r dialog.Reply, qid string) {
	t.Helper()
	if r.Ask == nil || r.Ask.QuestionID != qid {
		t.Fatalf("reply asks %+v, want question %s; notes %v", r.Ask, qid, r.Notes)
	}
}

func hasNote(r dialog.Reply, kind dialog.NoteKind, substr string) bool {
	for _, n := range r.Notes {
		if n.Kind == kind && strings.Contains(n.Text, substr) {
			return true
		}
	}
	return false
}

func TestAFullConversationByNumbersEndsInAResult(t *testing.T) {
	h := newHarness(t)
	r := h.start()
	for i, q := range h.cat.Questions {
		asking(t, r, q.ID)
		if r.Ask.Number != i+1 || r.Ask.Total != len(h.cat.Questions) || len(r.Ask.Choices) != len(q.Options) {
			t.Fatalf("prompt %d = %+v", i+1, r.Ask)
		}
		r = h.say("1")
		if r.Answered == nil || r.Answered.QuestionID != q.ID || r.Answered.Answers[0] != q.Options[0].Label {
			t.Fatalf("after answering %s: Answered = %+v", q.ID, r.Answered)
		}
	}
	if r.Result == nil || r.Ask != nil {
		t.Fatalf("after the last answer: result %v, ask %+v", r.Result != nil, r.Ask)
	}
	s := h.session()
	if !s.Finished || len(s.Answers) != len(h.cat.Questions) || s.Step != len(h.cat.Questions)+1 {
		t.Fatalf("session = finished %v, %d answers, step %d", s.Finished, len(s.Answers), s.Step)
	}
	if r.Step != s.Step || r.Session != s.ID {
		t.Fatalf("reply carries step %d of %s, session is at %d of %s", r.Step, r.Session, s.Step, s.ID)
	}
}

// The promise: a 14-question checklist often takes five turns when the user writes freely.
func TestAFreeTextConversationTakesFiveTurns(t *testing.T) {
	h := newHarness(t)
	h.start()
	r := h.say("a B2B SaaS in Python, 4 devs, launch in 6 weeks, EU customers")
	if !hasNote(r, dialog.NoteSaved, "project: A SaaS product; languages: Python; team size: A small team (2-10); deadline: Within weeks; compliance: Regulated") {
		t.Fatalf("the description was not confirmed back: %v", r.Notes)
	}
	asking(t, r, "scale")
	r = h.say("thousands of users, fast responses matter, mostly CRUD plus background jobs, a modular monolith")
	asking(t, r, "hosting")
	r = h.say("kubernetes; batteries included; we're hiring; type safety is a must")
	asking(t, r, "footprint")
	r = h.say("cold starts don't matter")
	if r.Result == nil {
		t.Fatalf("five turns did not finish the checklist; asking %+v", r.Ask)
	}
	want := catalog.Answers{
		"project": {"saas"}, "languages": {"python"}, "team": {"small"}, "deadline": {"weeks"}, "compliance": {"regulated"},
		"scale": {"growing"}, "performance": {"important"}, "workload": {"crud", "batch"}, "architecture": {"modular"},
		"hosting": {"containers"}, "batteries": {"batteries"}, "hiring": {"yes"}, "typing": {"important"}, "footprint": {"no"},
	}
	got := h.session().Answers
	for q, opts := range want {
		if fmt.Sprint(got[q]) != fmt.Sprint(opts) {
			t.Errorf("%s = %v, want %v", q, got[q], opts)
		}
	}
}

func TestSkipBackAndChange(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")               // project: saas
	r := h.say("python, go") // languages
	asking(t, r, "team")

	r = h.say("skip")
	if r.Answered == nil || !r.Answered.Skipped || r.Answered.QuestionID != "team" {
		t.Fatalf("skip: Answered = %+v", r.Answered)
	}
	asking(t, r, "deadline")

	r = h.say("back")
	asking(t, r, "team")
	r = h.say("back")
	asking(t, r, "languages")
	var selected []string
	for _, c := range r.Ask.Choices {
		if c.Selected {
			selected = append(selected, c.ID)
		}
	}
	if fmt.Sprint(selected) != "[python go]" {
		t.Fatalf("going back shows %v as the current answer, want [python go]", selected)
	}
	r = h.say("typescript")
	asking(t, r, "deadline") // team stays skipped; deadline is the first open question
}

func TestBackReturnsToTheQuestionAskedBeforeAndAnsweringMovesOn(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")
	h.say("python")
	r := h.say("back")
	asking(t, r, "languages")
	r = h.say("typescript")
	asking(t, r, "team")
	if got := h.session().Answers["languages"]; fmt.Sprint(got) != "[typescript]" {
		t.Fatalf("languages = %v, want the new answer [typescript]", got)
	}
	r = h.say("back")
	asking(t, r, "languages")
	r = h.say("back")
	asking(t, r, "project")
	r = h.say("back")
	if !hasNote(r, dialog.NoteInfo, "first question") {
		t.Fatalf("back at the first question: %v", r.Notes)
	}
	asking(t, r, "project")
}

func TestSkippedQuestionsAreNotAskedAgain(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")
	h.say("python")
	r := h.say("skip") // team
	asking(t, r, "deadline")
	r = h.say("back")
	asking(t, r, "team")
	r = h.say("weeks") // not an answer about team size
	if !hasNote(r, dialog.NoteUnclear, "team size") {
		t.Fatalf("an answer to another question is not a team size: %v", r.Notes)
	}
	r = h.say("skip")
	asking(t, r, "deadline")
	st := h.do(dialog.Input{Action: dialog.ActStatus}).Status
	if fmt.Sprint(st.Skipped) != "[team size]" || len(st.Answered) != 2 {
		t.Fatalf("status = %+v", st)
	}
}

func TestChangeAnEarlierAnswer(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")
	h.say("python")
	r := h.say("change project to an MVP")
	if !hasNote(r, dialog.NoteSaved, "Changed project: An MVP or prototype") {
		t.Fatalf("change note missing: %v", r.Notes)
	}
	asking(t, r, "team")
	if r.Reask {
		t.Fatal("after a change the question must be shown again: its old controls are stale")
	}
	if got := h.session().Answers["project"]; fmt.Sprint(got) != "[mvp]" {
		t.Fatalf("project = %v", got)
	}

	r = h.say("change traffic to enormous amounts maybe")
	if !hasNote(r, dialog.NoteSaved, "traffic: Massive") {
		t.Fatalf("change by alias: %v", r.Notes)
	}
	r = h.say("change traffic to purple")
	if !hasNote(r, dialog.NoteUnclear, "The options are: 1 Small") {
		t.Fatalf("an unreadable change must list the options: %v", r.Notes)
	}
	if got := h.session().Answers["scale"]; fmt.Sprint(got) != "[massive]" {
		t.Fatalf("a refused change altered the answer: %v", got)
	}
	r = h.say("change 1") // ask question 1 again
	asking(t, r, "project")
	r = h.say("content site")
	asking(t, r, "team")
}

func TestChangeAfterTheResultReranks(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("an MVP")
	r := h.say("done")
	if r.Result == nil {
		t.Fatal("done did not rank")
	}
	before := r.Result.Shortlist[0].ID
	r = h.say("change project to gateway")
	if r.Result == nil || !hasNote(r, dialog.NoteSaved, "Changed project: A gateway") {
		t.Fatalf("a change after the result must re-rank: %+v", r)
	}
	if r.Result.Shortlist[0].ID == before {
		t.Fatalf("changing an MVP into a gateway left %s first", before)
	}
	r = h.say("what now?")
	if !hasNote(r, dialog.NoteInfo, "Your shortlist is above") {
		t.Fatalf("free text after the result: %v", r.Notes)
	}
	r = h.say("back")
	asking(t, r, "languages") // the question that was open when the user said done
}

func TestDoneWithNothingAnsweredGivesAGenericRanking(t *testing.T) {
	h := newHarness(t)
	h.start()
	r := h.say("done")
	if r.Result == nil || !hasNote(r, dialog.NoteInfo, "generic") || len(r.Result.Shortlist) != len(h.cat.Frameworks) {
		t.Fatalf("done at once = %+v", r)
	}
}

func TestUnclearAndAmbiguousAnswersExplainAndChangeNothing(t *testing.T) {
	h := newHarness(t)
	h.start()
	before := h.session()
	r := h.say("banana bread")
	if !hasNote(r, dialog.NoteUnclear, "1 An MVP or prototype, 2 A SaaS product") || !r.Reask {
		t.Fatalf("unclear answer: %+v", r)
	}
	h.say("2")
	h.say("python")
	r = h.say("small or large")
	if !hasNote(r, dialog.NoteUnclear, "A small team (2-10) or Several teams (10+)") {
		t.Fatalf("ambiguous answer: %v", r.Notes)
	}
	r = h.say("9")
	if !hasNote(r, dialog.NoteUnclear, "from 1 to 3") {
		t.Fatalf("out-of-range number: %v", r.Notes)
	}
	r = h.say("/giphy cats")
	if !hasNote(r, dialog.NoteRefused, "isn't a command I know") {
		t.Fatalf("unknown slash command: %v", r.Notes)
	}
	if s := h.session(); s.Version != before.Version+2 {
		t.Fatalf("unclear turns saved the session: version %d, want %d", s.Version, before.Version+2)
	}
}

func TestOverlongInputIsRefusedAndLosesNothing(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")
	before := h.session()
	r := h.say(strings.Repeat("é", dialog.MaxInputRunes+1))
	if !hasNote(r, dialog.NoteRefused, fmt.Sprintf("%d characters long; I read at most %d", dialog.MaxInputRunes+1, dialog.MaxInputRunes)) {
		t.Fatalf("overlong input: %v", r.Notes)
	}
	asking(t, r, "languages")
	if after := h.session(); after.Version != before.Version {
		t.Fatal("an overlong input changed the session")
	}
	r = h.say(strings.Repeat("x", dialog.MaxInputRunes-7) + " python")
	asking(t, r, "team") // exactly at the limit is read
}

func TestStaleAndDoubleClicksAreRecognised(t *testing.T) {
	h := newHarness(t)
	first := h.start()
	click := dialog.Input{Action: dialog.ActAnswer, Question: "project", Options: []string{"mvp"}, Session: first.Session, Step: first.Step}
	r := h.do(click)
	asking(t, r, "languages")
	before := h.session()

	_, err := h.eng.Handle(context.Background(), alice, click) // the same button again
	if !errors.Is(err, dialog.ErrStale) {
		t.Fatalf("double click = %v, want ErrStale", err)
	}
	old := click
	old.Question, old.Options = "languages", []string{"go"} // right question, old step
	if _, err := h.eng.Handle(context.Background(), alice, old); !errors.Is(err, dialog.ErrStale) {
		t.Fatalf("click from an earlier step = %v, want ErrStale", err)
	}
	h.say("restart")
	stale := dialog.Input{Action: dialog.ActSkip, Session: r.Session, Step: r.Step}
	if _, err := h.eng.Handle(context.Background(), alice, stale); !errors.Is(err, dialog.ErrStale) {
		t.Fatalf("click from a restarted conversation = %v, want ErrStale", err)
	}
	if after := h.session(); after.Answers["languages"] != nil || after.ID == before.ID {
		t.Fatalf("stale clicks changed the session: %+v", after)
	}
}

func TestControlsAnswerTheQuestion(t *testing.T) {
	h := newHarness(t)
	r := h.start()
	r = h.do(dialog.Input{Action: dialog.ActAnswer, Question: "project", Options: []string{"api"}, Session: r.Session, Step: r.Step})
	r2 := h.do(dialog.Input{Action: dialog.ActAnswer, Question: "languages", Options: nil, Session: r.Session, Step: r.Step})
	if !hasNote(r2, dialog.NoteUnclear, "Tick at least one box") {
		t.Fatalf("Done with nothing ticked: %v", r2.Notes)
	}
	r = h.do(dialog.Input{Action: dialog.ActAnswer, Question: "languages", Options: []string{"go", "none", "python"}, Session: r.Session, Step: r.Step})
	if got := h.session().Answers["languages"]; fmt.Sprint(got) != "[python go]" {
		t.Fatalf("languages from checkboxes = %v, want [python go] (none dropped, option order)", got)
	}
	r = h.do(dialog.Input{Action: dialog.ActSkip, Session: r.Session, Step: r.Step})
	r = h.do(dialog.Input{Action: dialog.ActFinish, Session: r.Session, Step: r.Step})
	if r.Result == nil {
		t.Fatal("Finish now did not rank")
	}
	r = h.do(dialog.Input{Action: dialog.ActChange, Question: "scale", Session: r.Session, Step: r.Step})
	asking(t, r, "scale")
}

func TestNoSessionAndExpiry(t *testing.T) {
	h := newHarness(t)
	if _, err := h.eng.Handle(context.Background(), alice, dialog.Input{Action: dialog.ActText, Text: "python"}); !errors.Is(err, dialog.ErrNoSession) {
		t.Fatalf("text before any conversation = %v, want ErrNoSession", err)
	}
	r := h.start()
	h.clk.advance(8 * 24 * time.Hour)
	click := dialog.Input{Action: dialog.ActAnswer, Question: "project", Options: []string{"mvp"}, Session: r.Session, Step: r.Step}
	if _, err := h.eng.Handle(context.Background(), alice, click); !errors.Is(err, dialog.ErrNoSession) {
		t.Fatalf("click on an expired conversation = %v, want ErrNoSession", err)
	}
}

func TestStartOffersToResumeAConversationInProgress(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")
	r := h.start()
	if r.Resume == nil || len(r.Resume.Answered) != 1 || r.Ask != nil {
		t.Fatalf("start with a conversation in progress = %+v", r)
	}
	r = h.do(dialog.Input{Action: dialog.ActResume, Session: r.Session, Step: r.Step})
	asking(t, r, "languages")
	if r.Reask {
		t.Fatal("resume must show the question afresh")
	}
	r = h.say("restart")
	asking(t, r, "project")
	if len(h.session().Answers) != 0 {
		t.Fatal("restart kept answers")
	}
	h.say("done")
	r = h.start() // a finished conversation is not "in progress": start a new one
	asking(t, r, "project")
}

func TestStartWithADescriptionPrefills(t *testing.T) {
	h := newHarness(t)
	r := h.do(dialog.Input{Action: dialog.ActStart, Text: "an AI product in Python on AWS Lambda"})
	if !hasNote(r, dialog.NoteSaved, "project: An AI, ML or data product; languages: Python; hosting: Serverless or edge") {
		t.Fatalf("opening description: %v", r.Notes)
	}
	asking(t, r, "team")
}

func TestHelpAndStatusDoNotChangeTheSession(t *testing.T) {
	h := newHarness(t)
	h.start()
	before := h.session()
	r := h.say("help")
	if len(r.Help) == 0 || !r.Reask {
		t.Fatalf("help = %+v", r)
	}
	r = h.say("status")
	if r.Status == nil || len(r.Status.Remaining) != len(h.cat.Questions) {
		t.Fatalf("status = %+v", r.Status)
	}
	if h.session().Version != before.Version {
		t.Fatal("help or status saved the session")
	}
}

// Racing turns of one user, as two replicas would run them, never lose an answer: every turn
// changes a different question, so all of them must be in the final session.
func TestRacingTurnsLoseNoAnswer(t *testing.T) {
	cat, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	var store dialog.SessionStore
	if redistest.Available(t) {
		store = redisstore.New(redistest.Start(t).Client(t), time.Hour, "stackpick:")
	} else {
		t.Log("redis-server is not on PATH: racing against the embedded store instead")
		store = memstore.New(time.Hour, time.Now)
	}
	eng := dialog.New(cat, store, time.Now)
	ctx := context.Background()
	if _, err := eng.Handle(ctx, alice, dialog.Input{Action: dialog.ActStart}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(cat.Questions))
	for _, q := range cat.Questions {
		wg.Add(1)
		go func(q catalog.Question) {
			defer wg.Done()
			_, err := eng.Handle(ctx, alice, dialog.Input{Action: dialog.ActText, Text: "change " + q.ID + " to " + q.Options[0].ID})
			errs <- err
		}(q)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := store.Load(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range cat.Questions {
		if got := s.Answers[q.ID]; len(got) != 1 || got[0] != q.Options[0].ID {
			t.Errorf("%s = %v after the race, want [%s]", q.ID, got, q.Options[0].ID)
		}
	}
}

// catalogRenaming loads the built-in config with question id renamed to newID, as an operator's
// edit and reload would.
func catalogRenaming(t *testing.T, id, newID string) *catalog.Catalog {
	t.Helper()
	files := fstest.MapFS{}
	for _, name := range []string{"catalog.yaml", "questions.yaml", "weights.yaml", "checklist.yaml"} {
		data, err := fs.ReadFile(config.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "- id: "+id+"\n", "- id: "+newID+"\n")
		text = regexp.MustCompile(`\b`+id+`:`).ReplaceAllString(text, newID+":")
		files[name] = &fstest.MapFile{Data: []byte(text)}
	}
	cat, err := catalog.Load(files, "config")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestAConversationCarriesOverAConfigReload(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2") // an answer to the first question, kept across the reload
	for h.session().Current != "typing" {
		h.do(dialog.Input{Action: dialog.ActSkip})
	}
	h.eng.SetCatalog(catalogRenaming(t, "typing", "static_typing"))

	r := h.say("help") // any turn: the open question is gone, so the next unanswered one is asked
	if r.Ask == nil || r.Ask.QuestionID != "static_typing" {
		t.Fatalf("after the reload the bot asks %+v, want static_typing", r.Ask)
	}
	h.say("important")
	if r = h.say("yes"); r.Result == nil || !r.Lifecycle.Completed {
		t.Fatalf("answering the last question gave %+v, want the shortlist", r)
	}
	s := h.session()
	if _, ok := s.Answers["typing"]; ok || slices.Contains(s.History, "typing") {
		t.Errorf("the renamed question is still in the session: %+v", s)
	}
	if len(s.Answers["project"]) != 1 || len(s.Answers["static_typing"]) != 1 {
		t.Errorf("answers lost across the reload: %v", s.Answers)
	}
}

func TestLifecycleMarksStartedCompletedAndAbandoned(t *testing.T) {
	h := newHarness(t)
	if r := h.start(); r.Lifecycle != (dialog.Lifecycle{Started: true}) {
		t.Errorf("start: %+v", r.Lifecycle)
	}
	if r := h.do(dialog.Input{Action: dialog.ActRestart}); r.Lifecycle != (dialog.Lifecycle{Started: true, Abandoned: true}) {
		t.Errorf("restart of an unfinished conversation: %+v", r.Lifecycle)
	}
	if r := h.say("done"); r.Lifecycle != (dialog.Lifecycle{Completed: true}) {
		t.Errorf("done: %+v", r.Lifecycle)
	}
	if r := h.say("change deadline to weeks"); r.Lifecycle != (dialog.Lifecycle{}) {
		t.Errorf("a change after the shortlist: %+v", r.Lifecycle)
	}
	if r := h.do(dialog.Input{Action: dialog.ActRestart}); r.Lifecycle != (dialog.Lifecycle{Started: true}) {
		t.Errorf("restart of a finished conversation: %+v", r.Lifecycle)
	}
}
