package record

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/golden"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/ranking/rankingtest"
)

// The records are written from rankings over ranking's own test catalog (five frameworks, two
// of them siblings, one emerging), not the shipped config: a retune of config/ changes no golden.
const testCatalog = "../ranking/testdata/catalog"

var day = time.Date(2026, time.March, 14, 9, 30, 0, 0, time.UTC)

func loadCatalog(t testing.TB) (*catalog.Catalog, *ranking.Model) {
	t.Helper()
	cat, err := catalog.LoadDir(testCatalog)
	if err != nil {
		t.Fatal(err)
	}
	return cat, ranking.Compile(cat)
}

// decision ranks the answers as a front end would, with the questions they leave open.
func decision(cat *catalog.Catalog, m *ranking.Model, answers catalog.Answers) Decision {
	return Decision{Date: day, Result: m.Rank(answers), Firmness: m.Firmness(answers), Seeds: cat.Seeds, Open: cat.Open(answers)}
}

// Each record is checked for what makes it that case, then byte for byte against its golden
// file.
func TestRecordsAreWrittenInTheMADRLayout(t *testing.T) {
	cat, m := loadCatalog(t)
	tests := []struct {
		name     string
		answers  catalog.Answers
		title    string
		deciders []string
		level    ranking.Level
		want     []string
	}{
		{
			name:     "high confidence",
			answers:  catalog.Answers{"languages": {"go"}, "deadline": {"long_term"}, "workload": {"cpu"}, "compliance": {"standard"}, "team": {"small"}, "hiring": {"no"}, "vendoring": {"open"}},
			deciders: []string{"Ana", "Ben"},
			level:    ranking.High,
			want: []string{
				`decision-makers: "Ana, Ben"`,
				"# Choose a backend framework for a small team in Go\n",
				`Chosen option: "Alpha", because it comes out best for your answers, with 83/100`,
				"\n* [ ] Load: ", "\n* [x] Team skills: You said: Go.",
				"Still open, unanswered or answered \"not sure\": batteries and libraries.",
			},
		},
		{
			name:    "low confidence",
			answers: catalog.Answers{"team": {"solo"}},
			level:   ranking.Low,
			want: []string{
				`decision-makers: "" # nobody named yet`,
				"No option is chosen yet, so the status stays \"proposed\"",
				"Narrow the choice down with a proof of concept:",
			},
		},
		{
			name:     "siblings and an emerging framework",
			answers:  catalog.Answers{"batteries": {"minimal"}, "deadline": {"weeks"}, "libraries": {"lean"}, "vendoring": {"audited"}, "workload": {"cpu", "io"}},
			title:    "Pick the framework for the billing service",
			deciders: []string{"you"},
			level:    ranking.Medium,
			want: []string{
				"# Pick the framework for the billing service\n",
				"* Epsilon – ranked 1st with", "; emerging\n",
				"; Delta has the same trade-offs\n",
				"Delta has the same trade-offs: what follows holds for it too.",
				"ecosystem, the less the better (",
				"(conflicts with your answers)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision(cat, m, tt.answers)
			d.Title, d.Deciders = tt.title, tt.deciders
			if got := d.Result.Confidence.Level; got != tt.level {
				t.Fatalf("the test catalog ranks these answers at %s confidence, want %s", got, tt.level)
			}
			md := Markdown(d)
			for _, want := range tt.want {
				if !strings.Contains(md, want) {
					t.Errorf("the record lacks %q", want)
				}
			}
			golden.Check(t, strings.ReplaceAll(tt.name, " ", "-")+".md", md)
		})
	}
}

// radarCatalog is the test catalog under a radar that holds Gamma, adopts Epsilon and has Alpha
// in trial, saying said of each.
func radarCatalog(t testing.TB, said string) (*catalog.Catalog, *ranking.Model) {
	t.Helper()
	cat, _ := loadCatalog(t)
	cat.Weights.RadarAdopt = 0.05
	on := func(ring catalog.Ring) catalog.Stance {
		return catalog.Stance{Ring: ring, Date: time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC), Description: said}
	}
	cat.Radar = map[string]catalog.Stance{"gamma": on(catalog.Hold), "epsilon": on(catalog.Adopt), "alpha": on(catalog.Trial)}
	return cat, ranking.Compile(cat)
}

