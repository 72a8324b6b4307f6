package blockkit

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// The controls of the worst case: the longest ids Slack and the session store hand out.
const worstOwner = "U0123456789"

var worstControl = Control{Owner: worstOwner, Session: "lxyz0123456789", Step: 999}

// followUps are a what-if, a why-not, a comparison of the first two entries and a firmness over
// res, every text of them being text.
func followUps(res *ranking.Result, text string) dialog.Reply {
	change := ranking.Change{QuestionID: "q", Short: text, From: []string{text}, To: []string{text, text}, Options: []string{"o1", "o2"}, Because: []string{text, text}}
	mv := ranking.Movement{Changes: []ranking.Change{change, change}, TopChanged: true}
	f := ranking.Firmness{Top: res.Shortlist[0].Name, Tried: 99}
	cmp := ranking.Comparison{A: res.Shortlist[0], B: res.Shortlist[1], PlaceA: 1, PlaceB: 2, Verdict: text}
	w := ranking.WhyNot{Entry: res.Shortlist[1], Top: res.Shortlist[0], Place: 2, Behind: 1, Lever: &ranking.Lever{Change: change, Place: 1, Score: 99, Leads: true}}
	for i, e := range res.Shortlist {
		mv.Moves = append(mv.Moves, ranking.Move{ID: e.ID, Name: e.Name, From: e.Score, To: e.Score - i, FromPlace: i + 1, ToPlace: i + 2})
		f.Flips = append(f.Flips, ranking.Flip{Change: change, Leader: e.Name, Score: e.Score, Lead: i})
	}
	// As many rows and costs as ranking gives at most.
	for i := 0; i < 8; i++ {
		cmp.Rows = append(cmp.Rows, ranking.Row{Driver: ranking.Driver{Label: text, Share: 0.5, Less: i%2 == 0, Why: []string{text}}, A: 5, B: 1, FitA: ranking.FitExcellent, FitB: ranking.FitPoor})
	}
	for i := 0; i < 3; i++ {
		w.Costs = append(w.Costs, ranking.Cost{Text: text, Points: 10})
	}
	return dialog.Reply{Movement: &mv, Hypothetical: true, WhyNot: &w, Compare: &cmp, Firmness: &f}
}

// everyMessage renders res and every follow-up of it: the compact result, each detail, what
// moved, a what-if, a why-not (of the top pick too), a comparison both ways, how firm, a share.
func everyMessage(res *ranking.Result, questions []dialog.Choice, text string) map[string]Message {
	fu := followUps(res, text)
	top := ranking.WhyNot{Entry: res.Shortlist[0], Top: res.Shortlist[0], Place: 1}
	typed := &dialog.Answered{QuestionID: "q", Number: 14, Total: 14, Text: text, Short: text, Answers: []string{text, text, text, text}, Typed: true}
	replies := map[string]dialog.Reply{
		"compact": {Result: res, Firmness: fu.Firmness, Questions: questions},
		// The last answer typed: the compact result carries its confirmation.
		"typed last answer": {Answered: typed, Result: res, Firmness: fu.Firmness, Questions: questions},
		"follow-ups":        fu,
		"what moved":        {Movement: fu.Movement},
		"how firm":          {Firmness: fu.Firmness},
		"top why":           {WhyNot: &top},
	}
	for name, d := range DetailNames {
		replies["detail "+name] = dialog.Reply{Result: res, Detail: d}
	}
	out := map[string]Message{"share": Share(res, worstOwner), "compare sections": CompareSections(fu.Compare), "full ranking": fullRanking(res)}
	for name, r := range replies {
		r.Session, r.Step = worstControl.Session, worstControl.Step
		for i, m := range Render(r, worstOwner).Posts {
			out[fmt.Sprintf("%s %d", name, i)] = m
		}
	}
	return out
}

// long is s repeated to n bytes.
func long(n int, s string) string { return strings.Repeat(s, n/len(s)+1)[:n] }

