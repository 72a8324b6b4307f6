package slackbot

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/ranking"
)

var update = flag.Bool("update", false, "rewrite the golden Block Kit files")

func loadCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var fullAnswers = catalog.Answers{
	"project": {"saas"}, "languages": {"python", "typescript"}, "team": {"small"}, "deadline": {"weeks"},
	"scale": {"growing"}, "performance": {"important"}, "workload": {"crud", "io"}, "architecture": {"modular"},
	"compliance": {"regulated"}, "hosting": {"containers"}, "batteries": {"batteries"}, "hiring": {"yes"},
	"typing": {"nice"}, "footprint": {"no"},
}

// prompt asks question qid through a real engine, so the golden files show real prompts.
func prompt(t *testing.T, cat *catalog.Catalog, answers ...string) *dialog.Prompt {
	t.Helper()
	clock := func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) }
	eng := dialog.New(cat, memstore.New(time.Hour, clock), clock)
	k := dialog.Key{Team: "T1", User: "U1"}
	r, err := eng.Handle(context.Background(), k, dialog.Input{Action: dialog.ActStart})
	for _, a := range answers {
		r, err = eng.Handle(context.Background(), k, dialog.Input{Action: dialog.ActText, Text: a})
	}
	if err != nil || r.Ask == nil {
		t.Fatalf("no prompt after %v: %v", answers, err)
	}
	return r.Ask
}

func goldenMessages(t *testing.T) map[string]Message {
	cat := loadCatalog(t)
	c := control{Owner: "U1", Session: "s1", Step: 4}
	res := ranking.Compile(cat).Rank(fullAnswers)
	languages := prompt(t, cat, "2", "back", "2")
	languages.Choices[3].Selected = true
	return map[string]Message{
		"question_one_choice":   questionMessage(prompt(t, cat), c),
		"question_checkboxes":   questionMessage(prompt(t, cat, "2", "python", "2", "1", "2", "2"), c),
		"question_multi_select": questionMessage(languages, c),
		"answered":              answeredMessage(&dialog.Answered{QuestionID: "team", Number: 3, Text: "How big is the team that will build and run it?", Answers: []string{"A small team (2-10)"}}, 14),
		"answered_skipped":      answeredMessage(&dialog.Answered{QuestionID: "team", Number: 3, Text: "How big is the team that will build and run it?", Skipped: true}, 14),
		"left_open":             leftOpenMessage("Question 5 of 14: How much traffic do you expect in the first year?"),
		"notes": notesMessage([]dialog.Note{
			{Kind: dialog.NoteInfo, Text: "Starting over with a clean slate."},
			{Kind: dialog.NoteSaved, Text: "Noted from your message: project: A SaaS product."},
			{Kind: dialog.NoteUnclear, Text: "That fits more than one answer: A or B. Which one is it?"},
			{Kind: dialog.NoteRefused, Text: "That message is 1200 characters long; I read at most 1000."},
		}),
		"resume":       resumeMessage(&dialog.Status{Answered: res.Situation[:3], Total: 14}, c),
		"status":       statusMessage(&dialog.Status{Answered: res.Situation[:2], Skipped: []string{"hiring"}, Remaining: []string{"typing", "footprint"}, Total: 14}),
		"help":         helpMessage(dialog.Commands()),
		"result":       resultMessage(&res, c, cat),
		"full_ranking": fullRankingMessage(&res),
		"share":        shareMessage(&res, "U1"),
		"parent":       parentMessage(),
		"catalog":      catalogMessage(cat),
	}
}

func TestBlockKitGolden(t *testing.T) {
	msgs := goldenMessages(t)
	cat := loadCatalog(t)
	res := ranking.Compile(cat).Rank(fullAnswers)
	home := homeView(&res, "U1")
	emptyHome := homeView(nil, "U1")
	files := map[string]any{"home": home, "home_empty": emptyHome}
	for name, m := range msgs {
		files[name] = map[string]any{"text": m.Text, "blocks": m.Blocks}
	}
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
				t.Fatalf("%v (run go test ./internal/slackbot -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s (run go test ./internal/slackbot -update to accept):\n%s", name, path, got)
			}
		})
	}
}

