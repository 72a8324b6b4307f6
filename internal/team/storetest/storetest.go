// Package storetest is the contract suite every team.Store passes.
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
	"github.com/stackpick/stackpick/internal/team"
)

const ws = "T1"

// Run runs the contract against fresh stores made by open.
func Run(t *testing.T, open func(t *testing.T) team.Store) {
	ctx := context.Background()

	t.Run("a missing decision is not found", func(t *testing.T) {
		if _, err := open(t).Load(ctx, ws, "nope"); !errors.Is(err, team.ErrNotFound) {
			t.Fatalf("Load: %v, want ErrNotFound", err)
		}
	})

	t.Run("everything a decision holds round-trips", func(t *testing.T) {
		st := open(t)
		d := Sample()
		v, err := st.Save(ctx, ws, d)
		if err != nil || v != 1 {
			t.Fatalf("Save: %d, %v", v, err)
		}
		got, err := st.Load(ctx, ws, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		d.Version = 1
		if !got.Created.Equal(d.Created) || !got.Outcome.Closed.Equal(d.Outcome.Closed) {
			t.Fatalf("times: %v %v, want %v %v", got.Created, got.Outcome.Closed, d.Created, d.Outcome.Closed)
		}
		got.Created, got.Outcome.Closed = d.Created, d.Outcome.Closed
		if !reflect.DeepEqual(got, d) {
			t.Fatalf("loaded\n%+v\nwant\n%+v", got, d)
		}
		if _, err := st.Load(ctx, "T2", d.ID); !errors.Is(err, team.ErrNotFound) {
			t.Fatalf("another workspace's decision of the same id: %v, want ErrNotFound", err)
		}
	})

	t.Run("a save on a stale version stores nothing", func(t *testing.T) {
		st := open(t)
		d := team.New("d1", "U1", "ana", nil, time.Unix(1700000000, 0))
		if _, err := st.Save(ctx, ws, d); err != nil {
			t.Fatal(err)
		}
		d.Owner = "U9"
		if _, err := st.Save(ctx, ws, d); !errors.Is(err, team.ErrConflict) {
			t.Fatalf("second create: %v, want ErrConflict", err)
		}
		got, _ := st.Load(ctx, ws, "d1")
		if got.Owner != "U1" {
			t.Fatalf("owner %q after a refused save", got.Owner)
		}
	})

	t.Run("concurrent joins and answers are never lost", func(t *testing.T) {
		st := open(t)
		if _, err := st.Save(ctx, ws, team.New("d1", "U0", "owner", nil, time.Now())); err != nil {
			t.Fatal(err)
		}
		const n = 12
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				user := fmt.Sprintf("U%d", i+1)
				_, _, err := team.Update(ctx, st, ws, "d1", func(d *team.Decision) (bool, error) {
					if _, err := d.Join(user, user); err != nil {
						return false, err
					}
					return d.Contribute(user, catalog.Answers{"scale": {"small"}}, nil)
				})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		d, _ := st.Load(ctx, ws, "d1")
		if got := len(d.Counted()); got != n {
			t.Fatalf("%d participants' answers counted, want %d", got, n)
		}
	})

	t.Run("a user's decisions are listed latest first", func(t *testing.T) {
		st := open(t)
		for _, id := range []string{"c", "a", "b", "a"} { // not in the order of their names
			if err := st.Remember(ctx, ws, "U1", id); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Mine(ctx, ws, "U1", 2)
		if err != nil || !reflect.DeepEqual(got, []string{"b", "a"}) {
			t.Fatalf("Mine: %v, %v; want [b a]", got, err)
		}
		if got, _ := st.Mine(ctx, ws, "U2", 5); len(got) != 0 {
			t.Fatalf("another user's list: %v", got)
		}
	})
}

// Sample is a decision with every field set.
func Sample() team.Decision {
	d := team.New("d1", "U1", "ana", []string{"U2", "U3"}, time.Unix(1700000000, 123))
	d.JoiningClosed = true
	d.Participants = append(d.Participants,
		team.Participant{User: "U2", Name: "bob", Answers: catalog.Answers{"languages": {"go", "python"}}, Unsure: []string{"scale"}, Done: true},
		team.Participant{User: "U3", Name: "cy", Withdrawn: true})
	d.Participants[0].Answers, d.Participants[0].Done = catalog.Answers{"scale": {"large"}}, true
	d.Vote = &team.Vote{Options: []string{"gin", "django"}, Ballots: map[string]string{"U1": "gin", "U2": "django"},
		Cast: map[string]time.Time{"U1": time.UnixMicro(1700000100000001), "U2": time.UnixMicro(1700000200000002)}}
	d.Outcome = &team.Outcome{Chosen: "gin", Closed: time.Unix(1700000500, 0), Tally: []team.Count{{Framework: "gin", Users: []string{"U1"}}, {Framework: "django", Users: []string{"U2"}}}}
	d.View = []byte(`{"c":"C1","t":"1.0"}`)
	return d
}
