package blockkit

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

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

// result has more frameworks than a result shows, reasons of both signs, more watchouts than a
// compact result shows (one triggered, then general caveats), an emerging framework, a sibling
// (Delta, standing in for by Alpha), medium confidence, and settled, contradicted and open
// checklist items.
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
			Watchouts: []ranking.Watchout{{Text: "Fewer batteries than the big frameworks.", Triggered: true}, {Text: "Young ecosystem."}, {Text: "Watchout three shows in the details only."}}}
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

// deadlineChange is a change of the deadline answer, with the reason it gives.
var deadlineChange = ranking.Change{QuestionID: "deadline", Short: "deadline", From: []string{"Long term"}, To: []string{"Within weeks"}, Options: []string{"o1"}, Because: []string{"you need to ship in weeks"}}

// movement puts Beta & Co first, moves Alpha down and leaves Gamma where it was.
func movement() *ranking.Movement {
	return &ranking.Movement{Changes: []ranking.Change{deadlineChange}, TopChanged: true, Moves: []ranking.Move{
		{ID: "beta", Name: "Beta & Co", From: 77, To: 92, FromPlace: 2, ToPlace: 1},
		{ID: "alph", Name: "Alpha", From: 90, To: 85, FromPlace: 1, ToPlace: 2},
		{ID: "gamm", Name: "Gamma", From: 64, To: 64, FromPlace: 3, ToPlace: 3},
	}}
}

// firmness has more flips than are listed.
func firmness() *ranking.Firmness {
	f := &ranking.Firmness{Top: "Alpha", Tried: 55}
	for i, leader := range []string{"Beta & Co", "Gamma", "Epsilon", "Zeta"} {
		f.Flips = append(f.Flips, ranking.Flip{Change: deadlineChange, Leader: leader, Score: 88 - i, Lead: 7 - i})
	}
	return f
}

// whyNot explains Beta & Co, second in result, with a lever that puts it first.
func whyNot() *ranking.WhyNot {
	res := result()
	return &ranking.WhyNot{Entry: res.Shortlist[1], Top: res.Shortlist[0], Place: 2, Behind: 13,
		Costs: []ranking.Cost{
			{Text: "your team knows Go, and Beta & Co is Python or TypeScript", Points: 9},
			{Text: "speed of delivery 3/5 against Alpha's 5/5 (you need to ship in weeks)", Points: 4},
		},
		Lever: &ranking.Lever{Change: deadlineChange, Place: 1, Score: 92, Leads: true}}
}

// alphaVsGamma sets Alpha against Gamma on three criteria, one the user wants less of.
func alphaVsGamma() *ranking.Comparison {
	res := result()
	return &ranking.Comparison{A: res.Shortlist[0], B: res.Shortlist[2], PlaceA: 1, PlaceB: 3,
		Rows: []ranking.Row{
			{Driver: ranking.Driver{Criterion: "speed", Label: "speed of delivery", Share: 0.3, Why: []string{"you need to ship in weeks"}}, A: 5, B: 3, FitA: ranking.FitExcellent, FitB: ranking.FitFair},
			{Driver: ranking.Driver{Criterion: "io", Label: "I/O throughput & latency", Share: 0.22}, A: 3, B: 5, FitA: ranking.FitFair, FitB: ranking.FitExcellent},
			{Driver: ranking.Driver{Criterion: "ops", Label: "operational complexity", Share: 0.08, Less: true}, A: 2, B: 4, FitA: ranking.FitGood, FitB: ranking.FitWeak},
		},
		Verdict: "For your answers Alpha leads Gamma by 26 points: Alpha is stronger on speed of delivery and operational complexity, Gamma on I/O throughput & latency."}
}

