package blockkit

import (
	"testing"

	"github.com/stackpick/stackpick/internal/dialog"
)

// BenchmarkRender renders the two replies nearly every turn gives: an answer and the next
// question, and the last answer and the compact shortlist, each answered by a click and by
// typing (the golden fixtures, so the figures move only when rendering does).
func BenchmarkRender(b *testing.B) {
	clicked := &dialog.Answered{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Short: "workload", Answers: []string{"CRUD & business rules", "Lots of I/O"}}
	typed := *clicked
	typed.Typed = true
	for name, r := range map[string]dialog.Reply{
		"question":       {Answered: clicked, Ask: oneChoicePrompt()},
		"result":         {Answered: clicked, Result: result(), Firmness: firmness(), Questions: questions},
		"question_typed": {Answered: &typed, Ask: oneChoicePrompt()},
		"result_typed":   {Answered: &typed, Result: result(), Firmness: firmness(), Questions: questions},
	} {
		r.Session, r.Step = ctl.Session, ctl.Step
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Render(r, ctl.Owner)
			}
		})
	}
}
