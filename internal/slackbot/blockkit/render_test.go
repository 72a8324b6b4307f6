package blockkit

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

var update = flag.Bool("update", false, "rewrite the golden Block Kit files")

// The goldens render fixed values built here, not a ranking over a catalog: a retune of the
// shipped config changes no golden, and a golden changes only when rendering does.

var ctl = Control{Owner: "U1", Session: "s1", Step: 4}

func choices(labels ...string) []dialog.Choice {
	var out []dialog.Choice
	for i, l := range labels {
		out = append(out, dialog.Choice{ID: fmt.Sprintf("o%d", i+1), Label: l})
	}
	return out
}

func oneChoicePrompt() *dialog.Prompt {
	p := &dialog.Prompt{QuestionID: "deadline", Number: 2, Total: 3, Text: "When must the first version ship?",
		Help: "Pick the nearest; you can change it later.", Kind: catalog.One, Choices: choices("Within weeks", "Within months", "Long term"), CanGoBack: true}
	p.Choices[1].Selected = true
	return p
}

func checkboxPrompt() *dialog.Prompt {
	p := &dialog.Prompt{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Kind: catalog.Several,
		Choices: choices("CRUD & business rules", "Lots of I/O", "Heavy computation")}
	p.Choices[0].Selected = true
	return p
}

// multiSelectPrompt has more options than Slack's ten checkboxes.
func multiSelectPrompt() *dialog.Prompt {
	p := &dialog.Prompt{QuestionID: "languages", Number: 3, Total: 3, Text: "Which languages does your team know <well>?", Kind: catalog.Several,
		Choices: choices("Go", "Python", "TypeScript", "Java", "Kotlin", "C#", "Ruby", "PHP", "Elixir", "Rust", "Scala", "Clojure"), CanGoBack: true}
	p.Choices[2].Selected, p.Choices[9].Selected = true, true
	return p
}

var facts = []ranking.Fact{
	{QuestionID: "workload", Short: "workload", Answers: []string{"CRUD & business rules", "Lots of I/O"}},
	{QuestionID: "deadline", Short: "deadline", Answers: []string{"Within weeks"}},
	{QuestionID: "languages", Short: "languages", Answers: []string{"Go", "Python"}},
}

var questions = []dialog.Choice{{ID: "workload", Label: "workload"}, {ID: "deadline", Label: "deadline"}, {ID: "languages", Label: "languages"}}

// result has more frameworks than a result shows, reasons of both signs, more watchouts than
// are shown (one triggered, then general caveats), an emerging framework, a sibling (Delta,
// standing in for by Alpha), medium confidence, and settled, contradicted and open checklist items.
func result() *ranking.Result {
	res := &ranking.Result{
		Situation:  facts,
		Confidence: ranking.Confidence{Level: ranking.Medium, Coverage: 0.42, Margin: 13, Answered: 3, Questions: 14},
		Checklist: []ranking.CheckItem{
			{ID: "skills", Title: "Team <skills>", Conflict: true, Text: "Your team knows Go; Beta & Co is Python: plan for retraining and hiring."},
			{ID: "deploy", Title: "Deployment", Settled: true, Text: "Containers suit every framework here."},
			{ID: "auth", Title: "Auth", Text: "Check the SSO provider you need is supported."},
			{ID: "data", Title: "Data <access>", Text: "Try the ORM against your real schema & data."},
		},
		POC: []string{"Build one CRUD endpoint in Alpha and Beta.", "Load-test both at your expected traffic."},
	}
	for i, name := range []string{"Alpha", "Beta & Co", "Gamma", "Delta", "Epsilon", "Zeta"} {
		e := ranking.Entry{ID: strings.ToLower(name[:4]), Name: name, Score: 90 - 13*i, Languages: []string{"Go"}, Website: fmt.Sprintf("https://www.%s.example/docs", strings.ToLower(name[:4])),
			Emerging: i == 2, Summary: "A framework.",
			Reasons:   []ranking.Reason{{Text: "your team knows Go", Positive: true}, {Text: "you need to ship in weeks: speed of delivery 2/5"}},
			Watchouts: []ranking.Watchout{{Text: "Fewer batteries than the big frameworks.", Triggered: true}, {Text: "Young ecosystem."}, {Text: "Watchout three is never shown."}}}
		if i%2 == 1 {
			e.Languages = []string{"Python", "TypeScript"}
		}
		e.Style = []string{"minimal", "batteries-included", "minimal", "minimal", "modular", "batteries-included"}[i]
		switch name {
		case "Alpha":
			e.Alternatives = []string{"Delta"}
		case "Delta":
			e.SiblingOf = "alph"
		}
		res.Shortlist = append(res.Shortlist, e)
	}
	return res
}

