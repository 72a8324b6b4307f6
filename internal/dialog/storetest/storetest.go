// Package storetest holds the contract every dialog.SessionStore must meet, as a test suite each
// store's tests run against their own implementation (Run). The Slack front end's admission
// contract is internal/slackbot/admittest.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
)

// Run runs the contract against stores made by open; each subtest gets a fresh, empty store.
func Run(t *testing.T, open func(t *testing.T) dialog.SessionStore) {
	ctx := context.Background()
	alice := dialog.Key{Team: "T1", User: "U1"}

	t.Run("load of an unknown user is ErrNoSession", func(t *testing.T) {
		_, err := open(t).Load(ctx, alice)
		if !errors.Is(err, dialog.ErrNoSession) {
			t.Fatalf("Load = %v, want ErrNoSession", err)
		}
	})

	t.Run("saved session loads back whole with version 1", func(t *testing.T) {
		st := open(t)
		want := sample()
		v, err := st.Save(ctx, alice, want)
		if err != nil || v != 1 {
			t.Fatalf("Save = %d, %v; want 1, nil", v, err)
		}
		got, err := st.Load(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		want.Version = 1
		if !equal(got, want) {
			t.Fatalf("Load =\n%+v\nwant\n%+v", got, want)
		}
	})

	t.Run("a session the user is behind on loads back as such, without its turn token", func(t *testing.T) {
		st := open(t)
		want := sample()
		want.Shown, want.Turn = 5, "turn-1"
		mustSave(t, st, alice, want)
		got, err := st.Load(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		want.Version, want.Turn = 1, ""
		if !equal(got, want) {
			t.Fatalf("Load =\n%+v\nwant\n%+v", got, want)
		}
	})

	t.Run("doubts, a clarification and an undo load back whole", func(t *testing.T) {
		st := open(t)
		want := reading()
		mustSave(t, st, alice, want)
		got, err := st.Load(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		want.Version = 1
		if !equal(got, want) {
			t.Fatalf("Load =\n%+v\nundo %+v\nwant\n%+v\nundo %+v", got, got.Undo, want, want.Undo)
		}
	})

	t.Run("save with a stale version is ErrConflict and changes nothing", func(t *testing.T) {
		st := open(t)
		s := sample()
		mustSave(t, st, alice, s) // version 1
		s.Version = 1
		s.Step = 8
		mustSave(t, st, alice, s) // version 2
		s.Version = 1
		s.Step = 99
		if _, err := st.Save(ctx, alice, s); !errors.Is(err, dialog.ErrConflict) {
			t.Fatalf("Save with version 1 over 2 = %v, want ErrConflict", err)
		}
		s.Version = 0
		if _, err := st.Save(ctx, alice, s); !errors.Is(err, dialog.ErrConflict) {
			t.Fatalf("Save with version 0 over an existing session = %v, want ErrConflict", err)
		}
		got, _ := st.Load(ctx, alice)
		if got.Step != 8 || got.Version != 2 {
			t.Fatalf("after refused saves: step %d version %d, want 8 and 2", got.Step, got.Version)
		}
	})

	t.Run("users and workspaces are kept apart", func(t *testing.T) {
		st := open(t)
		keys := []dialog.Key{alice, {Team: "T1", User: "U2"}, {Team: "T2", User: "U1"}, {Team: "T", User: "1:U1"}}
		for i, k := range keys {
			s := sample()
			s.Step = i + 1
			mustSave(t, st, k, s)
		}
		for i, k := range keys {
			got, err := st.Load(ctx, k)
			if err != nil || got.Step != i+1 {
				t.Fatalf("Load(%v) = step %d, %v; want step %d", k, got.Step, err, i+1)
			}
		}
	})

	t.Run("loaded sessions do not share memory with the store", func(t *testing.T) {
		st := open(t)
		mustSave(t, st, alice, reading())
		a, _ := st.Load(ctx, alice)
		if a.Undo == nil {
			t.Fatal("the loaded session lost its undo snapshot")
		}
		a.Answers["project"][0] = "changed"
		a.Skipped[0] = "changed"
		a.Undo.Answers["project"][0] = "changed"
		a.Undo.History[0] = "changed"
		b, _ := st.Load(ctx, alice)
		if b.Answers["project"][0] != "mvp" || b.Skipped[0] != "hiring" || b.Undo.Answers["project"][0] != "mvp" || b.Undo.History[0] != "project" {
			t.Fatalf("a change to a loaded session leaked into the store: %+v, undo %+v", b, b.Undo)
		}
	})

	t.Run("racing writers never lose an update", func(t *testing.T) {
		st := open(t)
		mustSave(t, st, alice, dialog.Session{ID: "race", Answers: catalog.Answers{}})
		const writers = 16
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				errs <- addAnswer(ctx, st, alice, fmt.Sprintf("q%d", w))
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, _ := st.Load(ctx, alice)
		if len(got.Answers) != writers || got.Version != writers+1 {
			t.Fatalf("after %d racing writers: %d answers at version %d, want %d at %d", writers, len(got.Answers), got.Version, writers, writers+1)
		}
	})
}

// addAnswer is a load-modify-save loop with retry on conflict, as the engine does it.
func addAnswer(ctx context.Context, st dialog.SessionStore, k dialog.Key, qid string) error {
	for {
		s, err := st.Load(ctx, k)
		if err != nil {
			return err
		}
		s.Answers[qid] = []string{"x"}
		_, err = st.Save(ctx, k, s)
		if !errors.Is(err, dialog.ErrConflict) {
			return err
		}
	}
}

func mustSave(t *testing.T, st dialog.SessionStore, k dialog.Key, s dialog.Session) {
	t.Helper()
	if _, err := st.Save(context.Background(), k, s); err != nil {
		t.Fatalf("Save: %v", err)
	}
}

func sample() dialog.Session {
	start := time.Date(2026, 11, 21, 9, 30, 0, 123456789, time.UTC)
	return dialog.Session{
		ID:       "abc123",
		Step:     7,
		Answers:  catalog.Answers{"project": {"mvp"}, "languages": {"python", "typescript"}},
		Skipped:  []string{"hiring"},
		Current:  "scale",
		History:  []string{"project", "languages", "hiring"},
		Finished: false,
		Started:  start,
		Updated:  start.Add(90 * time.Second),
		Shown:    7,
		View:     []byte(`{"c":"D1","t":"1.2"}`),
		Ranked:   catalog.Answers{"project": {"mvp"}, "languages": {"python"}},
		WhatIf:   catalog.Answers{"hosting": {"serverless"}, "compliance": {}},
	}
}

// reading is sample just after a typed message was read at the scale question: the user did not
// know two answers, a clarification offers two options, and an undo restores the state before.
func reading() dialog.Session {
	s := sample()
	s.Unsure = []string{"compliance", "hosting"}
	s.Pending = []string{"growing", "large"}
	s.Undo = &dialog.Snapshot{
		Answers: catalog.Answers{"project": {"mvp"}},
		Skipped: []string{"hiring"},
		Unsure:  []string{"hosting"},
		Current: "languages",
		History: []string{"project", "hiring"},
	}
	return s
}

// equal compares sessions, with times compared as instants.
func equal(a, b dialog.Session) bool {
	if !a.Started.Equal(b.Started) || !a.Updated.Equal(b.Updated) {
		return false
	}
	a.Started, a.Updated, b.Started, b.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}