// worstCase is a result with the longest names, every reason and watchout long, every answer
// given, a radar note of 300 characters on every entry and 18 frameworks on hold, and a mention
// in every text; with the review prompts and question choices of 14 questions of 12 options
// each.
func worstCase() (*ranking.Result, []dialog.Prompt, []dialog.Choice) {
	const ping = "<!channel> <@U1> & "
	res := &ranking.Result{Confidence: ranking.Confidence{Level: ranking.Medium, Coverage: 0.5, Margin: 100, Answered: 14, Questions: 14}}
	for i := 0; i < 7; i++ {
		res.POC = append(res.POC, long(400, "step "+ping))
	}
	var prompts []dialog.Prompt
	var questions []dialog.Choice
	for i := 0; i < 14; i++ {
		id := fmt.Sprint("q", i)
		res.Situation = append(res.Situation, ranking.Fact{QuestionID: id, Short: long(30, ping), Answers: []string{long(75, "label "+ping), long(75, "label "+ping)}})
		questions = append(questions, dialog.Choice{ID: id, Label: long(75, ping)})
		p := dialog.Prompt{QuestionID: id, Number: i + 1, Total: 14, Text: long(100, "question "+ping), Help: long(300, "help "+ping), Kind: []catalog.Kind{catalog.One, catalog.Several}[i%2]}
		for j := 0; j < 12; j++ {
			p.Choices = append(p.Choices, dialog.Choice{ID: fmt.Sprint("option-", j), Label: long(75, "label "+ping), Selected: j%(i+1) == 0})
		}
		prompts = append(prompts, p)
	}
	for i := 0; i < 18; i++ {
		e := ranking.Entry{ID: fmt.Sprint("f", i), Name: long(40, "Framework "+ping), Score: 100 - i, Languages: []string{long(40, "lang "+ping), long(40, "lang "+ping)}, Website: "https://" + long(200, "a") + ".example/path?x=1&y=<2>", Emerging: true}
		for j := 0; j < 4; j++ {
			e.Reasons = append(e.Reasons, ranking.Reason{Text: long(250, "because "+ping), Positive: j%2 == 0})
		}
		for j := 0; j < 10; j++ {
			e.Watchouts = append(e.Watchouts, ranking.Watchout{Text: long(300, "watch out "+ping), Triggered: j < 5})
		}
		for j := 0; j < 17 && i == 0; j++ {
			e.Alternatives = append(e.Alternatives, long(40, "Sibling "+ping))
		}
		if i > 0 && i%3 == 0 {
			e.SiblingOf = "f0"
		}
		e.Stance = &catalog.Stance{Ring: catalog.Rings[i%len(catalog.Rings)], Date: radarDay, Description: long(300, "radar "+ping), Entry: e.Name}
		res.Shortlist = append(res.Shortlist, e)
		res.NotConsidered = append(res.NotConsidered, ranking.Held{ID: fmt.Sprint("h", i), Name: e.Name, Languages: e.Languages, Stance: *e.Stance, Reason: long(300, "held "+ping)})
	}
	for i := 0; i < 13; i++ {
		res.Checklist = append(res.Checklist, ranking.CheckItem{ID: fmt.Sprint("c", i), Title: long(40, "title "+ping), Settled: i%2 == 0, Conflict: i%4 == 1, Text: long(300, "verify "+ping)})
	}
	return res, prompts, questions
}

// worstText is the text of every follow-up of the worst case.
var worstText = long(300, "text <!channel> <@U1> & ")

// The worst case fits Block Kit's limits, every message and the review modal.
func TestWorstCaseFitsBlockKit(t *testing.T) {
	res, prompts, questions := worstCase()
	for name, m := range everyMessage(res, questions, worstText) {
		checkMessage(t, "worst-case "+name, m)
	}
	checkModal(t, "worst-case review", ReviewModal(prompts, worstControl))
	checkBlocks(t, "worst-case home", HomeView(Home{Owner: worstOwner, Frameworks: 18, Latest: res}).Blocks.BlockSet, 100)
	teamMsgs, home := teamWorstCase(t)
	for name, m := range teamMsgs {
		checkMessage(t, "worst-case team "+name, m, teamWorstMentions...)
	}
	checkBlocks(t, "worst-case home with team decisions", home.Blocks.BlockSet, 100)
	checkEscaped(t, "worst-case home with team decisions", "", home.Blocks.BlockSet, teamWorstMentions...)
}

// A review of more questions than a modal holds shows the first ones and says so.
func TestAReviewOfManyQuestionsFitsAModal(t *testing.T) {
	prompts := make([]dialog.Prompt, 150)
	for i := range prompts {
		prompts[i] = *oneChoicePrompt()
		prompts[i].QuestionID, prompts[i].Number = fmt.Sprint("q", i), i+1
	}
	v := ReviewModal(prompts, worstControl)
	checkModal(t, "review of 150", v)
	data, _ := json.Marshal(v.Blocks)
	if !strings.Contains(string(data), "the first 99 of 150 questions") {
		t.Errorf("the review does not say it holds only the first questions: %s", data)
	}
}

// Every question of a catalog renders within Block Kit's limits, in the thread and in the review
// modal (the fixture catalog here; the shipped one in its acceptance suite).
func TestEveryQuestionRendersWithinLimits(t *testing.T) {
	cat, err := catalog.LoadDir(filepath.Join("..", "..", "catalog", "testdata", "valid"))
	if err != nil {
		t.Fatal(err)
	}
	var prompts []dialog.Prompt
	for qi, q := range cat.Questions {
		p := dialog.Prompt{QuestionID: q.ID, Number: qi + 1, Total: len(cat.Questions), Text: q.Text, Help: q.Help, Kind: q.Kind, CanGoBack: true}
		for _, o := range q.Options {
			p.Choices = append(p.Choices, dialog.Choice{ID: o.ID, Label: o.Label, Selected: true})
		}
		checkMessage(t, "question "+q.ID, questionMessage(&p, worstControl))
		prompts = append(prompts, p)
	}
	checkModal(t, "review", ReviewModal(prompts, worstControl))
}