// lowResult is result with little known: no winner, choices across styles.
func lowResult() *ranking.Result {
	res := result()
	res.Situation = facts[:1]
	res.Confidence = ranking.Confidence{Level: ranking.Low, Coverage: 0.1, Margin: 13, Answered: 1, Questions: 14}
	res.Broad = 3
	return res
}

func only(t *testing.T, r Reply) Message {
	t.Helper()
	if len(r.Posts) != 1 {
		t.Fatalf("rendered %d posts, want 1", len(r.Posts))
	}
	return r.Posts[0]
}

func goldenMessages(t *testing.T) map[string]Message {
	reply := func(r dialog.Reply) Reply {
		r.Session, r.Step = ctl.Session, ctl.Step
		return Render(r, ctl.Owner)
	}
	answered := reply(dialog.Reply{Answered: &dialog.Answered{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Answers: []string{"CRUD & business rules", "Lots of I/O"}}})
	skipped := reply(dialog.Reply{Answered: &dialog.Answered{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Skipped: true}})
	unsure := reply(dialog.Reply{Answered: &dialog.Answered{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Unsure: true}})
	return map[string]Message{
		"question_one_choice":   only(t, reply(dialog.Reply{Ask: oneChoicePrompt()})),
		"question_checkboxes":   only(t, reply(dialog.Reply{Ask: checkboxPrompt()})),
		"question_multi_select": only(t, reply(dialog.Reply{Ask: multiSelectPrompt()})),
		"answered":              *answered.Answered,
		"answered_skipped":      *skipped.Answered,
		"answered_unsure":       *unsure.Answered,
		"left_open":             LeftOpen("Question 2 of 3: When must the first version ship?"),
		"notes": only(t, reply(dialog.Reply{Notes: []dialog.Note{
			{Kind: dialog.NoteInfo, Text: "Starting over with a clean slate."},
			{Kind: dialog.NoteSaved, Text: "Noted from your message: deadline: Within weeks."},
			{Kind: dialog.NoteUnclear, Text: "That fits more than one answer: A or B. Which one is it?"},
			{Kind: dialog.NoteRefused, Text: "That message is 1200 characters long; I read at most 1000."},
		}})),
		// Notes confirming answers read from typed text, quoting what the user typed, and a way back.
		"notes_undo": only(t, reply(dialog.Reply{Undo: true, Notes: []dialog.Note{
			{Kind: dialog.NoteSaved, Text: "Understood: languages: Go, Python. (I read golnag → golang, <!here>pyhton → python.)"},
		}})),
		"explain": only(t, reply(dialog.Reply{Explain: &dialog.Explanation{
			Question: "What will the service mostly do?", Help: "Pick all that apply.",
			Tradeoff: "Frameworks built for I/O make computation <harder> & vice versa.",
			Options: []dialog.Meaning{
				{Label: "CRUD & business rules", Means: "Forms, records and rules; an ORM and an admin save the most time."},
				{Label: "Lots of I/O", Means: "Calls to other services; async frameworks keep waiting cheap.", Asked: true},
				{Label: "Heavy computation", Means: "CPU-bound work; give it workers of its own."},
			},
		}})),
		"resume":       only(t, reply(dialog.Reply{Resume: &dialog.Status{Answered: facts[:2], Total: 3}})),
		"status":       only(t, reply(dialog.Reply{Status: &dialog.Status{Answered: facts[:1], Skipped: []string{"deadline"}, Unsure: []string{"compliance"}, Remaining: []string{"languages"}, Total: 4}})),
		"help":         only(t, reply(dialog.Reply{Help: dialog.Commands()})),
		"result":       only(t, reply(dialog.Reply{Result: result(), Questions: questions})),
		"result_low":   only(t, reply(dialog.Reply{Result: lowResult(), Questions: questions})),
		"full_ranking": FullRanking(result()),
		"share_low":    Share(lowResult(), "U1"),
		"share":        Share(result(), "U1"),
		"parent":       Parent(),
		"catalog": Catalog(Listing{Frameworks: 3, Languages: []ListedLanguage{
			{Label: "Go", Frameworks: []ListedFramework{{Name: "Alpha"}, {Name: "Gamma <new>", Emerging: true}}},
			{Label: "Python", Frameworks: []ListedFramework{{Name: "Beta & Co"}}},
			{Label: "Cobol"}, // no framework: left out
		}}),
	}
}