// Under a radar the record gives each considered option its ring and date, lists the frameworks
// on hold as not considered, and weighs the radar's words as neutral.
func TestARecordFollowsTheRadar(t *testing.T) {
	cat, m := radarCatalog(t, "Decided by the architecture board.")
	d := decision(cat, m, catalog.Answers{"languages": {"go", "ruby"}, "workload": {"cpu"}, "deadline": {"long_term"}, "team": {"small"}})
	md := Markdown(d)
	for _, want := range []string{
		"* Epsilon – ranked 2nd with ", "; emerging; your organisation's radar: adopt since 2025-03-01\n",
		"\n\nNot considered: your organisation's radar puts Gamma on hold (2025-03-01): Decided by the architecture board.\n\n",
		"* Good, because your organisation has adopted Epsilon\n",
		"* Neutral, because your organisation's radar has it in trial since 2025-03-01: Decided by the architecture board.\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	if strings.Contains(md, "### Gamma") || strings.Contains(md, "Delta has the same trade-offs") {
		t.Error("the record weighs Gamma, which the radar holds")
	}
	golden.Check(t, "radar.md", md)
}

// hostile is text a user (a title, a name, a free-text answer) or a careless config could hold.
var hostile = []string{"<!channel>", "# x", "`rm -rf`", "[click](https://evil.example)", "a\n\n# y", "1. z", "*bold* _it_", "&lt;b&gt;", "| a | b |", "~~gone~~", `C:\path`, "", " \t "}

// Over many answer sets, with hostile text wherever a user's or the config's text goes: the
// record shows every considered option with all its reasons and watchouts, names a winner
// exactly when confidence is not low, keeps every hostile text inert, has a front matter YAML
// reads back, no trailing space and one final newline, and is the same every time.
func TestEveryRecordIsCompleteInertAndDeterministic(t *testing.T) {
	cat, m := loadCatalog(t)
	_, radar := radarCatalog(t, strings.Join(hostile, "\n"))
	for n, answers := range rankingtest.Profiles(cat, 42, 200) {
		model := m
		if n%2 == 1 {
			model = radar
		}
		d := decision(cat, model, answers)
		d.Title = strings.Join(hostile, " ")
		d.Deciders = hostile
		d.Open = append(d.Open, hostile...)
		d.Result.Situation = append(d.Result.Situation, ranking.Fact{QuestionID: "x", Short: "# x", Answers: hostile})
		d.Result.POC = append(d.Result.POC, hostile...)
		for _, h := range hostile {
			d.Result.Checklist = append(d.Result.Checklist, ranking.CheckItem{Title: h, Text: h})
			d.Result.Drivers = append(d.Result.Drivers, ranking.Driver{Label: h, Why: []string{h, h}})
		}
		for i := range d.Result.Shortlist {
			d.Result.Shortlist[i].Summary = strings.Join(hostile, "\n")
		}
		if n%2 == 1 { // a team's, with hostile names and texts, choosing the last framework
			d.Team = &Team{Participants: len(hostile), Chosen: d.Result.Shortlist[len(d.Result.Shortlist)-1].ID}
			for _, h := range hostile {
				d.Team.Disagreements = append(d.Team.Disagreements, Disagreement{Question: h, Text: h, Settled: h, Matters: n%4 == 1})
				d.Team.Vote = append(d.Team.Vote, Ballot{Framework: h, Voters: hostile})
			}
		}
		md := Markdown(d)
		if again := Markdown(d); again != md {
			t.Fatalf("answers %d (%v): two records of one decision differ", n, answers)
		}
		checkComplete(t, d, md)
		checkInert(t, d, md)
		checkShape(t, d, md)
		if t.Failed() {
			t.Fatalf("answers %d (%v):\n%s", n, answers, md)
		}
	}
}