// checkMessage checks m against Block Kit's limits and for unescaped mentions, but those in
// allowed (the ids a message names on purpose, such as "<@U1>").
func checkMessage(t *testing.T, name string, m Message, allowed ...string) {
	t.Helper()
	if strings.TrimSpace(m.Text) == "" || utf8.RuneCountInString(m.Text) > maxFallback {
		t.Errorf("%s: fallback text has %d characters, want 1..%d", name, utf8.RuneCountInString(m.Text), maxFallback)
	}
	checkBlocks(t, name, m.Blocks, 50)
	checkEscaped(t, name, m.Text, m.Blocks, allowed...)
}

func checkModal(t *testing.T, name string, v slack.ModalViewRequest) {
	t.Helper()
	for what, text := range map[string]*slack.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
		if text == nil || text.Type != slack.PlainTextType || utf8.RuneCountInString(text.Text) > 24 {
			t.Errorf("%s: modal %s %+v, want plain text of 1..24 characters", name, what, text)
		}
	}
	if len(v.PrivateMetadata) > 3000 || len(v.CallbackID) > 255 {
		t.Errorf("%s: private metadata of %d characters or callback id of %d", name, len(v.PrivateMetadata), len(v.CallbackID))
	}
	checkBlocks(t, name, v.Blocks.BlockSet, 100)
	checkEscaped(t, name, "", v.Blocks.BlockSet)
}

// slackDates are the dates Slack formats in each reader's time zone; they ping nobody.
var slackDates = regexp.MustCompile(`<!date\^[0-9]+\^\{date\}\|[^<>]*>`)

// checkEscaped fails when text Slack parses as mrkdwn (the fallback, mrkdwn text objects) holds
// a mention that was not escaped, but those in allowed and dates. Plain text is never parsed, so
// it may hold one literally.
func checkEscaped(t *testing.T, name, fallbackText string, blocks []slack.Block, allowed ...string) {
	t.Helper()
	data, _ := json.Marshal(blocks)
	var raw any
	_ = json.Unmarshal(data, &raw)
	texts := []string{fallbackText}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok && v["type"] == "mrkdwn" {
				texts = append(texts, s)
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(raw)
	for _, s := range texts {
		s = strings.Replace(s, "Backend shortlist from <@", "", 1) // a share names its owner on purpose
		for _, a := range allowed {
			s = strings.ReplaceAll(s, a, "")
		}
		s = slackDates.ReplaceAllString(s, "")
		if strings.Contains(s, "<!") || strings.Contains(s, "<@") || strings.Contains(s, "<#") {
			t.Errorf("%s: unescaped mention in %q", name, s)
		}
	}
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
		case "table":
			rows, _ := b["rows"].([]any)
			if len(rows) == 0 || len(rows) > 100 {
				t.Errorf("%s: %s has %d rows, want 1..100", name, where, len(rows))
			}
			for _, r := range rows {
				cells, _ := r.([]any)
				if len(cells) == 0 || len(cells) > 20 {
					t.Errorf("%s: %s has a row of %d cells, want 1..20", name, where, len(cells))
				}
				for _, c := range cells {
					text(where+" cell", c, 3000)
				}
			}
		case "input":
			text(where+" label", b["label"], 2000)
			if b["hint"] != nil {
				text(where+" hint", b["hint"], 2000)
			}
			checkElement(t, name+" "+where, b["element"].(map[string]any))
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
		if c, ok := el["confirm"].(map[string]any); ok {
			limit("confirm title", str(c["title"]), 100)
			limit("confirm text", str(c["text"]), 300)
			limit("confirm button", str(c["confirm"]), 30)
			limit("deny button", str(c["deny"]), 30)
		}
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
		values := map[string]bool{}
		for _, o := range opts {
			om := o.(map[string]any)
			limit("option text", str(om["text"]), 75)
			// Slack's docs now say 150; older ones and @slack/types say 75, so keep to 75.
			limit("option value", str(om["value"]), 75)
			values[str(om["value"])] = true
		}
		initial, _ := el["initial_options"].([]any)
		if el["initial_option"] != nil {
			initial = append(initial, el["initial_option"])
		}
		for _, o := range initial {
			if v := str(o.(map[string]any)["value"]); !values[v] {
				t.Errorf("%s: initial option %q is not among the options", where, v)
			}
		}
	case "conversations_select":
		limit("placeholder", str(el["placeholder"]), 150)
	default:
		t.Errorf("%s: unexpected element %v", where, el["type"])
	}
}