func TestBlockKitGolden(t *testing.T) {
	files := map[string]any{
		"home":       HomeView(Home{Owner: "U1", Frameworks: 6, Latest: result()}),
		"home_empty": HomeView(Home{Owner: "U1", Frameworks: 6}),
	}
	for name, m := range goldenMessages(t) {
		files[name] = map[string]any{"text": m.Text, "blocks": m.Blocks}
	}
	// A whole turn: a note, the answered question's replacement and the next question, in order.
	turn := Render(dialog.Reply{Session: "s1", Step: 5, Notes: []dialog.Note{{Kind: dialog.NoteSaved, Text: "Changed deadline."}},
		Answered: &dialog.Answered{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Answers: []string{"Lots of I/O"}},
		Ask:      oneChoicePrompt()}, "U1")
	files["turn"] = turn
	for name, v := range files {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/slackbot/blockkit -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s (run go test ./internal/slackbot/blockkit -update to accept):\n%s", name, path, got)
			}
		})
	}
}

func TestRenderOrdersAReplyAndPointsAtItsQuestion(t *testing.T) {
	for name, tc := range map[string]struct {
		r          dialog.Reply
		posts      int
		questionAt int
		answered   bool
	}{
		"note, answer and next question":          {dialog.Reply{Notes: []dialog.Note{{Text: "n"}}, Answered: &dialog.Answered{Number: 1, Total: 3, Text: "q"}, Ask: oneChoicePrompt()}, 2, 1, true},
		"a question asked again":                  {dialog.Reply{Notes: []dialog.Note{{Text: "n"}}, Ask: oneChoicePrompt(), Reask: true}, 1, -1, false},
		"an explanation, the question still open": {dialog.Reply{Notes: []dialog.Note{{Text: "n"}}, Explain: &dialog.Explanation{Question: "q"}, Ask: oneChoicePrompt(), Reask: true}, 2, -1, false},
		"an explanation before a new question":    {dialog.Reply{Explain: &dialog.Explanation{Question: "q"}, Ask: oneChoicePrompt()}, 2, 1, false},
		"the last answer and the result":          {dialog.Reply{Answered: &dialog.Answered{Number: 3, Total: 3, Text: "q"}, Result: result(), Questions: questions}, 1, -1, true},
		"nothing to show":                         {dialog.Reply{}, 0, -1, false},
	} {
		t.Run(name, func(t *testing.T) {
			out := Render(tc.r, "U1")
			if len(out.Posts) != tc.posts || out.QuestionAt != tc.questionAt || (out.Answered != nil) != tc.answered {
				t.Fatalf("Render = %d posts, question at %d, answered %v; want %d, %d, %v", len(out.Posts), out.QuestionAt, out.Answered != nil, tc.posts, tc.questionAt, tc.answered)
			}
			if tc.questionAt >= 0 && !strings.HasPrefix(out.Posts[tc.questionAt].Text, "Question 2 of 3") {
				t.Errorf("the post at QuestionAt is %q, not the question", out.Posts[tc.questionAt].Text)
			}
		})
	}
}