func checkComplete(t *testing.T, d Decision, md string) {
	t.Helper()
	r := d.Result
	choices := r.Choices(Considered)
	decided := d.Team != nil && d.Team.Chosen != "" // a team's choice is named at any confidence
	if decided {
		choices = teamChoices(r, choices, d.Team.Chosen)
	}
	for _, i := range choices {
		e := r.Shortlist[i]
		for _, want := range []string{"\n* " + e.Name + " – ", "\n### " + e.Name + "\n", "<" + e.Website + ">"} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: the record lacks %q", e.ID, want)
			}
		}
		for _, rs := range e.Reasons {
			if want := map[bool]string{true: "Good", false: "Bad"}[rs.Positive] + ", because " + rs.Text; !strings.Contains(md, want) {
				t.Errorf("%s: the record lacks %q", e.ID, want)
			}
		}
		for _, w := range e.Watchouts {
			want := "Neutral, because of a general caveat: " + w.Text
			if w.Triggered {
				want = "Bad, because your answers trigger this watchout: " + w.Text
			}
			if !strings.Contains(md, want) {
				t.Errorf("%s: the record lacks %q", e.ID, want)
			}
		}
	}
	for _, e := range r.Shortlist {
		if e.SiblingOf == "" && !slices.ContainsFunc(choices, func(i int) bool { return r.Shortlist[i].ID == e.ID }) && strings.Contains(md, "### "+e.Name+"\n") {
			t.Errorf("%s is not a considered option but has pros and cons", e.ID)
		}
	}
	if n := strings.Count(md, "\n\nNot considered: "); n != len(r.NotConsidered) {
		t.Errorf("the record has %d not-considered lines for %d frameworks on hold", n, len(r.NotConsidered))
	}
	low := r.Confidence.Level == ranking.Low && !decided
	if decided && !strings.Contains(md, `Chosen option: "`+r.Shortlist[choices[0]].Name+`", by the team's vote: `) {
		t.Errorf("the team's choice %s is not stated as its vote's", d.Team.Chosen)
	}
	if chosen := `Chosen option: "` + r.Shortlist[choices[0]].Name + `", because`; !decided && strings.Contains(md, chosen) == low {
		t.Errorf("at %s confidence, the record says %q: %v", r.Confidence.Level, chosen, !low)
	}
	if strings.Contains(md, "### Consequences") == low {
		t.Errorf("at %s confidence, consequences are written: %v", r.Confidence.Level, !low)
	}
	if !strings.Contains(md, r.ConfidenceText()) {
		t.Errorf("the record lacks the confidence %q", r.ConfidenceText())
	}
	for _, s := range d.Seeds {
		cited := slices.ContainsFunc(choices, func(i int) bool {
			return slices.ContainsFunc(r.Shortlist[i].Reasons, func(rs ranking.Reason) bool { return slices.Contains(rs.Sources, s.ID) })
		})
		if strings.Contains(md, "\n* "+s.Title+"\n") != cited {
			t.Errorf("seed %s is cited by a shown reason: %v; but the record lists it: %v", s.ID, cited, !cited)
		}
	}
}

