package blockkit

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// Message is one Slack message: the fallback text (notifications, screen readers) and blocks.
type Message struct {
	Text   string
	Blocks []slack.Block
}

// Rendering budget. Slack's own limits are larger; these keep every message well inside them.
const (
	maxSectionText = 3000 // a section's text
	maxHeaderText  = 150
	maxButtonText  = 75
	maxOptionText  = 75
	maxPlaceholder = 150
	maxOptions     = 100  // of a select
	maxFallback    = 3000 // top-level text; Slack truncates at 40,000
	resultTop      = 5    // frameworks shown in full in the reasons of a result
	compactTop     = 3    // frameworks in a compact result
	shareTop       = 3    // frameworks in a shared recommendation
	// Slack rejects messages whose blocks hold too much text in all (msg_blocks_too_long, seen at
	// about 13,000 characters), so a message's parts have budgets that add up to about 11,000.
	maxEntryText       = 1000 // a choice of a compact result
	maxDetailEntryText = 2000 // a choice with every reason and watchout
	maxRankingLine     = 300  // a framework of the full ranking
	maxRadarNote       = 300  // what the organisation's radar says of a framework
	maxLineText        = 1000 // a line of a list, a verdict, a title
	maxCellText        = 100  // a cell of a table
	maxContextText     = 1000
)

// Reply is a dialog reply rendered for Slack: an optional replacement for the message of the
// question it answered, then the messages to post, in order.
type Reply struct {
	// Answered replaces the message of the question a click answered; nil for a typed answer,
	// which the first post confirms instead.
	Answered *Message
	Posts    []Message
	// QuestionAt is the index in Posts of the question message, or -1.
	QuestionAt int
}

// Render renders a dialog reply for its owner, who is named in every control. It is a pure
// function of its inputs. What moved comes first; a result is compact (with its controls) unless
// the reply asks for a detail. A clicked answer replaces its question's message (out.Answered);
// a typed one is confirmed at the top of the first post (unless the reply's notes already say how
// it was read), whose fallback text stays as it is.
// The review form and the decision record are not messages: the caller opens ReviewModal for
// r.Review and writes r.Export.
func Render(r dialog.Reply, owner string) Reply {
	c := Control{Owner: owner, Session: r.Session, Step: r.Step}
	out := Reply{QuestionAt: -1}
	if r.Movement != nil {
		out.Posts = append(out.Posts, movementMessage(r.Movement, r.Hypothetical, r.WhatIf, c))
	}
	if len(r.Notes) > 0 {
		out.Posts = append(out.Posts, notesMessage(r.Notes, r.Undo, c))
	}
	if r.Explain != nil {
		out.Posts = append(out.Posts, explainMessage(r.Explain))
	}
	if r.Resume != nil {
		out.Posts = append(out.Posts, resumeMessage(r.Resume, c))
	}
	if r.Status != nil {
		out.Posts = append(out.Posts, Status(r.Status))
	}
	if len(r.Help) > 0 {
		out.Posts = append(out.Posts, Help(r.Help))
	}
	if r.WhyNot != nil {
		out.Posts = append(out.Posts, whyNotMessage(r.WhyNot, c))
	}
	if r.Compare != nil {
		out.Posts = append(out.Posts, compareMessage(r.Compare))
	}
	if r.Result != nil {
		out.Posts = append(out.Posts, resultMessages(r, c)...)
	} else if r.Firmness != nil {
		out.Posts = append(out.Posts, firmnessMessage(r.Firmness))
	}
	if r.Ask != nil && !r.Reask {
		out.QuestionAt = len(out.Posts)
		out.Posts = append(out.Posts, questionMessage(r.Ask, c))
	}
	if a := r.Answered; a != nil {
		switch {
		case !a.Typed || len(out.Posts) == 0:
			m := answeredMessage(a)
			out.Answered = &m
		case !savedInNotes(r.Notes):
			// The user is looking at their own message, not at the question: say how it was
			// read where the reply starts, and leave the question's message be.
			first := &out.Posts[0]
			first.Blocks = slices.Insert(first.Blocks, 0, readAs(a))
		} // else the reply's notes already say how the message was read
	}
	return out
}

// savedInNotes reports whether notes confirm what was recorded ("Understood: …").
func savedInNotes(notes []dialog.Note) bool {
	return slices.ContainsFunc(notes, func(n dialog.Note) bool { return n.Kind == dialog.NoteSaved })
}

// Text is a message showing plain text (escaped, so it cannot ping or link).
func Text(text string) Message { return Mrkdwn(esc(text)) }