// The change menu of a result offers exactly the reply's questions.
func TestTheChangeMenuListsTheReplysQuestions(t *testing.T) {
	m := only(t, Render(dialog.Reply{Result: result(), Questions: questions}, "U1"))
	data, _ := json.Marshal(m.Blocks)
	for _, q := range questions {
		if !strings.Contains(string(data), `"value":"`+q.ID+`"`) {
			t.Errorf("the change menu lacks %s", q.ID)
		}
	}
}

func TestEveryMessageFitsBlockKit(t *testing.T) {
	for name, m := range goldenMessages(t) {
		checkMessage(t, name, m)
	}
	checkBlocks(t, "home", HomeView(Home{Owner: "U1", Frameworks: 6, Latest: result()}).Blocks.BlockSet, 100)
}

// Every question of a catalog renders within Block Kit's limits (the fixture catalog here; the
// shipped one in its acceptance suite).
func TestEveryQuestionRendersWithinLimits(t *testing.T) {
	cat, err := catalog.LoadDir(filepath.Join("..", "..", "catalog", "testdata", "valid"))
	if err != nil {
		t.Fatal(err)
	}
	for qi, q := range cat.Questions {
		p := &dialog.Prompt{QuestionID: q.ID, Number: qi + 1, Total: len(cat.Questions), Text: q.Text, Help: q.Help, Kind: q.Kind, CanGoBack: true}
		for _, o := range q.Options {
			p.Choices = append(p.Choices, dialog.Choice{ID: o.ID, Label: o.Label, Selected: true})
		}
		checkMessage(t, "question "+q.ID, questionMessage(p, Control{Owner: "U0123456789", Session: "lxyz0123456789", Step: 999}))
	}
}

// The worst case: the longest names, every reason and watchout long, every answer given.
func TestWorstCaseResultFitsBlockKit(t *testing.T) {
	long := func(n int, s string) string { return strings.Repeat(s, n/len(s)+1)[:n] }
	res := &ranking.Result{POC: []string{long(400, "step "), long(400, "step "), long(400, "step "), long(400, "step "), long(400, "step "), long(400, "step "), long(400, "step ")}}
	res.Confidence = ranking.Confidence{Level: ranking.Medium, Coverage: 0.5, Margin: 100, Answered: 14, Questions: 14}
	for i := 0; i < 14; i++ {
		res.Situation = append(res.Situation, ranking.Fact{QuestionID: fmt.Sprint("q", i), Short: long(30, "short "), Answers: []string{long(75, "label "), long(75, "label ")}})
	}
	for i := 0; i < 18; i++ {
		e := ranking.Entry{ID: fmt.Sprint("f", i), Name: long(60, "Framework <!channel> & "), Score: 100 - i, Languages: []string{long(40, "lang "), long(40, "lang ")}, Website: "https://" + long(200, "a") + ".example/path?x=1&y=<2>", Emerging: true}
		for j := 0; j < 4; j++ {
			e.Reasons = append(e.Reasons, ranking.Reason{Text: long(400, "because <@U1> "), Positive: j%2 == 0})
		}
		for j := 0; j < 10; j++ {
			e.Watchouts = append(e.Watchouts, ranking.Watchout{Text: long(300, "watch out <!here> "), Triggered: j < 5})
		}
		for j := 0; j < 17 && i == 0; j++ {
			e.Alternatives = append(e.Alternatives, long(60, "Sibling <!channel> & "))
		}
		if i > 0 && i%3 == 0 {
			e.SiblingOf = "f0"
		}
		res.Shortlist = append(res.Shortlist, e)
	}
	for i := 0; i < 13; i++ {
		res.Checklist = append(res.Checklist, ranking.CheckItem{ID: fmt.Sprint("c", i), Title: long(40, "title "), Settled: i%2 == 0, Conflict: i%4 == 1, Text: long(300, "verify ")})
	}
	var qs []dialog.Choice
	for i := 0; i < 14; i++ {
		qs = append(qs, dialog.Choice{ID: fmt.Sprint("q", i), Label: long(75, "short ")})
	}
	c := Control{Owner: "U0123456789", Session: "lxyz0123456789", Step: 999}
	for name, m := range map[string]Message{
		"result": resultMessage(res, qs, c), "share": Share(res, "U0123456789"), "full_ranking": FullRanking(res),
	} {
		checkMessage(t, "worst-case "+name, m)
		data, _ := json.Marshal(m.Blocks)
		for _, ping := range []string{"<!channel>", "<!here>", "<@U1>"} {
			if strings.Contains(string(data), ping) {
				t.Errorf("worst-case %s renders %s unescaped", name, ping)
			}
		}
	}
	checkBlocks(t, "worst-case home", HomeView(Home{Owner: "U0123456789", Frameworks: 18, Latest: res}).Blocks.BlockSet, 100)
}