// reviewPrompts are every kind of question of the review modal: one choice answered, several of
// a few and of many, and one choice unanswered.
func reviewPrompts() []dialog.Prompt {
	unanswered := oneChoicePrompt()
	unanswered.QuestionID, unanswered.Number, unanswered.Text, unanswered.Help = "traffic", 4, "How much traffic do you expect?", ""
	unanswered.Choices = choices("A few users", "Thousands", "Millions")
	var out []dialog.Prompt
	for _, p := range []*dialog.Prompt{checkboxPrompt(), oneChoicePrompt(), multiSelectPrompt(), unanswered} {
		p.Total = 4
		out = append(out, *p)
	}
	return out
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
	messages := map[string]Message{
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
		"resume":           only(t, reply(dialog.Reply{Resume: &dialog.Status{Answered: facts[:2], Total: 3}})),
		"status":           only(t, reply(dialog.Reply{Status: &dialog.Status{Answered: facts[:1], Skipped: []string{"deadline"}, Unsure: []string{"compliance"}, Remaining: []string{"languages"}, Total: 4}})),
		"help":             only(t, reply(dialog.Reply{Help: dialog.Commands()})),
		"result":           only(t, reply(dialog.Reply{Result: result(), Firmness: firmness(), Questions: questions})),
		"result_low":       only(t, reply(dialog.Reply{Result: lowResult(), Firmness: firmness(), Questions: questions})),
		"result_reasons":   only(t, reply(dialog.Reply{Result: result(), Detail: dialog.DetailReasons})),
		"result_checklist": only(t, reply(dialog.Reply{Result: result(), Detail: dialog.DetailChecklist})),
		"result_plan":      only(t, reply(dialog.Reply{Result: result(), Detail: dialog.DetailPlan})),
		"full_ranking":     only(t, reply(dialog.Reply{Result: result(), Detail: dialog.DetailRanking})),
		"what_moved":       only(t, reply(dialog.Reply{Movement: movement()})),
		"what_if":          only(t, reply(dialog.Reply{Movement: movement(), Hypothetical: true})),
		"how_firm":         only(t, reply(dialog.Reply{Firmness: firmness()})),
		"why_not":          only(t, reply(dialog.Reply{WhyNot: whyNot()})),
		"why_not_stuck":    only(t, reply(dialog.Reply{WhyNot: whyNotStuck()})),
		"why_not_top":      only(t, reply(dialog.Reply{WhyNot: whyNotTop()})),
		"compare":          only(t, reply(dialog.Reply{Compare: alphaVsGamma()})),
		"compare_sections": CompareSections(alphaVsGamma()),
		"share_low":        Share(lowResult(), "U1"),
		"share":            Share(result(), "U1"),
		"parent":           Parent(),
		"catalog": Catalog(Listing{Frameworks: 3, Languages: []ListedLanguage{
			{Label: "Go", Frameworks: []ListedFramework{{Name: "Alpha"}, {Name: "Gamma <new>", Emerging: true}}},
			{Label: "Python", Frameworks: []ListedFramework{{Name: "Beta & Co"}}},
			{Label: "Cobol"}, // no framework: left out
		}}),
	}
	maps.Copy(messages, radarGoldens(t))
	return messages
}

// whyNotStuck is Gamma, which no single answer moves up, with nothing going for it.
func whyNotStuck() *ranking.WhyNot {
	w := whyNot()
	w.Entry, w.Place, w.Behind, w.Lever = result().Shortlist[2], 3, 26, nil
	w.Entry.Reasons, w.Costs = w.Entry.Reasons[1:], w.Costs[1:]
	return w
}

// whyNotTop asks why not the top pick.
func whyNotTop() *ranking.WhyNot {
	res := result()
	return &ranking.WhyNot{Entry: res.Shortlist[0], Top: res.Shortlist[0], Place: 1}
}