// Mrkdwn is a message showing text that is already safe mrkdwn (constant text and validated ids
// only).
func Mrkdwn(mrkdwn string) Message {
	return Message{Text: fallback(mrkdwn), Blocks: []slack.Block{section(mrkdwn)}}
}

// Escape makes text safe to show as mrkdwn: &, < and > become entities, so nothing a user or a
// config file wrote can ping a channel or forge a link.
func Escape(s string) string { return esc(s) }

func esc(s string) string {
	return escaper.Replace(s)
}

// escaper is built once: a Replacer is safe for concurrent use, and building one per text was
// the largest share of a rendered reply's allocations.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// nonBlank keeps Slack from refusing a message: every text object needs a visible character.
func nonBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clip(nonBlank(s), maxSectionText), false, true)
}

func plain(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip(nonBlank(s), n), true, false)
}

func section(s string) *slack.SectionBlock { return slack.NewSectionBlock(mrkdwn(s), nil, nil) }

// sectionN is a section whose text is held to n characters.
func sectionN(s string, n int) *slack.SectionBlock { return section(clip(s, n)) }

func contextText(s string) *slack.ContextBlock {
	return slack.NewContextBlock("", mrkdwn(clip(s, maxContextText)))
}

func button(actionID, label string, c Control) *slack.ButtonBlockElement {
	return valueButton(actionID, label, c.Encode())
}

// valueButton is a button carrying an encoded control.
func valueButton(actionID, label, value string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, value, plain(label, maxButtonText))
}

func option(value, text string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, plain(text, maxOptionText), nil)
}

// staticSelect is a menu of at most Slack's 100 options.
func staticSelect(actionID, placeholder string, opts []*slack.OptionBlockObject) *slack.SelectBlockElement {
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(placeholder, maxPlaceholder), actionID, opts[:min(len(opts), maxOptions)]...)
}

// listSections is a title and mrkdwn lines, each held to maxLineText, in as many sections as they
// need, split between lines, so a long list is never cut in the middle.
func listSections(title string, lines []string) []slack.Block {
	var blocks []slack.Block
	text := clip(title, maxLineText)
	for _, l := range lines {
		l = clip(l, maxLineText)
		if utf8.RuneCountInString(text)+1+utf8.RuneCountInString(l) > maxSectionText {
			blocks = append(blocks, section(text))
			text = l
			continue
		}
		text += "\n" + l
	}
	return append(blocks, section(text))
}

// fallback is the top-level text of a message from safe mrkdwn: Slack parses it like mrkdwn, so
// plain text must be escaped first.
func fallback(s string) string { return clip(nonBlank(s), maxFallback) }

// questionMessage shows one question with its options and the Skip / Back / Finish controls.
func questionMessage(p *dialog.Prompt, c Control) Message {
	c.Question = p.QuestionID
	number, text := fmt.Sprintf("Question %d of %d", p.Number, p.Total), esc(p.Text)
	blocks := make([]slack.Block, 0, 6) // the question, its help, choices, their submit, controls, the hint
	blocks = append(blocks, section("*"+number+"*\n*"+text+"*"))
	if p.Help != "" {
		blocks = append(blocks, contextText(esc(p.Help)))
	}
	if p.Kind == catalog.Several {
		blocks = append(blocks, severalChoice(p, c)...)
	} else {
		buttons := make([]slack.BlockElement, 0, len(p.Choices))
		for _, ch := range p.Choices {
			oc := c
			oc.Option = ch.ID
			b := button(ActAnswerPrefix+ch.ID, ch.Label, oc)
			if ch.Selected {
				b = b.WithStyle(slack.StylePrimary)
			}
			buttons = append(buttons, b)
		}
		blocks = append(blocks, slack.NewActionBlock(c.BlockID("answer"), buttons...))
	}
	value := c.Encode() // the same for every control
	controls := append(make([]slack.BlockElement, 0, 3), valueButton(ActSkip, "Skip", value))
	if p.CanGoBack {
		controls = append(controls, valueButton(ActBack, "Back", value))
	}
	controls = append(controls, valueButton(ActFinish, "Finish now", value))
	blocks = append(blocks,
		slack.NewActionBlock(blockID("controls", value), controls...),
		contextText("Or type your answer in this thread: a number, a label or your own words. Type `help` for commands."),
	)
	return Message{Text: fallback(number + ": " + text), Blocks: blocks}
}