// checkInert checks that no hostile text reaches the record unescaped: no raw HTML or autolink
// but the websites', no code span, no link, no heading or list item of its own, no entity.
func checkInert(t *testing.T, d Decision, md string) {
	t.Helper()
	front, text, _ := strings.Cut(strings.TrimPrefix(md, "---\n"), "\n---\n")
	if strings.ContainsAny(front, "<>`[]") {
		t.Errorf("the front matter holds HTML, code or a link:\n%s", front)
	}
	for _, e := range d.Result.Shortlist {
		text = strings.ReplaceAll(text, "<"+e.Website+">", "")
	}
	text = strings.NewReplacer("\n* [ ] ", "\n* ", "\n* [x] ", "\n* ").Replace(text) // task-list items
	for _, c := range []string{"<", ">", "`", "[", "]", "|", "~", "*"} {
		for i := strings.Index(text, c); i >= 0; i = nextIndex(text, c, i) {
			// Markdown's own list items are "* " at the start of a line.
			if c == "*" && (i == 0 || text[i-1] == '\n') {
				continue
			}
			if i == 0 || text[i-1] != '\\' {
				t.Errorf("an unescaped %q at %q", c, text[max(0, i-20):min(len(text), i+20)])
				break
			}
		}
	}
	for _, bad := range []string{"&lt;", "&gt;"} {
		if strings.Contains(strings.ReplaceAll(text, `\&`, ""), bad) {
			t.Errorf("the entity %q is written unescaped", bad)
		}
	}
	headings := []string{"# ", "## Context and Problem Statement", "## Decision Drivers", "## Considered Options", "## Decision Outcome",
		"### Consequences", "### Confirmation", "## Pros and Cons of the Options", "## More Information", "### Disagreements and how they were settled"}
	for _, e := range d.Result.Shortlist {
		headings = append(headings, "### "+e.Name)
	}
	titles := 0
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			titles++
		case strings.HasPrefix(line, "#") && !slices.Contains(headings, line):
			t.Errorf("a heading of its own: %q", line)
		case strings.HasPrefix(line, "y") || strings.HasPrefix(line, "1. z") || strings.HasPrefix(line, "* 1. z"):
			t.Errorf("a block of its own: %q", line)
		}
	}
	if titles != 1 {
		t.Errorf("%d titles, want 1", titles)
	}
}

func nextIndex(s, sub string, i int) int {
	j := strings.Index(s[i+1:], sub)
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// checkShape checks the front matter (YAML that reads back as given) and the whitespace.
func checkShape(t *testing.T, d Decision, md string) {
	t.Helper()
	head, _, ok := strings.Cut(strings.TrimPrefix(md, "---\n"), "\n---\n")
	if !strings.HasPrefix(md, "---\n") || !ok {
		t.Fatalf("no front matter")
	}
	var fm map[string]string
	if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
		t.Fatalf("the front matter is not YAML: %v\n%s", err, head)
	}
	want := map[string]string{"status": "proposed", "date": "2026-03-14", "decision-makers": strings.Join(oneLines(d.Deciders), ", ")}
	for k, v := range want {
		if fm[k] != v {
			t.Errorf("front matter %s = %q, want %q", k, fm[k], v)
		}
	}
	if !strings.HasSuffix(md, "\n") || strings.HasSuffix(md, "\n\n") || strings.Contains(md, "\n\n\n") {
		t.Errorf("the record does not end with one newline, or has several blank lines in a row")
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.TrimRight(line, " \t") != line {
			t.Errorf("a trailing space: %q", line)
		}
	}
}