func TestBlockKitGolden(t *testing.T) {
	files := map[string]any{
		"home":         HomeView(Home{Owner: "U1", Frameworks: 6, Latest: result()}),
		"home_empty":   HomeView(Home{Owner: "U1", Frameworks: 6}),
		"review_modal": ReviewModal(reviewPrompts(), ctl),
	}
	for name, m := range goldenMessages(t) {
		files[name] = map[string]any{"text": m.Text, "blocks": m.Blocks}
	}
	// A whole turn: a note, the answered question's replacement and the next question, in order.
	turn := Render(dialog.Reply{Session: "s1", Step: 5, Notes: []dialog.Note{{Kind: dialog.NoteSaved, Text: "Changed deadline."}},
		Answered: &dialog.Answered{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Answers: []string{"Lots of I/O"}},
		Ask:      oneChoicePrompt()}, "U1")
	files["turn"] = turn
	// The same turn answered by typing: no replacement, the first post says how it was read.
	typed := Render(dialog.Reply{Session: "s1", Step: 5, Notes: []dialog.Note{{Kind: dialog.NoteInfo, Text: "I wasn't sure about hosting, so I'll ask."}},
		Answered: &dialog.Answered{QuestionID: "workload", Number: 1, Total: 3, Text: "What will the service mostly do?", Short: "workload", Answers: []string{"Lots of I/O"}, Typed: true},
		Ask:      oneChoicePrompt()}, "U1")
	files["turn_typed"] = typed
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
		"a typed answer and the next question":    {dialog.Reply{Answered: &dialog.Answered{Number: 1, Total: 3, Text: "q", Typed: true}, Ask: oneChoicePrompt()}, 1, 0, false},
		"a typed last answer and the result":      {dialog.Reply{Answered: &dialog.Answered{Number: 3, Total: 3, Text: "q", Typed: true}, Result: result(), Questions: questions}, 1, -1, false},
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

// A typed answer is confirmed by a context block at the top of the reply's first post, whatever
// that post is, in the words of the question's replacement (skipped, not sure), escaped; the
// post's fallback text starts as it did, and no replacement is given.
func TestATypedAnswerIsConfirmedAtTheTopOfTheReply(t *testing.T) {
	typed := func(a dialog.Answered) *dialog.Answered {
		a.QuestionID, a.Number, a.Total, a.Text, a.Short, a.Typed = "workload", 1, 3, "What will the service mostly do?", "work<!channel>load", true
		return &a
	}
	notes := []dialog.Note{{Kind: dialog.NoteSaved, Text: "Understood: workload: Lots of I/O."}}
	for name, tc := range map[string]struct {
		r    dialog.Reply
		want string
	}{
		"an answer, then the next question": {dialog.Reply{Answered: typed(dialog.Answered{Answers: []string{"CRUD & business rules", "<!here> I/O"}}), Ask: oneChoicePrompt()},
			"✓ work&lt;!channel&gt;load: *CRUD &amp; business rules, &lt;!here&gt; I/O*"},
		"a skip, then the shortlist": {dialog.Reply{Answered: typed(dialog.Answered{Skipped: true}), Result: result(), Firmness: firmness(), Questions: questions},
			"✓ work&lt;!channel&gt;load: _skipped_"},
		"a doubt, then the next question": {dialog.Reply{Answered: typed(dialog.Answered{Unsure: true}), Ask: oneChoicePrompt()},
			"✓ work&lt;!channel&gt;load: _not sure (neutral)_"},
	} {
		t.Run(name, func(t *testing.T) {
			out := Render(tc.r, "U1")
			if out.Answered != nil {
				t.Errorf("a typed answer replaces its question's message: %+v", out.Answered)
			}
			clicked := tc.r
			clicked.Answered = nil
			want := Render(clicked, "U1")
			if len(out.Posts) != len(want.Posts) || len(out.Posts) == 0 {
				t.Fatalf("%d posts, want %d", len(out.Posts), len(want.Posts))
			}
			first := out.Posts[0]
			if first.Text != want.Posts[0].Text {
				t.Errorf("the first post's fallback text = %q; want it unchanged, %q", first.Text, want.Posts[0].Text)
			}
			data, _ := json.Marshal(first.Blocks[0])
			var got struct {
				Type     string
				Elements []struct{ Text string }
			}
			_ = json.Unmarshal(data, &got)
			if got.Type != "context" || len(got.Elements) != 1 || got.Elements[0].Text != tc.want {
				t.Errorf("the first block = %s; want a context block %q", data, tc.want)
			}
			if len(first.Blocks) != len(want.Posts[0].Blocks)+1 {
				t.Errorf("the first post has %d blocks; want its %d and the confirmation", len(first.Blocks), len(want.Posts[0].Blocks))
			}
			checkMessage(t, name, first)
		})
	}
	// Notes that confirm what was saved say how the message was read: no line says it again.
	loose := dialog.Reply{Notes: notes, Answered: typed(dialog.Answered{Answers: []string{"Lots of I/O"}}), Ask: oneChoicePrompt()}
	out, plain := Render(loose, "U1"), loose
	plain.Answered = nil
	if want := Render(plain, "U1"); out.Answered != nil || !reflect.DeepEqual(out.Posts, want.Posts) {
		t.Errorf("an answer confirmed by its notes got a line of its own or an update: %+v", out)
	}
	// With nothing to post (no dialog reply does that), the question's message is replaced, as
	// for a click, so the answer still shows.
	if out := Render(dialog.Reply{Answered: typed(dialog.Answered{Answers: []string{"Lots of I/O"}})}, "U1"); out.Answered == nil || len(out.Posts) != 0 {
		t.Errorf("a typed answer with nothing to post: replacement %v, %d posts", out.Answered, len(out.Posts))
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
	checkModal(t, "review", ReviewModal(reviewPrompts(), ctl))
}

// What moved comes before everything else; details come one message each and carry no controls.
func TestRenderShowsWhatMovedFirstAndDetailsWithoutControls(t *testing.T) {
	r := Render(dialog.Reply{Movement: movement(), Notes: []dialog.Note{{Text: "Changed deadline."}}, Result: result(), Questions: questions}, "U1")
	if len(r.Posts) != 3 || !strings.HasPrefix(r.Posts[0].Text, "What moved: ") || r.Posts[1].Text != "Changed deadline." {
		t.Fatalf("Render posts %q, want what moved, the note, the result", texts(r.Posts))
	}
	var each []Message
	for _, d := range allDetails {
		each = append(each, only(t, Render(dialog.Reply{Result: result(), Detail: d}, "U1")))
	}
	all := Render(dialog.Reply{Result: result(), Firmness: firmness(), Detail: dialog.DetailAll}, "U1").Posts
	if !reflect.DeepEqual(all, each) {
		t.Errorf("DetailAll posts %q, want every detail: %q", texts(all), texts(each))
	}
	for _, m := range all {
		for _, b := range m.Blocks {
			if b.BlockType() == slack.MBTAction {
				t.Errorf("the detail %q carries controls", m.Text)
			}
		}
	}
}

func texts(ms []Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// The controls of a compact result name a detail the bot knows, offer every framework to
// explain, and carry the result's control in the menus' block id.
func TestTheResultsControlsDecode(t *testing.T) {
	res := result()
	m := only(t, Render(dialog.Reply{Session: ctl.Session, Step: ctl.Step, Result: res, Questions: questions}, ctl.Owner))
	explained := map[string]bool{}
	for _, b := range m.Blocks {
		a, ok := b.(*slack.ActionBlock)
		if !ok {
			continue
		}
		for _, el := range a.Elements.ElementSet {
			switch el := el.(type) {
			case *slack.ButtonBlockElement:
				if detail, ok := strings.CutPrefix(el.ActionID, ActShowPrefix); ok && DetailNames[detail] == dialog.DetailCompact {
					t.Errorf("button %s shows no detail", el.ActionID)
				}
			case *slack.SelectBlockElement:
				if el.ActionID != ActWhyNot {
					continue
				}
				if _, c, err := DecodeBlockID(a.BlockID); err != nil || c != ctl {
					t.Errorf("the why-not menu's block id %q decodes to %+v, %v", a.BlockID, c, err)
				}
				for _, o := range el.Options {
					explained[o.Value] = true
				}
			}
		}
	}
	for _, e := range res.Shortlist {
		if !explained[e.ID] {
			t.Errorf("the why-not menu lacks %s", e.ID)
		}
	}
}

// A why-not offers to compare with the top pick, carrying the framework it explains.
func TestWhyNotComparesWithTheTopPick(t *testing.T) {
	m := only(t, Render(dialog.Reply{Session: ctl.Session, Step: ctl.Step, WhyNot: whyNot()}, ctl.Owner))
	b := m.Blocks[len(m.Blocks)-1].(*slack.ActionBlock).Elements.ElementSet[0].(*slack.ButtonBlockElement)
	c, err := DecodeControl(b.Value)
	if b.ActionID != ActCompare || err != nil || c.Option != "beta" {
		t.Errorf("the compare button is %s with %+v, %v; want %s for beta", b.ActionID, c, err, ActCompare)
	}
}

// A submitted review reads back as the answers chosen in it and the control it was opened with.
func TestAReviewReadsBack(t *testing.T) {
	v := ReviewModal(reviewPrompts(), ctl)
	submitted := slack.View{CallbackID: v.CallbackID, PrivateMetadata: v.PrivateMetadata, State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		ReviewBlockPrefix + "workload":  {ActChoose: {SelectedOptions: []slack.OptionBlockObject{{Value: "o1"}, {Value: "o3"}}}},
		ReviewBlockPrefix + "deadline":  {ActChoose: {SelectedOption: slack.OptionBlockObject{Value: "o2"}}},
		ReviewBlockPrefix + "languages": {ActChoose: {SelectedOptions: []slack.OptionBlockObject{{Value: "o10"}}}},
		ReviewBlockPrefix + "traffic":   {ActChoose: {}}, // left unanswered
		"other":                         {"x": {Value: "ignored"}},
	}}}
	c, answers, err := ReviewAnswers(submitted)
	want := catalog.Answers{"workload": {"o1", "o3"}, "deadline": {"o2"}, "languages": {"o10"}}
	if err != nil || c != ctl || !reflect.DeepEqual(answers, want) {
		t.Fatalf("ReviewAnswers = %+v, %v, %v; want %+v, %v", c, answers, err, ctl, want)
	}
	for name, bad := range map[string]slack.View{
		"another view":        {CallbackID: "other", PrivateMetadata: v.PrivateMetadata},
		"forged metadata":     {CallbackID: ReviewCallback, PrivateMetadata: "U1|s1"},
		"metadata left empty": {CallbackID: ReviewCallback},
	} {
		if _, _, err := ReviewAnswers(bad); err == nil {
			t.Errorf("ReviewAnswers accepted %s", name)
		}
	}
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
