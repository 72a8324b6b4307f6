package config_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/team"
)

// A team decision of five people who answered every question of the shipped checklist with as
// many options as it takes, voted and closed, stays under 4 KB in Redis: what the record costs
// with the shipped catalog's ids.
func TestAFivePersonTeamDecisionStaysUnder4KBInRedis(t *testing.T) {
	cat := shippedCatalog(t)
	m := ranking.Compile(cat)
	now := time.Now()
	d := team.New("0123456789abcdef", "U0123456789A", "Alexandra Example-Owner", nil, now)
	for i := 1; i < 5; i++ {
		if _, err := d.Join(fmt.Sprintf("U012345678%dB", i), fmt.Sprintf("Participant Number %d", i)); err != nil {
			t.Fatal(err)
		}
		d.Invited = append(d.Invited, fmt.Sprintf("U012345678%dB", i))
	}
	for _, p := range d.Participants {
		a := catalog.Answers{}
		for _, q := range cat.Questions {
			for _, o := range q.Options {
				if !o.Exclusive {
					a[q.ID] = append(a[q.ID], o.ID)
				}
				if q.Kind == catalog.One {
					break
				}
			}
		}
		if _, err := d.Contribute(p.User, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	an := team.Analyse(cat, m, &d)
	var ballot []string
	for _, i := range an.Result.Choices(3) {
		ballot = append(ballot, an.Result.Shortlist[i].ID)
	}
	if err := d.OpenVote(d.Owner, ballot); err != nil {
		t.Fatal(err)
	}
	for i, p := range d.Participants {
		if _, err := d.Cast(p.User, ballot[i%len(ballot)], now); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(d.Owner, ballot, true, now); err != nil {
		t.Fatal(err)
	}
	d.View = []byte(`{"c":"C0123456789","p":"1764633600.123456","s":"1764633600.123457","v":"1764633600.123458","r":"https://acme-engineering.slack.com/docs/T0123456789/F0123456789A","rv":1767052800}`)

	rdb := redistest.Start(t).Client(t)
	st := redisstore.NewTeams(rdb, time.Hour, "stackpick:")
	ctx := context.Background()
	if _, err := st.Save(ctx, "T0123456789", d); err != nil {
		t.Fatal(err)
	}
	size, err := rdb.MemoryUsage(ctx, st.Key("T0123456789", d.ID)).Result()
	if err != nil {
		t.Fatal(err)
	}
	data, err := rdb.HStrLen(ctx, st.Key("T0123456789", d.ID), "data").Result()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("five participants, every question answered: the record is %d bytes; Redis holds the key in %d bytes", data, size)
	if data >= 4096 {
		t.Errorf("the record of five participants is %d bytes, not under 4 KB", data)
	}
}

// The shipped merge rules do what the README promises a team: languages anyone knows, the
// highest traffic and latency, regulated if anyone says so, the earliest deadline, and the
// majority for the rest, a tie left open.
func TestTheShippedMergeRules(t *testing.T) {
	cat := shippedCatalog(t)
	p := func(user string, a catalog.Answers) team.Participant {
		return team.Participant{User: user, Name: user, Answers: a, Done: true}
	}
	got := team.Merge(cat, []team.Participant{
		p("ana", catalog.Answers{"languages": {"python"}, "scale": {"small"}, "performance": {"normal"}, "compliance": {"standard"}, "deadline": {"long_term"}, "hosting": {"containers"}, "architecture": {"monolith"}}),
		p("bob", catalog.Answers{"languages": {"go"}, "scale": {"massive"}, "performance": {"critical"}, "compliance": {"regulated"}, "deadline": {"weeks"}, "hosting": {"containers"}, "architecture": {"microservices"}}),
		p("cy", catalog.Answers{"languages": {"python"}, "scale": {"growing"}, "compliance": {"standard"}, "deadline": {"months"}, "hosting": {"paas_shared"}}),
	})
	want := catalog.Answers{
		"languages": {"python", "go"}, "scale": {"massive"}, "performance": {"critical"}, "compliance": {"regulated"},
		"deadline": {"weeks"}, "hosting": {"containers"},
	}
	if !got.Answers.Same(want) {
		t.Errorf("merged %v, want %v", got.Answers, want)
	}
	if fmt.Sprint(got.Tied) != "[architecture]" {
		t.Errorf("tied %v, want [architecture]: a monolith against microservices, one each", got.Tied)
	}
	if sh := got.Fluency["go"]; sh.Know != 1 || sh.Of != 3 {
		t.Errorf("Go is known by %d of %d, want 1 of 3", sh.Know, sh.Of)
	}
}