// Messages shown in an ack stay under Slack's 20 KiB ack limit, even for a big catalog.
func TestSlashAcksStayUnderTheAckLimit(t *testing.T) {
	big := Listing{Frameworks: 60}
	for l := 0; l < 12; l++ {
		lang := ListedLanguage{Label: strings.Repeat("L", 40)}
		for f := 0; f < 5; f++ {
			lang.Frameworks = append(lang.Frameworks, ListedFramework{Name: strings.Repeat("F", 60), Emerging: true})
		}
		big.Languages = append(big.Languages, lang)
	}
	for name, m := range map[string]Message{"help": Help(dialog.Commands()), "catalog": Catalog(big)} {
		data, _ := json.Marshal(map[string]any{"response_type": "ephemeral", "text": m.Text, "blocks": m.Blocks})
		if len(data) >= 20480 {
			t.Errorf("%s ack payload is %d bytes; Slack drops acks of 20 KiB or more", name, len(data))
		}
	}
}

func TestEscapingNeutralisesMentionsAndLinks(t *testing.T) {
	for in, want := range map[string]string{
		"<!channel> hi":           "&lt;!channel&gt; hi",
		"<@U123> & <!here>":       "&lt;@U123&gt; &amp; &lt;!here&gt;",
		"<https://evil|click me>": "&lt;https://evil|click me&gt;",
	} {
		if got := esc(in); got != want {
			t.Errorf("esc(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestControlsRoundTrip(t *testing.T) {
	c := Control{Owner: "U1", Session: "abc", Step: 12, Question: "team", Option: "small"}
	got, err := DecodeControl(c.Encode())
	if err != nil || got != c {
		t.Fatalf("DecodeControl(encode) = %+v, %v", got, err)
	}
	kind, got, err := DecodeBlockID(c.BlockID("share"))
	if err != nil || kind != "share" || got != c {
		t.Fatalf("decodeBlockID = %s %+v, %v", kind, got, err)
	}
	for _, bad := range []string{"", "a|b", "U1|s|x|q|o", "U1|s|1|q|o|extra"} {
		if _, err := DecodeControl(bad); err == nil {
			t.Errorf("DecodeControl(%q) accepted", bad)
		}
	}
}

func checkMessage(t *testing.T, name string, m Message) {
	t.Helper()
	if strings.TrimSpace(m.Text) == "" || utf8.RuneCountInString(m.Text) > maxFallback {
		t.Errorf("%s: fallback text has %d characters, want 1..%d", name, utf8.RuneCountInString(m.Text), maxFallback)
	}
	checkBlocks(t, name, m.Blocks, 50)
}

// checkBlocks walks the JSON Slack receives and checks it against Block Kit's limits.
func checkBlocks(t *testing.T, name string, blocks []slack.Block, maxBlocks int) {
	t.Helper()
	data, err := json.Marshal(blocks)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var raw []map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 || len(raw) > maxBlocks {
		t.Errorf("%s: %d blocks, want 1..%d", name, len(raw), maxBlocks)
	}
	total := 0
	text := func(where string, v any, max int) {
		obj, _ := v.(map[string]any)
		s, _ := obj["text"].(string)
		n := utf8.RuneCountInString(s)
		total += n
		if n == 0 || n > max {
			t.Errorf("%s: %s text has %d characters, want 1..%d", name, where, n, max)
		}
	}
	ids := map[string]bool{}
	for i, b := range raw {
		where := fmt.Sprintf("block %d (%s)", i, b["type"])
		if id, _ := b["block_id"].(string); id != "" {
			if len(id) > 255 || ids[id] {
				t.Errorf("%s: block_id %q too long or repeated", name, id)
			}
			ids[id] = true
		}
		switch b["type"] {
		case "section":
			text(where, b["text"], 3000)
			if f, _ := b["fields"].([]any); len(f) > 10 {
				t.Errorf("%s: %s has %d fields", name, where, len(f))
			}
		case "header":
			text(where, b["text"], 150)
		case "context":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 10 {
				t.Errorf("%s: %s has %d elements", name, where, len(els))
			}
			for _, e := range els {
				text(where, e, 3000)
			}
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				t.Errorf("%s: %s has %d elements", name, where, len(els))
			}
			actionIDs := map[string]bool{}
			for _, e := range els {
				el := e.(map[string]any)
				id, _ := el["action_id"].(string)
				if id == "" || len(id) > 255 || actionIDs[id] {
					t.Errorf("%s: %s action_id %q missing, too long or repeated", name, where, id)
				}
				actionIDs[id] = true
				checkElement(t, name+" "+where, el)
			}
		case "divider":
		default:
			t.Errorf("%s: unexpected %s", name, where)
		}
	}
	if total > 12000 {
		t.Errorf("%s: %d characters of text in all; Slack refuses around 13,000 (msg_blocks_too_long)", name, total)
	}
}

func checkElement(t *testing.T, where string, el map[string]any) {
	t.Helper()
	str := func(v any) string {
		if m, ok := v.(map[string]any); ok {
			s, _ := m["text"].(string)
			return s
		}
		s, _ := v.(string)
		return s
	}
	limit := func(what, s string, max int) {
		if n := utf8.RuneCountInString(s); n == 0 || n > max {
			t.Errorf("%s: %s %q has %d characters, want 1..%d", where, what, s, n, max)
		}
	}
	switch el["type"] {
	case "button":
		limit("button text", str(el["text"]), 75)
		limit("button value", str(el["value"]), 2000)
	case "static_select", "multi_static_select", "checkboxes":
		opts, _ := el["options"].([]any)
		max := 100
		if el["type"] == "checkboxes" {
			max = 10
		} else {
			limit("placeholder", str(el["placeholder"]), 150)
		}
		if len(opts) == 0 || len(opts) > max {
			t.Errorf("%s: %d options, want 1..%d", where, len(opts), max)
		}
		for _, o := range opts {
			om := o.(map[string]any)
			limit("option text", str(om["text"]), 75)
			limit("option value", str(om["value"]), 75)
		}
	case "conversations_select":
		limit("placeholder", str(el["placeholder"]), 150)
	default:
		t.Errorf("%s: unexpected element %v", where, el["type"])
	}
}