// oneLines folds each text onto one line and leaves out the blank ones.
func oneLines(texts []string) []string {
	var out []string
	for _, s := range texts {
		if f := strings.Fields(s); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return out
}

// A decision with nothing in it still makes a record: no panic, the layout, no winner.
func TestAnEmptyDecisionStillMakesARecord(t *testing.T) {
	md := Markdown(Decision{})
	for _, want := range []string{"status: \"proposed\"", "# Choose a backend framework\n", "## Considered Options\n\nNone", "No option is chosen"} {
		if !strings.Contains(md, want) {
			t.Errorf("the record lacks %q:\n%s", want, md)
		}
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct {
		name, in            string
		inline, block, head string
	}{
		{"plain text is kept", "you need to ship in weeks", "you need to ship in weeks", "you need to ship in weeks", "you need to ship in weeks"},
		{"a mention is not HTML", "<!channel> now", `\<!channel\> now`, `\<!channel\> now`, `\<!channel\> now`},
		{"a heading mark opens no heading", "# x", "# x", `\# x`, `\# x`},
		{"a closing heading mark is kept", "Use C #", "Use C #", "Use C #", `Use C \#`},
		{"C# is kept", "C# / .NET", "C# / .NET", "C# / .NET", "C# / .NET"},
		{"a code span", "run `make`", "run \\`make\\`", "run \\`make\\`", "run \\`make\\`"},
		{"a link", "[x](https://evil.example)", `\[x\](https://evil.example)`, `\[x\](https://evil.example)`, `\[x\](https://evil.example)`},
		{"lines are joined", "a\n\n  # b\r\n", "a # b", "a # b", "a # b"},
		{"an ordered list", "1. first", "1. first", `1\. first`, `1\. first`},
		{"a bullet", "- item", "- item", `\- item`, `\- item`},
		{"a quote", "> quoted", `\> quoted`, `\> quoted`, `\> quoted`},
		{"emphasis", "*a* _b_ snake_case", `\*a\* \_b\_ snake_case`, `\*a\* \_b\_ snake_case`, `\*a\* \_b\_ snake_case`},
		{"an entity", "&lt; Q&A &#60;", `\&lt; Q&A \&#60;`, `\&lt; Q&A \&#60;`, `\&lt; Q&A \&#60;`},
		{"a table cell and strikethrough", "| a ~~b~~", `\| a \~\~b\~\~`, `\| a \~\~b\~\~`, `\| a \~\~b\~\~`},
		{"a backslash", `C:\x`, `C:\\x`, `C:\\x`, `C:\\x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inline(tt.in); got != tt.inline {
				t.Errorf("inline(%q) = %q, want %q", tt.in, got, tt.inline)
			}
			if got := block(tt.in); got != tt.block {
				t.Errorf("block(%q) = %q, want %q", tt.in, got, tt.block)
			}
			if got := heading(tt.in); got != tt.head {
				t.Errorf("heading(%q) = %q, want %q", tt.in, got, tt.head)
			}
		})
	}
}

func TestYAMLStringsReadBack(t *testing.T) {
	for _, s := range []string{"Ana", `say "hi"`, `C:\x`, "<!channel> `x` # y: z [a](b)", "line\nbreak", "é ü 中"} {
		q := yamlString(s)
		if strings.ContainsAny(q, "<>`[]\n") {
			t.Errorf("yamlString(%q) = %s holds raw HTML, code or a newline", s, q)
		}
		var got string
		if err := yaml.Unmarshal([]byte(q), &got); err != nil || got != strings.Join(strings.Fields(s), " ") {
			t.Errorf("yamlString(%q) = %s reads back as %q, %v", s, q, got, err)
		}
	}
}

func TestFilename(t *testing.T) {
	cat, m := loadCatalog(t)
	mvp := decision(cat, m, catalog.Answers{"languages": {"go", "python"}})
	tests := []struct {
		name string
		d    Decision
		want string
	}{
		{"the default title", mvp, "2026-03-14-choose-a-backend-framework-in-go-or-python.md"},
		{"a title of its own", Decision{Date: day, Title: "Use Élan for the <API>, v2!"}, "2026-03-14-use-lan-for-the-api-v2.md"},
		{"nothing left of the title", Decision{Date: day, Title: "中文 —"}, "2026-03-14-choose-a-backend-framework.md"},
		{"a long title is cut at a dash", Decision{Date: day, Title: strings.Repeat("framework ", 10)}, "2026-03-14-framework-framework-framework-framework-framework-framework.md"},
		{"no date", Decision{Title: "Choose"}, "choose.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Filename(tt.d); got != tt.want {
				t.Errorf("Filename = %q, want %q", got, tt.want)
			}
		})
	}
}

// The default title names the project as the answers do and the languages a framework is
// written in, and nothing else.
func TestTheDefaultTitleReadsAsAPhrase(t *testing.T) {
	fact := func(q string, a ...string) ranking.Fact { return ranking.Fact{QuestionID: q, Short: q, Answers: a} }
	shortlist := []ranking.Entry{{Name: "Alpha", Languages: []string{"Go"}}, {Name: "Beta", Languages: []string{"Python"}}}
	tests := []struct {
		name      string
		situation []ranking.Fact
		want      string
	}{
		{"no answers", nil, "Choose a backend framework"},
		{"a project and a language", []ranking.Fact{fact("project", "An MVP or prototype"), fact("languages", "Python")}, "Choose a backend framework for an MVP or prototype in Python"},
		{"a closing parenthesis is dropped", []ranking.Fact{fact("team", "A small team (2-9)")}, "Choose a backend framework for a small team"},
		{"an answer that is no noun phrase", []ranking.Fact{fact("deadline", "Within weeks")}, "Choose a backend framework"},
		{"the first noun phrase", []ranking.Fact{fact("deadline", "Within weeks"), fact("project", "A SaaS product"), fact("team", "A small team")}, "Choose a backend framework for a SaaS product"},
		{"languages no framework is written in", []ranking.Fact{fact("languages", "Go", "None of these", "Python")}, "Choose a backend framework in Go or Python"},
		{"several answers to one question", []ranking.Fact{fact("workload", "A queue", "A cache")}, "Choose a backend framework"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defaultTitle(ranking.Result{Situation: tt.situation, Shortlist: shortlist}); got != tt.want {
				t.Errorf("defaultTitle = %q, want %q", got, tt.want)
			}
		})
	}
}

