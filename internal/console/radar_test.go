package console

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// radarResult is a result under an organisation's radar: the top pick adopted, the next in
// trial, one framework on hold and not considered.
func radarResult() *ranking.Result {
	on := func(ring catalog.Ring, day, said string) *catalog.Stance {
		d, _ := time.Parse(time.DateOnly, day)
		return &catalog.Stance{Ring: ring, Date: d, Description: said}
	}
	held := on(catalog.Hold, "2025-03-01", "No PHP in production after 2026.")
	return &ranking.Result{
		Confidence: ranking.Confidence{Level: ranking.Medium, Coverage: 0.5, Margin: 9, Answered: 4, Questions: 9},
		Shortlist: []ranking.Entry{
			{ID: "spring", Name: "Spring Boot", Score: 91, Languages: []string{"Java"}, Website: "https://spring.example", Stance: on(catalog.Adopt, "2025-01-10", "Our default on the JVM."),
				Reasons: []ranking.Reason{{Text: "your organisation has adopted Spring Boot", Positive: true}}},
			{ID: "flask", Name: "Flask", Score: 82, Languages: []string{"Python"}, Website: "https://flask.example", Stance: on(catalog.Trial, "2025-06-30", "")},
			{ID: "gin", Name: "Gin", Score: 70, Languages: []string{"Go"}, Website: "https://gin.example"},
		},
		NotConsidered: []ranking.Held{{ID: "laravel", Name: "Laravel", Languages: []string{"PHP"}, Stance: *held,
			Reason: "your organisation's radar puts Laravel on hold (2025-03-01): No PHP in production after 2026"}},
	}
}

// The radar shows wherever a framework does: with each choice and in the ranking (ring and date),
// the frameworks on hold listed as not considered, a why-not of one on hold, and a comparison
// with it. Byte for byte against testdata/radar.golden (go test ./internal/console -update).
func TestTheRadarShowsWhereverAFrameworkDoes(t *testing.T) {
	res := radarResult()
	laravel := ranking.Entry{ID: "laravel", Name: "Laravel", Score: 64, Stance: &res.NotConsidered[0].Stance}
	why := ranking.WhyNot{Entry: laravel, Top: res.Shortlist[0]}
	cmp := ranking.Comparison{A: res.Shortlist[0], B: laravel, PlaceA: 1,
		Verdict: "For your answers Spring Boot leads Laravel by 27 points. Laravel is not considered: " + res.NotConsidered[0].Reason + "."}
	var b strings.Builder
	for _, tc := range []struct {
		name string
		r    dialog.Reply
	}{
		{"the compact result", dialog.Reply{Result: res}},
		{"the full ranking", dialog.Reply{Result: res, Detail: dialog.DetailRanking}},
		{"why not one on hold", dialog.Reply{WhyNot: &why}},
		{"compared with one on hold", dialog.Reply{Compare: &cmp}},
	} {
		fmt.Fprintf(&b, "--- %s\n", tc.name)
		if err := WriteReply(&b, tc.r, DefaultWidth); err != nil {
			t.Fatal(err)
		}
	}
	out := b.String()
	for _, want := range []string{
		"◎ Your organisation's radar: adopt since 2025-01-10: Our default on the JVM.",
		"2. Flask           82  Python · radar: trial since 2025-06-30",
		"Not considered:\n  ✗ your organisation's radar puts Laravel on hold (2025-03-01)",
		"Laravel is not considered: your organisation's radar puts Laravel on hold",
		"Spring Boot (#1, 91) vs Laravel (on hold, 64), for your answers",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	transcript(t, "radar.golden", out)
}
