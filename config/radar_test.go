package config_test

import (
	"slices"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/radar"
	"github.com/stackpick/stackpick/internal/ranking"
)

// The example radar shipped beside the config (not loaded unless named with -radar or
// STACKPICK_RADAR) validates against the shipped catalog, and does what it says: Spring Boot
// adopted, ASP.NET Core in trial, FastAPI to assess, Laravel on hold, Kafka no framework.
func TestTheExampleRadarFitsTheShippedCatalog(t *testing.T) {
	cat := shippedCatalog(t)
	r, err := radar.LoadFile("radar.example.json", cat)
	if err != nil {
		t.Fatalf("the example radar does not validate against the shipped catalog:\n%v", err)
	}
	want := map[string]catalog.Ring{"spring-boot": catalog.Adopt, "aspnet-core": catalog.Trial, "fastapi": catalog.Assess, "laravel": catalog.Hold}
	for id, ring := range want {
		if got := r.Stances[id].Ring; got != ring {
			t.Errorf("the example radar puts %s in %q, want %q", id, got, ring)
		}
	}
	if len(r.Stances) != len(want) || len(r.Notes) != 1 {
		t.Errorf("the example radar names %d frameworks with %d notes, want %d and one (Kafka): %v", len(r.Stances), len(r.Notes), len(want), r.Notes)
	}

	withRadar := *cat
	withRadar.Radar = r.Stances
	m := ranking.Compile(&withRadar)
	php := m.Rank(catalog.Answers{"languages": {"php"}, "project": {"saas"}})
	if slices.ContainsFunc(php.Shortlist, func(e ranking.Entry) bool { return e.ID == "laravel" }) || len(php.NotConsidered) != 1 || php.NotConsidered[0].ID != "laravel" {
		t.Errorf("a PHP team is offered Laravel, which the example radar holds: %v / %v", php.Shortlist[0].ID, php.NotConsidered)
	}
	java := m.Rank(catalog.Answers{"languages": {"java"}, "project": {"enterprise"}})
	if top := java.Shortlist[0]; top.ID != "spring-boot" || !slices.ContainsFunc(top.Reasons, func(rs ranking.Reason) bool { return rs.Text == "your organisation has adopted Spring Boot" }) {
		t.Errorf("a Java enterprise team's top pick %s does not say the organisation adopted Spring Boot: %v", top.ID, top.Reasons)
	}
}