// A canvas reads no front matter: the record for one keeps the status, date and deciders in a
// line under the title, escaped like any text, and is otherwise the same record.
func TestACanvasRecordHasNoFrontMatter(t *testing.T) {
	d := Decision{Title: "Pick one", Date: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), Deciders: []string{"<!channel>", "Ana"}}
	c, md := Canvas(d), Markdown(d)
	if strings.HasPrefix(c, "---") || !strings.Contains(c, "Status: proposed · Date: 2026-03-14 · Decision-makers: \\<!channel\\>, Ana") {
		t.Errorf("canvas record head:\n%s", c[:min(len(c), 300)])
	}
	if _, body, _ := strings.Cut(md, "\n\n## "); !strings.Contains(c, body) {
		t.Errorf("the canvas record's body differs from the Markdown record's")
	}
}

// A team's record says whose merged answers it ranks, lists the disagreements (those that change
// the first choice first) with how each was settled, and states the vote, including when the
// vote chose another framework than the ranking's first.
func TestATeamRecordStatesTheDisagreementsAndTheVote(t *testing.T) {
	cat, m := loadCatalog(t)
	d := decision(cat, m, catalog.Answers{"languages": {"go", "ruby"}, "deadline": {"long_term"}, "team": {"small"}})
	second := d.Result.Shortlist[d.Result.Choices(2)[1]]
	d.Deciders = []string{"Ana", "Bob", "Cy"}
	d.Team = &Team{
		Participants: 3,
		Disagreements: []Disagreement{
			{Question: "team size", Text: "Ana and Bob say “A small team”; Cy says “Several teams”.", Settled: "the team's answer is the majority's, “A small team”"},
			{Question: "languages", Text: "Ana says “Go”; Cy says “Ruby”: with Cy's answer Gamma leads instead of Alpha.", Settled: "the team's answer is everything anyone named, “Go” and “Ruby”", Matters: true},
		},
		Vote:   []Ballot{{Framework: second.Name, Voters: []string{"Bob", "Cy"}}, {Framework: d.Result.Shortlist[0].Name, Voters: []string{"Ana"}}},
		Chosen: second.ID,
	}
	md := Markdown(d)
	for _, want := range []string{
		`decision-makers: "Ana, Bob, Cy"`,
		"The answers of the 3 people who answered, merged question by question:",
		"### Disagreements and how they were settled\n\n* languages: Ana says",
		"Settled: the team's answer is the majority's, “A small team”.",
		`Chosen option: "` + second.Name + `", by the team's vote: ` + second.Name + " 2 (Bob, Cy); " + d.Result.Shortlist[0].Name + " 1 (Ana), of 3 votes.",
		`The ranking of the merged answers put "` + d.Result.Shortlist[0].Name + `" first`,
		"## Considered Options\n\n* " + second.Name + " – ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	checkInert(t, d, md)
	golden.Check(t, "team.md", md)

	// Nobody voted, on a ballot without the ranking's first: the record says why the second.
	d.Team.Vote = nil
	if md := Markdown(d); !strings.Contains(md, `Chosen option: "`+second.Name+`", with `) || !strings.Contains(md, "the best ranked of the frameworks the team put to the vote; nobody voted.") {
		t.Errorf("a choice nobody voted for, not the ranking's first, is not explained:\n%s", md)
	}
}