func TestEveryMessageFitsBlockKit(t *testing.T) {
	for name, m := range goldenMessages(t) {
		checkMessage(t, name, m)
	}
	cat := loadCatalog(t)
	res := ranking.Compile(cat).Rank(fullAnswers)
	checkBlocks(t, "home", homeView(&res, "U1").Blocks.BlockSet, 100)
}

func TestEveryQuestionRendersWithinLimits(t *testing.T) {
	cat := loadCatalog(t)
	for qi, q := range cat.Questions {
		p := &dialog.Prompt{QuestionID: q.ID, Number: qi + 1, Total: len(cat.Questions), Text: q.Text, Help: q.Help, Kind: q.Kind, CanGoBack: true}
		for _, o := range q.Options {
			p.Choices = append(p.Choices, dialog.Choice{ID: o.ID, Label: o.Label, Selected: true})
		}
		checkMessage(t, "question "+q.ID, questionMessage(p, control{Owner: "U0123456789", Session: "lxyz0123456789", Step: 999}))
	}
}

// The worst case: the longest names, every reason and watchout long, every answer given.
func TestWorstCaseResultFitsBlockKit(t *testing.T) {
	long := func(n int, s string) string { return strings.Repeat(s, n/len(s)+1)[:n] }
	res := &ranking.Result{POC: []string{long(400, "step "), long(400, "step "), long(400, "step "), long(400, "step ")}}
	for i := 0; i < 14; i++ {
		res.Situation = append(res.Situation, ranking.Fact{QuestionID: fmt.Sprint("q", i), Short: long(30, "short "), Answers: []string{long(75, "label "), long(75, "label ")}})
	}
	for i := 0; i < 18; i++ {
		e := ranking.Entry{ID: fmt.Sprint("f", i), Name: long(60, "Framework <!channel> & "), Score: 100 - i, Languages: []string{long(40, "lang "), long(40, "lang ")}, Website: "https://" + long(200, "a") + ".example/path?x=1&y=<2>", Emerging: true}
		for j := 0; j < 4; j++ {
			e.Reasons = append(e.Reasons, ranking.Reason{Text: long(400, "because <@U1> "), Positive: j%2 == 0})
		}
		for j := 0; j < 10; j++ {
			e.Watchouts = append(e.Watchouts, long(300, "watch out <!here> "))
		}
		res.Shortlist = append(res.Shortlist, e)
	}
	for i := 0; i < 13; i++ {
		res.Checklist = append(res.Checklist, ranking.CheckItem{ID: fmt.Sprint("c", i), Title: long(40, "title "), Settled: i%2 == 0, Text: long(300, "verify ")})
	}
	cat := loadCatalog(t)
	c := control{Owner: "U0123456789", Session: "lxyz0123456789", Step: 999}
	for name, m := range map[string]Message{
		"result": resultMessage(res, c, cat), "share": shareMessage(res, "U0123456789"), "full_ranking": fullRankingMessage(res),
	} {
		checkMessage(t, "worst-case "+name, m)
		data, _ := json.Marshal(m.Blocks)
		for _, ping := range []string{"<!channel>", "<!here>", "<@U1>"} {
			if strings.Contains(string(data), ping) {
				t.Errorf("worst-case %s renders %s unescaped", name, ping)
			}
		}
	}
	checkBlocks(t, "worst-case home", homeView(res, "U0123456789").Blocks.BlockSet, 100)
}

func TestSlashAcksStayUnderTheAckLimit(t *testing.T) {
	cat := loadCatalog(t)
	for name, m := range map[string]Message{"help": helpMessage(dialog.Commands()), "catalog": catalogMessage(cat)} {
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
	c := control{Owner: "U1", Session: "abc", Step: 12, Question: "team", Option: "small"}
	got, err := decodeControl(c.encode())
	if err != nil || got != c {
		t.Fatalf("decodeControl(encode) = %+v, %v", got, err)
	}
	kind, got, err := decodeBlockID(c.blockID("share"))
	if err != nil || kind != "share" || got != c {
		t.Fatalf("decodeBlockID = %s %+v, %v", kind, got, err)
	}
	for _, bad := range []string{"", "a|b", "U1|s|x|q|o", "U1|s|1|q|o|extra"} {
		if _, err := decodeControl(bad); err == nil {
			t.Errorf("decodeControl(%q) accepted", bad)
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
