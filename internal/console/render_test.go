package console

import (
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/ranking"
)

// A low-confidence result names no winner: it says so, shows its choices with bullets, shows a
// sibling inside the choice standing for it and lists it among the rest, and marks a checklist
// item the top pick contradicts.
func TestALowConfidenceResultNamesNoWinner(t *testing.T) {
	res := ranking.Result{
		Confidence: ranking.Confidence{Level: ranking.Low, Answered: 1, Questions: 14},
		Broad:      2,
		Shortlist: []ranking.Entry{
			{ID: "gin", Name: "Gin", Score: 80, Style: "minimal", Alternatives: []string{"Echo"}, Website: "https://gin.example"},
			{ID: "echo", Name: "Echo", Score: 80, Style: "minimal", SiblingOf: "gin", Website: "https://echo.example"},
			{ID: "rails", Name: "Rails", Score: 70, Style: "batteries-included", Website: "https://rails.example"},
		},
		Checklist: []ranking.CheckItem{{ID: "expertise", Title: "Internal expertise", Conflict: true, Text: "Your team knows PHP; Gin is Go."}},
		POC:       []string{"Build it in Gin and Rails."},
	}
	var b strings.Builder
	if err := WriteResult(&b, res, 0); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Low confidence: you've answered 1 of 14 questions",
		"\n• Gin  ", "   = or Echo: same trade-offs", "\n• Rails  ",
		"Also ranked:\n    = Echo", "(same trade-offs as Gin)",
		"[!] Internal expertise: Your team knows PHP; Gin is Go.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\n1. ") {
		t.Errorf("a low-confidence result numbers a winner:\n%s", out)
	}
}
