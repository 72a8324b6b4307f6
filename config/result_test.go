package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// The shipped result's shape: confidence, siblings, a checklist that settles only what the pick
// agrees with, and a plan that follows the answers.

func TestWithNoAnswersTheShippedResultIsLowConfidenceAcrossStyles(t *testing.T) {
	r := rankShipped(rankCatalog(t), catalog.Answers{})
	if r.Confidence.Level != ranking.Low {
		t.Errorf("confidence = %+v, want low", r.Confidence)
	}
	styles := map[string]string{}
	for _, i := range r.Choices(3) {
		e := r.Shortlist[i]
		if other, ok := styles[e.Style]; ok {
			t.Errorf("%s and %s are both %q among the first three choices", other, e.ID, e.Style)
		}
		styles[e.Style] = e.ID
	}
}

func TestAFullShippedProfileIsHighConfidence(t *testing.T) {
	// A large regulated Java enterprise that answered everything (strategy and top7 send
	// regulated enterprise work to Spring Boot and ASP.NET Core).
	a := catalog.Answers{"project": {"enterprise"}, "languages": {"java"}, "team": {"large"}, "deadline": {"long_term"},
		"scale": {"large"}, "performance": {"important"}, "workload": {"io"}, "architecture": {"microservices"},
		"compliance": {"regulated"}, "hosting": {"containers"}, "batteries": {"batteries"}, "hiring": {"yes"},
		"typing": {"important"}, "footprint": {"no"}}
	r := rankShipped(rankCatalog(t), a)
	if r.Confidence.Level != ranking.High || r.Confidence.Coverage != 1 {
		t.Errorf("confidence = %+v, want high with everything covered", r.Confidence)
	}
}

func TestTheGoSiblingsAreOneChoice(t *testing.T) {
	r := rankShipped(rankCatalog(t), catalog.Answers{"languages": {"go"}, "project": {"api"}, "team": {"small"}})
	lead := r.Shortlist[r.Choices(1)[0]]
	if lead.ID != "gin" || !slices.Equal(lead.Alternatives, []string{"Fiber", "Echo"}) {
		t.Errorf("first choice = %s with alternatives %v, want gin standing for Fiber and Echo", lead.ID, lead.Alternatives)
	}
	for _, i := range r.Choices(5) {
		if id := r.Shortlist[i].ID; id == "fiber" || id == "echo" {
			t.Errorf("%s is shown as a choice of its own", id)
		}
	}
}

// Over many generated profiles the plan never pairs the top pick with a sibling or with a
// framework one of them runs on.
func TestTheShippedPlanPairsGenuinelyDifferentChoices(t *testing.T) {
	c := rankCatalog(t)
	m := ranking.Compile(c)
	for _, a := range generateProfiles(c, 11, 500) {
		r := m.Rank(a)
		first, _ := c.Framework(r.Shortlist[0].ID)
		plan := strings.Join(r.POC, "\n")
		for _, e := range r.Shortlist[1:] {
			f, _ := c.Framework(e.ID)
			if e.SiblingOf != first.ID && !slices.Contains(f.RunsOn, first.ID) && !slices.Contains(first.RunsOn, f.ID) {
				continue
			}
			if strings.Contains(plan, "in "+first.Name+" and in "+e.Name+",") {
				t.Errorf("%v: the plan pairs %s with %s", a, first.Name, e.Name)
			}
		}
	}
}

func TestTheShippedChecklistDoesNotTickALanguageThePickIsNotIn(t *testing.T) {
	// Several Ruby teams building a latency-critical gateway: the pick is in Go (top7 and
	// fastscale put Gin and Fiber at the top for gateways and raw throughput).
	r := rankShipped(rankCatalog(t), catalog.Answers{"languages": {"ruby"}, "team": {"large"}, "project": {"gateway"}, "performance": {"critical"}})
	top := r.Shortlist[0]
	if slices.Contains(top.Languages, "Ruby") {
		t.Fatalf("top pick %s is in Ruby; the case needs a pick outside the team's language", top.Name)
	}
	it := r.Checklist[0]
	if it.ID != "expertise" || it.Settled || !it.Conflict || !strings.Contains(it.Text, "Your team knows Ruby; "+top.Name+" is ") {
		t.Errorf("first checklist item = %+v, want the expertise item open, in conflict, naming Ruby and %s", it, top.Name)
	}
}

func TestTheShippedPlanFollowsTheAnswers(t *testing.T) {
	tests := []struct {
		name      string
		answers   catalog.Answers
		want, not []string
	}{
		{"a 300-user internal tool",
			catalog.Answers{"project": {"content"}, "scale": {"small"}, "hosting": {"paas_shared"}, "languages": {"python"}},
			[]string{"admin", "internal users"}, []string{"checkout", "cold start", "spikes", "audit"}},
		{"a regulated serverless API",
			catalog.Answers{"project": {"api"}, "hosting": {"serverless_edge"}, "compliance": {"regulated"}, "scale": {"large"}},
			[]string{"cold starts", "audit-logging", "spikes"}, []string{"internal users"}},
	}
	c := rankCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rankShipped(c, tt.answers)
			plan := strings.ToLower(strings.Join(r.POC, "\n"))
			for _, w := range tt.want {
				if !strings.Contains(plan, w) {
					t.Errorf("plan lacks %q:\n%s", w, plan)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(plan, n) {
					t.Errorf("plan mentions %q:\n%s", n, plan)
				}
			}
		})
	}
}
