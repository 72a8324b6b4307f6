package blockkit

import (
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// FuzzRender renders replies whose every string is fuzzed, and every follow-up of their result:
// each message must fit Block Kit and no string may reach Slack unescaped.
func FuzzRender(f *testing.F) {
	f.Add("Question?", "help", "Label", "Name", "reason", "watch out", "note")
	f.Add("<!channel>", "<@U1>", "<https://x|y>", "&amp;", "*bold* _it_", "`code`", "\n\n")
	f.Add(strings.Repeat("é", 4000), strings.Repeat("<", 3000), strings.Repeat("a", 200), strings.Repeat("N", 500), strings.Repeat("r ", 2000), strings.Repeat("w", 5000), strings.Repeat("&", 3000))
	f.Fuzz(func(t *testing.T, question, help, label, name, reason, watchout, note string) {
		if label == "" || strings.TrimSpace(label) == "" {
			label = "x"
		}
		res := &ranking.Result{
			Situation: []ranking.Fact{{QuestionID: "q", Short: label, Answers: []string{label, note}}},
			Checklist: []ranking.CheckItem{{ID: "c", Title: label, Text: reason, Settled: true}, {ID: "d", Title: name, Text: watchout}},
			POC:       []string{reason, note},
		}
		for i := 0; i < 8; i++ {
			res.Shortlist = append(res.Shortlist, ranking.Entry{ID: "f", Name: name, Score: 50, Languages: []string{label},
				Website: "https://x.example/" + label, Reasons: []ranking.Reason{{Text: reason, Positive: true}, {Text: note}},
				Watchouts: []ranking.Watchout{{Text: watchout, Triggered: true}, {Text: watchout}}})
		}
		prompt := dialog.Prompt{QuestionID: "q", Number: 2, Total: 2, Text: question, Help: help, Kind: "several",
			Choices: []dialog.Choice{{ID: "a", Label: label}, {ID: "b", Label: name}}}
		r := dialog.Reply{
			Session: "s", Step: 3,
			Notes: []dialog.Note{{Kind: dialog.NoteInfo, Text: note}},
			Undo:  true,
			Explain: &dialog.Explanation{Question: question, Help: help, Tradeoff: reason,
				Options: []dialog.Meaning{{Label: label, Means: reason}, {Label: name, Means: watchout, Asked: true}}},
			Answered: &dialog.Answered{QuestionID: "q", Number: 1, Total: 2, Text: question, Answers: []string{label}},
			Ask:      &prompt,
			Resume:   &dialog.Status{Answered: res.Situation, Total: 2},
			Status:   &dialog.Status{Answered: res.Situation, Skipped: []string{label}, Unsure: []string{note}, Remaining: []string{name}, Total: 2},
			Help:     []dialog.Command{{Usage: label, Does: help}},
			Result:   res, Questions: []dialog.Choice{{ID: "q", Label: label}},
		}
		out := Render(r, "U1")
		typed := *r.Answered
		typed.Short, typed.Typed = note, true
		r.Answered = &typed
		msgs := append(out.Posts, *out.Answered, Render(r, "U1").Posts[0], Catalog(Listing{Frameworks: 1, Languages: []ListedLanguage{{Label: label, Frameworks: []ListedFramework{{Name: name}}}}}))
		for _, m := range msgs {
			checkMessage(t, "fuzzed", m)
		}
		for name, m := range everyMessage(res, r.Questions, note) {
			checkMessage(t, "fuzzed "+name, m)
		}
		checkModal(t, "fuzzed review", ReviewModal([]dialog.Prompt{prompt}, worstControl))
	})
}
