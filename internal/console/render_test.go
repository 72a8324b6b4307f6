package console

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// What a reply shows of typed text read, fixed values rendered byte for byte (the piped transcript
// reaches only some of it, on whatever the catalog fixture holds): a confirmation with its way
// back, an explanation, a doubt and the status that keeps it. Run go test ./internal/console
// -update to accept a change.
func TestTheReadingOfTypedTextIsShown(t *testing.T) {
	answered := func(a dialog.Answered) *dialog.Answered {
		a.QuestionID, a.Number, a.Total, a.Text = "q", 2, 5, "Which languages does your team know well?"
		return &a
	}
	replies := []struct {
		name string
		r    dialog.Reply
	}{
		{"answers read from typed text, with a way back", dialog.Reply{Undo: true,
			Notes:    []dialog.Note{{Kind: dialog.NoteSaved, Text: "Understood: languages: Python, TypeScript. (I read pyhton → python, typescirpt → typescript.)"}},
			Answered: answered(dialog.Answered{Answers: []string{"Python", "TypeScript"}})}},
		{"a question back", dialog.Reply{Explain: &dialog.Explanation{
			Question: "What will the service mostly do?", Help: "Pick all that apply.",
			Tradeoff: "Frameworks built for I/O make heavy computation harder, and the fastest at computation make waiting on other services more work.",
			Options: []dialog.Meaning{
				{Label: "CRUD & business rules", Means: "Forms, records and rules; an ORM and an admin save the most time."},
				{Label: "Lots of I/O", Means: "Calls to other services and databases; async frameworks keep the waiting cheap.", Asked: true},
				{Label: "Heavy computation", Means: "CPU-bound work; give it workers of its own."},
			},
		}}},
		{"a doubt", dialog.Reply{Undo: true,
			Notes:    []dialog.Note{{Kind: dialog.NoteSaved, Text: "Noted that you're not sure about languages: it counts as neutral, and the final checklist keeps it open."}},
			Answered: answered(dialog.Answered{Unsure: true})}},
		{"the status keeps it", dialog.Reply{Status: &dialog.Status{Total: 5,
			Answered: []ranking.Fact{{QuestionID: "project", Short: "project", Answers: []string{"A SaaS product"}}},
			Skipped:  []string{"hiring"}, Unsure: []string{"languages", "compliance"}, Remaining: []string{"traffic"}}}},
	}
	var b strings.Builder
	for _, tc := range replies {
		fmt.Fprintf(&b, "--- %s\n", tc.name)
		if err := WriteReply(&b, tc.r, DefaultWidth); err != nil {
			t.Fatal(err)
		}
	}
	transcript(t, "reading.golden", b.String())
}

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