// severalChoice renders the chooser of a several-choice question and Done.
func severalChoice(p *dialog.Prompt, c Control) []slack.Block {
	return []slack.Block{
		slack.NewActionBlock(c.BlockID(KindChoose), chooser(p, "Choose all that apply")),
		slack.NewActionBlock(c.BlockID("submit"), button(ActDone, "Done", c).WithStyle(slack.StylePrimary)),
	}
}

// choiceOptions are a prompt's choices as options (at most Slack's 100), and those selected.
func choiceOptions(p *dialog.Prompt) (opts, selected []*slack.OptionBlockObject) {
	for _, ch := range p.Choices[:min(len(p.Choices), maxOptions)] {
		o := option(ch.ID, ch.Label)
		opts = append(opts, o)
		if ch.Selected {
			selected = append(selected, o)
		}
	}
	return opts, selected
}

// chooser picks several of a prompt's choices: checkboxes, or a multi-select with the placeholder
// past Slack's 10 checkboxes.
func chooser(p *dialog.Prompt, placeholder string) slack.BlockElement {
	opts, selected := choiceOptions(p)
	if len(opts) <= 10 {
		cb := slack.NewCheckboxGroupsBlockElement(ActChoose, opts...)
		cb.InitialOptions = selected
		return cb
	}
	ms := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plain(placeholder, maxPlaceholder), ActChoose, opts...)
	ms.InitialOptions = selected
	return ms
}

// answeredMessage replaces a question's message once a click answered it: the record of the
// thread.
func answeredMessage(a *dialog.Answered) Message {
	answer, plainAnswer := answerWords(a)
	question := fmt.Sprintf("Question %d of %d: %s", a.Number, a.Total, esc(a.Text))
	return Message{Text: fallback(question + " → " + plainAnswer), Blocks: []slack.Block{section(question + "\n→ " + answer)}}
}

// readAs confirms how a typed answer was read, above the reply to it: "✓ team size: *A small
// team*".
func readAs(a *dialog.Answered) slack.Block {
	name := esc(a.Short)
	if a.Short == "" {
		name = fmt.Sprintf("Question %d", a.Number)
	}
	answer, _ := answerWords(a)
	return contextText("✓ " + name + ": " + answer)
}

// answerWords are an answer as mrkdwn (its labels in bold; skipped or not sure in italics) and
// without the markup, for a fallback; both escaped.
func answerWords(a *dialog.Answered) (mrkdwn, plainText string) {
	switch {
	case a.Skipped:
		return "_skipped_", "skipped"
	case a.Unsure:
		return "_not sure (neutral)_", "not sure (neutral)"
	}
	labels := esc(strings.Join(a.Answers, ", "))
	return "*" + labels + "*", labels
}

var noteIcon = map[dialog.NoteKind]string{
	dialog.NoteInfo:    ":information_source:",
	dialog.NoteSaved:   ":white_check_mark:",
	dialog.NoteUnclear: ":thinking_face:",
	dialog.NoteRefused: ":no_entry_sign:",
}

// notesMessage shows the notes of a reply, with an Undo button when they confirm answers read
// from typed text. Notes may quote what the user typed, so the fallback is escaped too.
func notesMessage(notes []dialog.Note, undo bool, c Control) Message {
	var lines, plainLines []string
	for _, n := range notes {
		lines = append(lines, noteIcon[n.Kind]+" "+esc(n.Text))
		plainLines = append(plainLines, esc(n.Text))
	}
	blocks := []slack.Block{section(strings.Join(lines, "\n"))}
	if undo {
		blocks = append(blocks, slack.NewActionBlock(c.BlockID("notes"), button(ActUndo, "Undo", c)))
	}
	return Message{Text: fallback(strings.Join(plainLines, "\n")), Blocks: blocks}
}

// explainMessage answers a question back: the question, its help and trade-off, then what each
// option means, those the user asked about first and marked.
func explainMessage(ex *dialog.Explanation) Message {
	var b strings.Builder
	b.WriteString("*" + esc(ex.Question) + "*")
	if ex.Help != "" {
		b.WriteString("\n" + esc(ex.Help))
	}
	if ex.Tradeoff != "" {
		b.WriteString("\n_The trade-off:_ " + esc(ex.Tradeoff))
	}
	var asked, rest strings.Builder
	for _, m := range ex.Options {
		w, mark := &rest, "•"
		if m.Asked {
			w, mark = &asked, ":point_right:"
		}
		fmt.Fprintf(w, "\n%s *%s*: %s", mark, esc(m.Label), esc(m.Means))
	}
	blocks := []slack.Block{section(b.String())}
	if options := strings.TrimPrefix(asked.String()+rest.String(), "\n"); options != "" {
		blocks = append(blocks, section(options))
	}
	return Message{Text: fallback("About: " + esc(ex.Question)), Blocks: blocks}
}

