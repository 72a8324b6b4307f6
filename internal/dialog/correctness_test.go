package dialog_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/ranking"
)

// correctnessCatalog loads the fixture catalog in internal/catalog/testdata/valid, with every
// occurrence of each key of replace in its files replaced by the value: a config reload that
// renames a question or a framework.
func correctnessCatalog(t *testing.T, replace ...string) *catalog.Catalog {
	t.Helper()
	const dir = "../catalog/testdata/valid"
	r := strings.NewReplacer(replace...)
	fsys := fstest.MapFS{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := fs.ReadFile(os.DirFS(dir), e.Name())
		if err != nil {
			t.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: []byte(r.Replace(string(data)))}
	}
	c, err := catalog.Load(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// correctnessEngine is an engine on an in-memory store with a clock that moves a millisecond
// per reading.
func correctnessEngine(cat *catalog.Catalog) (*dialog.Engine, dialog.SessionStore) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { t0 = t0.Add(time.Millisecond); return t0 }
	store := memstore.New(time.Hour, now)
	return dialog.New(cat, store, now), store
}

// finishConversation answers the first option of every question of cat and returns the reply
// with the shortlist.
func finishConversation(t *testing.T, eng *dialog.Engine, k dialog.Key, cat *catalog.Catalog) dialog.Reply {
	t.Helper()
	r, err := eng.Handle(context.Background(), k, dialog.Input{Action: dialog.ActStart})
	for err == nil && r.Ask != nil {
		q, _ := cat.Question(r.Ask.QuestionID)
		r, err = eng.Handle(context.Background(), k, dialog.Input{
			Action: dialog.ActAnswer, Question: q.ID, Options: []string{q.Options[0].ID}, Session: r.Session, Step: r.Step,
		})
	}
	if err != nil || r.Result == nil {
		t.Fatalf("no shortlist after answering every question: %+v, %v", r, err)
	}
	return r
}

func TestAChangeButtonForAQuestionAReloadRemovedIsStale(t *testing.T) {
	k := dialog.Key{Team: "T1", User: "U-change"}
	cat := correctnessCatalog(t)
	eng, store := correctnessEngine(cat)
	done := finishConversation(t, eng, k, cat)
	gone := cat.Questions[len(cat.Questions)-1].ID
	before, err := store.Load(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}

	// The reload renames the question the result's change button names.
	eng.SetCatalog(correctnessCatalog(t, gone, gone+"_renamed"))
	_, err = eng.Handle(context.Background(), k, dialog.Input{Action: dialog.ActChange, Question: gone, Session: done.Session, Step: done.Step})
	if !errors.Is(err, dialog.ErrStale) {
		t.Fatalf("change %q after a reload removed it: err = %v, want ErrStale", gone, err)
	}
	after, err := store.Load(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version {
		t.Errorf("a stale change saved the session: version %d, was %d", after.Version, before.Version)
	}
}

func TestRecommendationSaysWhyThereIsNone(t *testing.T) {
	ctx := context.Background()
	cat := correctnessCatalog(t)
	eng, _ := correctnessEngine(cat)

	t.Run("no conversation", func(t *testing.T) {
		res, err := eng.Recommendation(ctx, dialog.Key{Team: "T1", User: "U-none"})
		if !errors.Is(err, dialog.ErrNoSession) || res != nil {
			t.Errorf("Recommendation = %v, %v; want nil, ErrNoSession", res, err)
		}
	})
	t.Run("a conversation in progress", func(t *testing.T) {
		k := dialog.Key{Team: "T1", User: "U-busy"}
		if _, err := eng.Handle(ctx, k, dialog.Input{Action: dialog.ActStart}); err != nil {
			t.Fatal(err)
		}
		res, err := eng.Recommendation(ctx, k)
		if !errors.Is(err, dialog.ErrUnfinished) || res != nil {
			t.Errorf("Recommendation = %v, %v; want nil, ErrUnfinished", res, err)
		}
		if errors.Is(err, dialog.ErrNoSession) {
			t.Errorf("an unfinished conversation reads as none: %v", err)
		}
	})
	t.Run("a finished conversation", func(t *testing.T) {
		k := dialog.Key{Team: "T1", User: "U-done"}
		done := finishConversation(t, eng, k, cat)
		res, err := eng.Recommendation(ctx, k)
		if err != nil || res == nil {
			t.Fatalf("Recommendation = %v, %v; want the shortlist", res, err)
		}
		if len(res.Shortlist) != len(cat.Frameworks) || res.Shortlist[0].ID != done.Result.Shortlist[0].ID {
			t.Errorf("Recommendation's shortlist %+v differs from the one the conversation ended with %+v", res.Shortlist, done.Result.Shortlist)
		}
	})
}

func TestFinishedGivesTheAnswersOfAFinishedConversationOnly(t *testing.T) {
	ctx := context.Background()
	cat := correctnessCatalog(t)
	eng, _ := correctnessEngine(cat)
	if _, err := eng.Finished(ctx, dialog.Key{Team: "T1", User: "U-none"}); !errors.Is(err, dialog.ErrNoSession) {
		t.Errorf("no conversation: %v, want ErrNoSession", err)
	}
	busy := dialog.Key{Team: "T1", User: "U-busy"}
	if _, err := eng.Handle(ctx, busy, dialog.Input{Action: dialog.ActStart}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Finished(ctx, busy); !errors.Is(err, dialog.ErrUnfinished) {
		t.Errorf("a conversation in progress: %v, want ErrUnfinished", err)
	}
	k := dialog.Key{Team: "T1", User: "U-done"}
	finishConversation(t, eng, k, cat)
	got, err := eng.Finished(ctx, k)
	if err != nil || len(got.Answers) != len(cat.Questions) || got.Updated.IsZero() {
		t.Fatalf("Finished = %+v, %v; want every question answered", got, err)
	}
	for _, q := range cat.Questions {
		if want := []string{q.Options[0].ID}; !catalog.SameOptions(got.Answers[q.ID], want) {
			t.Errorf("%s: %v, want %v", q.ID, got.Answers[q.ID], want)
		}
	}
	if c, _ := eng.Ranker(); c != eng.Catalog() {
		t.Error("Ranker's catalog is not the engine's")
	}
}

func TestAReloadRanksWithTheNewCatalog(t *testing.T) {
	ctx := context.Background()
	k := dialog.Key{Team: "T1", User: "U-reload"}
	cat := correctnessCatalog(t)
	eng, _ := correctnessEngine(cat)
	finishConversation(t, eng, k, cat)

	// Renaming every framework shows which catalog the ranking was compiled from.
	var rename []string
	for _, f := range cat.Frameworks {
		rename = append(rename, "name: "+f.Name+"\n", "name: "+f.Name+" Next\n")
	}
	eng.SetCatalog(correctnessCatalog(t, rename...))
	res, err := eng.Recommendation(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	r, err := eng.Handle(ctx, k, dialog.Input{Action: dialog.ActResume})
	if err != nil || r.Result == nil {
		t.Fatalf("resume a finished conversation: %+v, %v", r, err)
	}
	for _, shortlist := range [][]string{shortlistNames(res.Shortlist), shortlistNames(r.Result.Shortlist)} {
		for _, name := range shortlist {
			if !strings.HasSuffix(name, " Next") {
				t.Errorf("after the reload the shortlist names %q, from the old catalog", name)
			}
		}
	}
}

func shortlistNames(entries []ranking.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Name)
	}
	return out
}

// A clone shares nothing with its session, nor its answers with one another: changing or
// appending to any of the clone's answers, its undo's or its shortlist's leaves the session and
// the clone's other answers as they were, and an answer that was nil or empty stays so.
func TestACloneSharesNothing(t *testing.T) {
	answers := func() catalog.Answers {
		return catalog.Answers{"a": {"a1", "a2"}, "b": {"b1"}, "c": {}, "d": nil}
	}
	s := dialog.Session{Answers: answers(), Ranked: answers(), Undo: &dialog.Snapshot{Answers: answers()}}
	c := s.Clone()
	for _, a := range []catalog.Answers{c.Answers, c.Ranked, c.Undo.Answers} {
		if a["c"] == nil || len(a["c"]) != 0 || a["d"] != nil || len(a) != 4 {
			t.Fatalf("cloned as %#v: an empty answer must stay empty and a nil one nil", a)
		}
		for q := range a {
			a[q] = append(a[q], "+"+q)
		}
		want := catalog.Answers{"a": {"a1", "a2", "+a"}, "b": {"b1", "+b"}, "c": {"+c"}, "d": {"+d"}}
		if !equalAnswers(a, want) {
			t.Errorf("appending to each of the clone's answers made %v, want %v", a, want)
		}
		a["a"][0] = "changed"
	}
	for _, a := range []catalog.Answers{s.Answers, s.Ranked, s.Undo.Answers} {
		if want := answers(); !equalAnswers(a, want) {
			t.Errorf("the session's answers became %v, want %v", a, want)
		}
	}
}
