package dialog_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
)

// These tests run on the small catalog in testdata/catalog, never on the shipped config: a retune
// of config/*.yaml must not break them. The question and option ids they name are the fixture's;
// counts, labels and numbers are read from the catalog loaded. Expectations about the shipped
// words live in the acceptance suite under config/.

// fixtureDir holds the catalog the dialog tests run on.
const fixtureDir = "testdata/catalog"

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

// loadFixture loads the dialog tests' catalog.
func loadFixture(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.LoadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

type harness struct {
	t     *testing.T
	cat   *catalog.Catalog
	store dialog.SessionStore
	clk   *clock
	eng   *dialog.Engine
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	cat := loadFixture(t)
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

// question returns the fixture's question qid.
func (h *harness) question(qid string) *catalog.Question {
	h.t.Helper()
	q, ok := h.cat.Question(qid)
	if !ok {
		h.t.Fatalf("the fixture has no question %q", qid)
	}
	return q
}

// label returns the label of option oid of question qid.
func (h *harness) label(qid, oid string) string {
	h.t.Helper()
	o, ok := h.question(qid).Option(oid)
	if !ok {
		h.t.Fatalf("question %q has no option %q", qid, oid)
	}
	return o.Label
}

// fact is how notes and summaries name an answer: "<short>: <label>, <label>".
func (h *harness) fact(qid string, oids ...string) string {
	h.t.Helper()
	return h.question(qid).Short + ": " + strings.Join(h.question(qid).Labels(oids), ", ")
}

// optionList is how clarifying notes list a question's options: "1 <label>, 2 <label>".
func (h *harness) optionList(qid string) string {
	h.t.Helper()
	var parts []string
	for i, o := range h.question(qid).Options {
		parts = append(parts, fmt.Sprintf("%d %s", i+1, o.Label))
	}
	return strings.Join(parts, ", ")
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
	if !hasNote(r, dialog.NoteInfo, fmt.Sprintf("I have %d short questions", len(h.cat.Questions))) {
		t.Errorf("the welcome does not count the catalog's questions: %v", r.Notes)
	}
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

// Free text settles several questions per turn: every answer a message names is saved,
// confirmed back in checklist order, and the conversation ends once nothing is left to ask.
func TestAFreeTextConversationSettlesSeveralQuestionsPerTurn(t *testing.T) {
	h := newHarness(t)
	h.start()
	r := h.say("a prototype in Python, 3 devs, ship in 2 weeks")
	noted := strings.Join([]string{
		h.fact("project", "prototype"), h.fact("languages", "python"), h.fact("team", "small") + ", from 3 people",
		h.fact("deadline", "weeks") + ", from about 2 weeks",
	}, "; ")
	if !hasNote(r, dialog.NoteSaved, "Understood: "+noted+".") || !r.Undo {
		t.Fatalf("the description was not confirmed back as %q: %v", noted, r.Notes)
	}
	asking(t, r, "architecture")
	r = h.say("a modular monolith, and we're hiring")
	asking(t, r, "startup")
	r = h.say("boot time doesn't matter")
	if r.Result == nil {
		t.Fatalf("three turns did not finish the checklist; asking %+v", r.Ask)
	}
	want := catalog.Answers{
		"project": {"prototype"}, "languages": {"python"}, "team": {"small"}, "deadline": {"weeks"},
		"architecture": {"modular"}, "hiring": {"yes"}, "startup": {"no"},
	}
	if got := h.session().Answers; !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("answers = %v, want %v", got, want)
	}
}

func TestSkipBackAndChange(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")               // project
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
	if fmt.Sprint(selected) != "[go python]" {
		t.Fatalf("going back shows %v as the current answer, want [go python] (option order)", selected)
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
	r = h.say("weeks") // a deadline's synonym, not an answer about team size
	if !hasNote(r, dialog.NoteUnclear, h.question("team").Short) {
		t.Fatalf("an answer to another question is not a team size: %v", r.Notes)
	}
	r = h.say("skip")
	asking(t, r, "deadline")
	st := h.do(dialog.Input{Action: dialog.ActStatus}).Status
	if !slices.Equal(st.Skipped, []string{h.question("team").Short}) || len(st.Answered) != 2 {
		t.Fatalf("status = %+v", st)
	}
}

func TestChangeAnEarlierAnswer(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2")
	h.say("python")
	r := h.say("change building to a throwaway demo") // by alias, answered with a cue
	if !hasNote(r, dialog.NoteSaved, "Changed "+h.fact("project", "prototype")) {
		t.Fatalf("change note missing: %v", r.Notes)
	}
	asking(t, r, "team")
	if r.Reask {
		t.Fatal("after a change the question must be shown again: its old controls are stale")
	}
	if got := h.session().Answers["project"]; fmt.Sprint(got) != "[prototype]" {
		t.Fatalf("project = %v", got)
	}

	r = h.say("change boot to it matters a lot") // a question not reached yet, a synonym inside the text
	if !hasNote(r, dialog.NoteSaved, h.fact("startup", "yes")) {
		t.Fatalf("change by alias: %v", r.Notes)
	}
	r = h.say("change boot to purple")
	if !hasNote(r, dialog.NoteUnclear, "The options are: "+h.optionList("startup")) {
		t.Fatalf("an unreadable change must list the options: %v", r.Notes)
	}
	if got := h.session().Answers["startup"]; fmt.Sprint(got) != "[yes]" {
		t.Fatalf("a refused change altered the answer: %v", got)
	}
	r = h.say("change 1") // ask question 1 again
	asking(t, r, "project")
	r = h.say("a json service")
	asking(t, r, "team")
	if got := h.session().Answers["project"]; fmt.Sprint(got) != "[service]" {
		t.Fatalf("project = %v after answering it again", got)
	}
}

func TestChangeAfterTheResultReranks(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("a prototype")
	r := h.say("done")
	if r.Result == nil {
		t.Fatal("done did not rank")
	}
	// The fixture's prototype answer weighs delivery and a recommendation picks beta for it; its
	// proxy answer weighs speed and one picks alpha, rated at the other extremes.
	if got := r.Result.Shortlist[0].ID; got != "beta" {
		t.Fatalf("a prototype ranks %s first, want beta", got)
	}
	r = h.say("change project to proxy")
	if r.Result == nil || !hasNote(r, dialog.NoteSaved, "Changed "+h.fact("project", "proxy")) {
		t.Fatalf("a change after the result must re-rank: %+v", r)
	}
	if got := r.Result.Shortlist[0].ID; got != "alpha" {
		t.Fatalf("changing a prototype into a proxy ranks %s first, want alpha", got)
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
	if !hasNote(r, dialog.NoteUnclear, h.optionList("project")) || !r.Reask {
		t.Fatalf("unclear answer: %+v", r)
	}
	h.say("2")
	h.say("python")
	r = h.say("small or large")
	if !hasNote(r, dialog.NoteUnclear, "1 "+h.label("team", "small")+", 2 "+h.label("team", "large")) {
		t.Fatalf("ambiguous answer: %v", r.Notes)
	}
	tooHigh := len(h.question("team").Options) + 1
	r = h.say(fmt.Sprint("option ", tooHigh)) // a bare number at the team question is a head count
	if !hasNote(r, dialog.NoteUnclear, fmt.Sprintf("from 1 to %d", tooHigh-1)) {
		t.Fatalf("out-of-range number: %v", r.Notes)
	}
	r = h.say("/giphy cats")
	if !hasNote(r, dialog.NoteRefused, "isn't a command I know") {
		t.Fatalf("unknown slash command: %v", r.Notes)
	}
	// Saved: the two answers, the clarification offered and its clearing by the next reply.
	if s := h.session(); s.Version != before.Version+4 {
		t.Fatalf("unclear turns saved the session: version %d, want %d", s.Version, before.Version+4)
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
	click := dialog.Input{Action: dialog.ActAnswer, Question: "project", Options: []string{"prototype"}, Session: first.Session, Step: first.Step}
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
	r = h.do(dialog.Input{Action: dialog.ActAnswer, Question: "project", Options: []string{"service"}, Session: r.Session, Step: r.Step})
	r2 := h.do(dialog.Input{Action: dialog.ActAnswer, Question: "languages", Options: nil, Session: r.Session, Step: r.Step})
	if !hasNote(r2, dialog.NoteUnclear, "Tick at least one box") {
		t.Fatalf("Done with nothing ticked: %v", r2.Notes)
	}
	r = h.do(dialog.Input{Action: dialog.ActAnswer, Question: "languages", Options: []string{"python", "none", "go"}, Session: r.Session, Step: r.Step})
	if got := h.session().Answers["languages"]; fmt.Sprint(got) != "[go python]" {
		t.Fatalf("languages from checkboxes = %v, want [go python] (none dropped, option order)", got)
	}
	r = h.do(dialog.Input{Action: dialog.ActSkip, Session: r.Session, Step: r.Step})
	r = h.do(dialog.Input{Action: dialog.ActFinish, Session: r.Session, Step: r.Step})
	if r.Result == nil {
		t.Fatal("Finish now did not rank")
	}
	r = h.do(dialog.Input{Action: dialog.ActChange, Question: "deadline", Session: r.Session, Step: r.Step})
	asking(t, r, "deadline")
}

// The answered question says whether its answer was read from a typed message, so a front end
// can confirm the reading instead of editing the question's message, and which question it was.
func TestAnAnswerSaysWhetherItWasTyped(t *testing.T) {
	for _, tc := range []struct {
		name string
		// turn answers the open question (project, then languages after the first answer).
		turn  func(h *harness, r dialog.Reply) dialog.Reply
		qid   string
		typed bool
	}{
		{"a typed number", func(h *harness, _ dialog.Reply) dialog.Reply { return h.say("1") }, "project", true},
		{"own words", func(h *harness, _ dialog.Reply) dialog.Reply { return h.say("a prototype") }, "project", true},
		{"a typed skip", func(h *harness, _ dialog.Reply) dialog.Reply { return h.say("skip") }, "project", true},
		{"a typed doubt", func(h *harness, _ dialog.Reply) dialog.Reply { return h.say("not sure") }, "project", true},
		{"a typed change of the open question", func(h *harness, r dialog.Reply) dialog.Reply {
			h.do(answer(r))
			return h.say("change languages to go")
		}, "languages", true},
		{"a description sent with the start", func(h *harness, _ dialog.Reply) dialog.Reply {
			return h.do(dialog.Input{Action: dialog.ActStart, Text: "a prototype"})
		}, "project", true},
		{"a click", func(h *harness, r dialog.Reply) dialog.Reply { return h.do(answer(r)) }, "project", false},
		{"the Skip button", func(h *harness, r dialog.Reply) dialog.Reply {
			return h.do(dialog.Input{Action: dialog.ActSkip, Session: r.Session, Step: r.Step})
		}, "project", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			r := tc.turn(h, h.start())
			a := r.Answered
			if a == nil || a.QuestionID != tc.qid || a.Short != h.question(tc.qid).Short || a.Typed != tc.typed {
				t.Fatalf("Answered = %+v; want %s (%q), typed %v", a, tc.qid, h.question(tc.qid).Short, tc.typed)
			}
		})
	}
}

func TestNoSessionAndExpiry(t *testing.T) {
	h := newHarness(t)
	if _, err := h.eng.Handle(context.Background(), alice, dialog.Input{Action: dialog.ActText, Text: "python"}); !errors.Is(err, dialog.ErrNoSession) {
		t.Fatalf("text before any conversation = %v, want ErrNoSession", err)
	}
	r := h.start()
	h.clk.advance(8 * 24 * time.Hour)
	click := dialog.Input{Action: dialog.ActAnswer, Question: "project", Options: []string{"prototype"}, Session: r.Session, Step: r.Step}
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
	h.say("no idea") // only a doubt so far: still a conversation in progress
	if r = h.start(); r.Resume == nil || len(r.Resume.Unsure) != 1 {
		t.Fatalf("start after a doubt = %+v, want an offer to resume showing it", r)
	}
	h.say("done")
	r = h.start() // a finished conversation is not "in progress": start a new one
	asking(t, r, "project")
}

func TestStartWithADescriptionPrefills(t *testing.T) {
	h := newHarness(t)
	r := h.do(dialog.Input{Action: dialog.ActStart, Text: "a reverse proxy in TypeScript for a big team"})
	noted := strings.Join([]string{h.fact("project", "proxy"), h.fact("languages", "typescript"), h.fact("team", "large")}, "; ")
	if !hasNote(r, dialog.NoteSaved, noted) {
		t.Fatalf("opening description not confirmed as %q: %v", noted, r.Notes)
	}
	asking(t, r, "deadline")
}

// A message that names two options of an unanswered one-choice question records neither and
// says so; the rest of the message still counts.
func TestADescriptionInDoubtIsAskedLater(t *testing.T) {
	h := newHarness(t)
	h.start()
	r := h.say("python; a small team, maybe a big team later")
	if !hasNote(r, dialog.NoteInfo, "I wasn't sure about "+h.question("team").Short+", so I'll ask.") {
		t.Fatalf("the doubt was not reported: %v", r.Notes)
	}
	asking(t, r, "project")
	s := h.session()
	if !slices.Equal(s.Answers["languages"], []string{"python"}) || s.Answers["team"] != nil {
		t.Fatalf("answers = %v, want languages only", s.Answers)
	}
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
	if r.Status == nil || len(r.Status.Remaining) != len(h.cat.Questions) || r.Status.Total != len(h.cat.Questions) {
		t.Fatalf("status = %+v", r.Status)
	}
	if h.session().Version != before.Version {
		t.Fatal("help or status saved the session")
	}
}

// Racing turns of one user, as two replicas would run them, never lose an answer: every turn
// changes a different question, so all of them must be in the final session.
func TestRacingTurnsLoseNoAnswer(t *testing.T) {
	cat := loadFixture(t)
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

// catalogRenaming loads the fixture catalog with question id renamed to newID everywhere it is
// referred to, as an operator's edit and reload would.
func catalogRenaming(t *testing.T, id, newID string) *catalog.Catalog {
	t.Helper()
	files := fstest.MapFS{}
	for _, name := range catalog.Files {
		data, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "- id: "+id+"\n", "- id: "+newID+"\n")
		text = strings.ReplaceAll(text, "question: "+id+"\n", "question: "+newID+"\n")
		text = regexp.MustCompile(`\b`+id+`:`).ReplaceAllString(text, newID+":")
		files[name] = &fstest.MapFile{Data: []byte(text)}
	}
	cat, err := catalog.Load(files, "config")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cat.Question(newID); !ok {
		t.Fatalf("renaming %s to %s left no question %s", id, newID, newID)
	}
	return cat
}

func TestAConversationCarriesOverAConfigReload(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.say("2") // an answer to the first question, kept across the reload
	// The open question is renamed; one question is left after it.
	renamed := h.cat.Questions[len(h.cat.Questions)-2].ID
	for h.session().Current != renamed {
		h.do(dialog.Input{Action: dialog.ActSkip})
	}
	h.eng.SetCatalog(catalogRenaming(t, renamed, "renamed"))

	r := h.say("help") // any turn: the open question is gone, so the next unanswered one is asked
	if r.Ask == nil || r.Ask.QuestionID != "renamed" {
		t.Fatalf("after the reload the bot asks %+v, want the renamed question", r.Ask)
	}
	h.say("1")
	if r = h.say("1"); r.Result == nil || !r.Lifecycle.Completed {
		t.Fatalf("answering the last question gave %+v, want the shortlist", r)
	}
	s := h.session()
	if _, ok := s.Answers[renamed]; ok || slices.Contains(s.History, renamed) || slices.Contains(s.Skipped, renamed) {
		t.Errorf("the renamed question %s is still in the session: %+v", renamed, s)
	}
	first := h.cat.Questions[0].ID
	if len(s.Answers[first]) != 1 || len(s.Answers["renamed"]) != 1 {
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

// An answer taken as typed needs no confirming: no note, and nothing kept to undo. Answers read
// from a sentence are confirmed, and the state before them is kept until undone.
func TestOnlyAnswersReadFromTextKeepAnUndo(t *testing.T) {
	h := newHarness(t)
	h.start()
	r := h.say("2")
	if len(r.Notes) > 0 || r.Undo || h.session().Undo != nil {
		t.Fatalf(`"2" at the first question: notes %v, undo offered %v, undo kept %+v; want none`, r.Notes, r.Undo, h.session().Undo)
	}
	before := h.session()
	r = h.say("python and go, we're 3 devs")
	if !r.Undo || !hasNote(r, dialog.NoteSaved, "Understood: ") {
		t.Fatalf("a sentence answering two questions was not confirmed: notes %v, undo %v", r.Notes, r.Undo)
	}
	undo := h.session().Undo
	if undo == nil || !maps.EqualFunc(undo.Answers, before.Answers, slices.Equal) || undo.Current != before.Current || !slices.Equal(undo.History, before.History) {
		t.Fatalf("the undo kept %+v, want the state before the sentence: answers %v, at %q after %v", undo, before.Answers, before.Current, before.History)
	}
	h.do(dialog.Input{Action: dialog.ActUndo, Session: r.Session, Step: r.Step})
	if s := h.session(); !maps.EqualFunc(s.Answers, before.Answers, slices.Equal) || s.Current != before.Current {
		t.Errorf("after undo: answers %v at %q, want %v at %q", s.Answers, s.Current, before.Answers, before.Current)
	}
}