func resumeMessage(st *dialog.Status, c Control) Message {
	text := fmt.Sprintf("You have a conversation in progress: %d of %d questions answered. Pick up where you left off, or start over?", len(st.Answered), st.Total)
	return Message{
		Text: fallback(text),
		Blocks: []slack.Block{
			section(esc(text)),
			slack.NewActionBlock(c.BlockID("resume"),
				button(ActResume, "Resume", c).WithStyle(slack.StylePrimary),
				button(ActRestart, "Start over", c),
			),
		},
	}
}

// Status shows a conversation's progress.
func Status(st *dialog.Status) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "*Progress:* %d of %d answered, %d skipped.", len(st.Answered), st.Total, len(st.Skipped))
	for _, f := range st.Answered {
		fmt.Fprintf(&b, "\n• %s: %s", esc(f.Short), esc(strings.Join(f.Answers, ", ")))
	}
	if len(st.Skipped) > 0 {
		fmt.Fprintf(&b, "\n_Skipped:_ %s", esc(strings.Join(st.Skipped, ", ")))
	}
	if len(st.Unsure) > 0 {
		fmt.Fprintf(&b, "\n_Not sure:_ %s", esc(strings.Join(st.Unsure, ", ")))
	}
	if len(st.Remaining) > 0 {
		fmt.Fprintf(&b, "\n_Still open:_ %s", esc(strings.Join(st.Remaining, ", ")))
	}
	return Message{
		Text:   fallback(fmt.Sprintf("Progress: %d of %d answered", len(st.Answered), st.Total)),
		Blocks: []slack.Block{section(b.String())},
	}
}

// Help lists the typed commands and the slash commands.
func Help(cmds []dialog.Command) Message {
	var b strings.Builder
	b.WriteString("*Type any of these in the thread:*")
	for _, c := range cmds {
		fmt.Fprintf(&b, "\n• `%s`: %s", esc(c.Usage), esc(c.Does))
	}
	b.WriteString("\n\n*Slash commands:* `/stackpick` start or resume · `/stackpick status` · `/stackpick restart` · `/stackpick catalog` · `/stackpick radar` · `/stackpick share #channel` · `/stackpick team @people` (in the team's channel: decide together) · `/stackpick help`")
	return Message{Text: "stackpick help", Blocks: []slack.Block{section(b.String())}}
}

// situation summarises the user's answers in one line.
func situation(facts []ranking.Fact) string {
	parts := make([]string, len(facts))
	for i, f := range facts {
		parts[i] = f.Short + ": " + strings.Join(f.Answers, ", ")
	}
	if len(parts) == 0 {
		return "No answers yet, so this ranking is generic."
	}
	return strings.Join(parts, " · ")
}

// scoreBar draws a 0..100 score as ten cells.
func scoreBar(score int) string {
	n := (score + 5) / 10
	return strings.Repeat("▰", n) + strings.Repeat("▱", 10-n)
}

// rankMark is how an entry of a result is numbered: by its rank, or with a bullet when the result
// is of low confidence and names no winner.
func rankMark(rank int, level ranking.Level) string {
	if level == ranking.Low {
		return "•"
	}
	return fmt.Sprintf("%d.", rank)
}

// watchoutMark tells a watchout the answers trigger from a general caveat.
func watchoutMark(w ranking.Watchout) string {
	if w.Triggered {
		return ":warning:"
	}
	return ":information_source:"
}

// siteName is a website's host, for link text.
func siteName(url string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://")
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimPrefix(s, "www.")
}

// Share is the compact recommendation posted to a team channel, attributed to its owner.
func Share(res *ranking.Result, owner string) Message {
	blocks := []slack.Block{
		section(fmt.Sprintf("*Backend shortlist from <@%s>*, made with stackpick", owner)),
		contextText(esc(situation(res.Situation))),
	}
	if t := res.ConfidenceText(); t != "" {
		blocks = append(blocks, contextText(esc(t)))
	}
	var names []string
	for _, i := range res.Choices(shareTop) {
		e := res.Shortlist[i]
		names = append(names, esc(e.Name))
		head := fmt.Sprintf("*%s %s* %d/100%s", rankMark(res.Place(i), res.Confidence.Level), esc(e.Name), e.Score, radarTag(e))
		if len(e.Alternatives) > 0 {
			head += " _(or " + esc(strings.Join(e.Alternatives, ", ")) + ": same trade-offs)_"
		}
		blocks = append(blocks, section(strings.Join(append([]string{head}, argumentLines(e, 1)...), "\n")))
	}
	blocks = append(blocks, contextText("Run `/stackpick` to get your own."))
	return Message{Text: fallback(fmt.Sprintf("Backend shortlist from <@%s>: %s", owner, strings.Join(names, ", "))), Blocks: blocks}
}

// Parent opens the DM thread a conversation lives in.
func Parent() Message {
	text := "*Choosing a backend framework*\nI'll ask a few questions in this thread. Answer with the buttons or type in the thread; your answers stay here as a record."
	return Message{Text: "Choosing a backend framework: the questions are in this thread", Blocks: []slack.Block{section(text)}}
}

// Opening is the message that opens a conversation's thread when its first reply is not the
// question (the welcome, and what a description filled in): Parent's, then m's blocks, controls
// included, in one message instead of two. Its text stays Parent's.
func Opening(m Message) Message {
	p := Parent()
	p.Blocks = append(p.Blocks, m.Blocks...)
	return p
}

// Listing is what the catalog listing shows: the frameworks known, grouped by language in the
// order of the languages question.
type Listing struct {
	Frameworks int // how many frameworks the catalog holds
	Languages  []ListedLanguage
}

// ListedLanguage is one language of a Listing and its frameworks, in catalog order.
type ListedLanguage struct {
	Label      string
	Frameworks []ListedFramework
}

// ListedFramework is one framework of a Listing.
type ListedFramework struct {
	Name     string
	Emerging bool
}

// Catalog lists the frameworks stackpick knows, grouped by language; languages without a
// framework are left out.
func Catalog(l Listing) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "*The %d frameworks I know, by language*", l.Frameworks)
	for _, lang := range l.Languages {
		var names []string
		for _, f := range lang.Frameworks {
			name := esc(f.Name)
			if f.Emerging {
				name += " _(emerging)_"
			}
			names = append(names, name)
		}
		if len(names) > 0 {
			fmt.Fprintf(&b, "\n• *%s*: %s", esc(lang.Label), strings.Join(names, ", "))
		}
	}
	return Message{Text: "The frameworks stackpick knows", Blocks: []slack.Block{section(b.String())}}
}

// Home is what the App Home tab shows its owner.
type Home struct {
	Owner      string // Slack user id
	Frameworks int    // how many frameworks the catalog holds
	// Latest is the owner's latest recommendation, or nil.
	Latest *ranking.Result
	// Teams are the open team decisions the owner takes part in.
	Teams []HomeTeam
}

// HomeView is the App Home tab: what stackpick does, a Start button, and the latest
// recommendation when there is one.
func HomeView(h Home) slack.HomeTabViewRequest {
	res := h.Latest
	c := Control{Owner: h.Owner}
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain("stackpick", maxHeaderText)),
		section(fmt.Sprintf("Choosing a backend framework is one of the costliest early decisions a team makes. I walk you through a short checklist (what you build, what your team knows, deadline, traffic, compliance, hosting…) and rank %d frameworks for your answers, with the reasons and the watchouts that apply to you.", h.Frameworks)),
		slack.NewActionBlock("home", button(ActHomeStart, "Start a checklist", c).WithStyle(slack.StylePrimary)),
		contextText("You can also type `/stackpick` anywhere, or `/stackpick help`."),
	}
	if res != nil {
		blocks = append(blocks, slack.NewDividerBlock(), section("*Your latest recommendation*"), contextText(esc(situation(res.Situation))))
		for _, i := range res.Choices(shareTop) {
			e := res.Shortlist[i]
			blocks = append(blocks, section(fmt.Sprintf("*%s %s* %d/100 · %s%s", rankMark(res.Place(i), res.Confidence.Level), esc(e.Name), e.Score, esc(strings.Join(e.Languages, ", ")), radarTag(e))))
		}
	}
	if len(h.Teams) > 0 {
		lines := make([]string, len(h.Teams))
		for i, t := range h.Teams {
			lines[i] = homeTeamLine(t)
		}
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, listSections("*Your open team decisions*", lines)...)
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// LeftOpen replaces a question that was left without an answer; line is its one-line text.
func LeftOpen(line string) Message {
	return Message{Text: fallback(esc(line + " → left open for now")), Blocks: []slack.Block{section(esc(line) + "\n→ _left open for now_")}}
}
