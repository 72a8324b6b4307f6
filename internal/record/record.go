package record

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// Considered is how many genuinely different choices a record weighs: the ranking's
// Result.Choices of that many.
const Considered = 3

// Decision is what a decision record is written from: a ranking of one set of answers and what
// the front end knows around it.
type Decision struct {
	// Title is the record's short title; empty derives one from the situation, such as "Choose
	// a backend framework for an MVP or prototype in Python" (see Markdown).
	Title string
	// Date is written as YYYY-MM-DD, in its own location.
	Date time.Time
	// Deciders are the people who decide, as the front end names them ("you" in the console);
	// none says that nobody is named yet.
	Deciders []string
	Result   ranking.Result   // the ranking of the answers
	Firmness ranking.Firmness // how firm its top pick is; the zero value states nothing
	Seeds    []catalog.Seed   // the catalog's seeds, to name the articles behind the reasons
	// Open are the short names of the questions left unanswered or answered "not sure".
	Open []string
	// Team is set for a team's decision: Result ranks its merged answers.
	Team *Team
}

// Team is what a team decision adds to its record: how many answered, the disagreements and how
// each was settled, and the vote.
type Team struct {
	Participants  int
	Disagreements []Disagreement
	Vote          []Ballot // most votes first; none when nobody voted
	// Chosen is the id of the framework the team chose; it may differ from the ranking's first.
	Chosen string
}

// Disagreement is one question the participants answered differently, in plain text: who said
// what (and what it would change), and how the merge settled it.
type Disagreement struct {
	Question, Text, Settled string
	Matters                 bool // some answer would change the first choice
}

// Ballot is one option of a team's vote and who voted for it, as the front end names them.
type Ballot struct {
	Framework string // the framework's name
	Voters    []string
}

// Markdown writes the decision record in the MADR 4.0 layout: YAML front matter (status
// "proposed", the date, the decision-makers), the title, then Context and Problem Statement (the
// answers and the open questions), Decision Drivers (Result.Drivers), Considered Options (the
// Considered choices as Result.Choices orders them, each with its ring on the organisation's
// radar, then a line for each framework the radar holds and leaves unconsidered), Decision Outcome with its Consequences and
// Confirmation (the proof-of-concept plan, then the checklist as task-list items, open ones
// first), Pros and Cons of the Options and More Information (the seed articles the shown
// reasons cite, in the catalog's order, and what the scores mean).
//
// At low confidence no option is chosen: the outcome says so and why, with no firmness and no
// consequences. The default title is "Choose a backend framework", followed by "for" and the
// first answer that reads as a noun phrase (one starting "A " or "An ", without a closing
// parenthesis), and by "in" and the languages answered that a framework of the shortlist is
// written in.
//
// Every text from a user or the config is folded onto one line and escaped so that it stays
// text: no raw HTML or autolink ("<!channel>"), code span, emphasis, link, heading, list, quote,
// table cell or entity of its own; in the front matter it is a YAML double-quoted string with
// '<', '>', '`', '[' and ']' escaped. Markdown is a pure, deterministic function of d; the text
// has no trailing spaces and ends with one newline.
func Markdown(d Decision) string { return write(d, (*doc).frontMatter) }

// Canvas writes the record as Markdown does, for a Slack canvas, which reads no front matter:
// the status, the date and the decision-makers are a line under the title instead.
func Canvas(d Decision) string {
	return write(d, func(w *doc, d Decision) {
		w.add("# " + heading(Title(d)))
		makers := "nobody named yet"
		if names := nonEmpty(d.Deciders); len(names) > 0 {
			makers = inline(strings.Join(names, ", "))
		}
		w.add("Status: proposed · Date: " + d.Date.Format(time.DateOnly) + " · Decision-makers: " + makers)
	})
}

// write writes the record of d, its head (front matter and title) by head.
func write(d Decision, head func(*doc, Decision)) string {
	r := d.Result
	choices := r.Choices(Considered)
	w := &doc{}
	head(w, d)
	w.context(r, d.Open, d.Team)
	w.disagreements(d.Team)
	w.drivers(r.Drivers)
	if t := d.Team; t != nil && t.Chosen != "" {
		choices = teamChoices(r, choices, t.Chosen)
	}
	chosen := len(choices) > 0 && (r.Confidence.Level != ranking.Low || d.Team != nil && d.Team.Chosen != "")
	w.options(r, choices)
	w.outcome(d, choices, chosen)
	w.prosAndCons(r, choices)
	w.moreInformation(r, choices, d.Seeds)
	return strings.Join(w.blocks, "\n\n") + "\n"
}

// doc collects a record's blocks: paragraphs, lists and headings, each without a blank line.
type doc struct{ blocks []string }

// add appends a block of lines; none adds nothing.
func (w *doc) add(lines ...string) {
	if len(lines) > 0 {
		w.blocks = append(w.blocks, strings.Join(lines, "\n"))
	}
}

// frontMatter writes MADR's YAML front matter and the title.
func (w *doc) frontMatter(d Decision) {
	makers := `"" # nobody named yet`
	if names := nonEmpty(d.Deciders); len(names) > 0 {
		makers = yamlString(strings.Join(names, ", "))
	}
	w.add("---",
		`status: "proposed"`,
		"date: "+d.Date.Format(time.DateOnly),
		"decision-makers: "+makers,
		"---")
	w.add("# " + heading(Title(d)))
}

func (w *doc) context(r ranking.Result, open []string, t *Team) {
	w.add("## Context and Problem Statement")
	switch {
	case len(r.Situation) == 0:
		w.add("You are choosing a backend framework and have not answered any question yet, so the ranking rests on the catalog's base weights alone.")
	case t != nil:
		w.add(fmt.Sprintf("The team is choosing a backend framework. The answers of the %d people who answered, merged question by question:", t.Participants))
	default:
		w.add("You are choosing a backend framework. What you said about the project and the team:")
	}
	if len(r.Situation) > 0 {
		var facts []string
		for _, f := range r.Situation {
			if fact := labelled(f.Short, strings.Join(nonEmpty(f.Answers), ", ")); fact != "" {
				facts = append(facts, "* "+fact)
			}
		}
		w.add(facts...)
	}
	if open := nonEmpty(open); len(open) > 0 {
		w.add("Still open, unanswered or answered \"not sure\": " + andList(escapeAll(open)) + ". An open question counts as neutral, so answering it can still change the shortlist.")
	}
	w.add("Which backend framework fits these answers best, and what is left to check before committing to it?")
}

// disagreements lists the questions a team answered differently, those that would change the
// first choice first, each with how the merge settled it.
func (w *doc) disagreements(t *Team) {
	if t == nil || len(t.Disagreements) == 0 {
		return
	}
	var matters, minor []string
	for _, d := range t.Disagreements {
		item := labelled(d.Question, d.Text)
		if item == "" {
			continue
		}
		item = "* " + item
		if s := inline(d.Settled); s != "" {
			item += " Settled: " + s + "."
		}
		if d.Matters {
			matters = append(matters, item)
		} else {
			minor = append(minor, item)
		}
	}
	if len(matters)+len(minor) > 0 {
		w.add("### Disagreements and how they were settled")
		w.add(slices.Concat(matters, minor)...)
	}
}

// teamChoices puts the team's chosen framework first among the choices considered, adding it
// when it is not among the first choices; a framework the shortlist lacks (a team chooses among
// the ranked: team.Decision.Close) leaves the choices as they are.
func teamChoices(r ranking.Result, choices []int, chosen string) []int {
	i := slices.IndexFunc(r.Shortlist, func(e ranking.Entry) bool { return e.ID == chosen })
	if i < 0 {
		return choices
	}
	rest := slices.DeleteFunc(slices.Clone(choices), func(c int) bool { return c == i })
	return append([]int{i}, rest...)
}

func (w *doc) drivers(drivers []ranking.Driver) {
	w.add("## Decision Drivers")
	if len(drivers) == 0 {
		w.add("None yet: no answer has shifted the weight of any criterion.")
		return
	}
	var items []string
	for _, d := range drivers {
		item := "* " + block(d.Label)
		if d.Less {
			item += ", the less the better"
		}
		item += " (" + percent(d.Share) + " of the weight)"
		if why := nonEmpty(d.Why); len(why) > 0 {
			item += ": " + andList(escapeAll(why))
		}
		items = append(items, item)
	}
	w.add(items...)
}

func (w *doc) options(r ranking.Result, choices []int) {
	w.add("## Considered Options")
	if len(choices) == 0 {
		w.add("None: the catalog has no framework to rank.")
		w.notConsidered(r.NotConsidered)
		return
	}
	low := r.Confidence.Level == ranking.Low
	var items []string
	for _, i := range choices {
		e := r.Shortlist[i]
		item := "* " + block(e.Name) + " – "
		if !low {
			item += "ranked " + ordinal(r.Place(i)) + " with "
		}
		item += strconv.Itoa(e.Score) + "/100"
		if langs := nonEmpty(e.Languages); len(langs) > 0 {
			item += "; in " + orList(escapeAll(langs))
		}
		if e.Emerging {
			item += "; emerging"
		}
		if alts := nonEmpty(e.Alternatives); len(alts) > 0 {
			item += "; " + andList(escapeAll(alts)) + has(len(alts)) + " the same trade-offs"
		}
		if ring := e.RadarRing(); ring != "" {
			item += "; your organisation's radar: " + inline(ring)
		}
		items = append(items, item)
	}
	w.add(items...)
	w.notConsidered(r.NotConsidered)
}

// notConsidered writes a line for each framework the organisation's radar holds, a paragraph of
// its own so that no list takes it in.
func (w *doc) notConsidered(held []ranking.Held) {
	for _, h := range held {
		if reason := oneLine(h.Reason); reason != "" {
			w.add("Not considered: " + inline(strings.TrimSuffix(reason, ".")) + ".")
		}
	}
}

func (w *doc) outcome(d Decision, choices []int, chosen bool) {
	r := d.Result
	w.add("## Decision Outcome")
	switch {
	case chosen && d.Team != nil && d.Team.Chosen != "":
		w.add(teamOutcome(r, choices, d.Team))
	case chosen:
		top := r.Shortlist[choices[0]]
		text := fmt.Sprintf("Chosen option: \"%s\", because it comes out best for your answers, with %d/100", inline(top.Name), top.Score)
		if i := slices.IndexFunc(top.Reasons, func(rs ranking.Reason) bool { return rs.Positive && oneLine(rs.Text) != "" }); i >= 0 {
			text += "; its strongest reason: " + inline(top.Reasons[i].Text)
		}
		w.add(text + ".")
	case len(choices) > 0:
		w.add(fmt.Sprintf("No option is chosen yet, so the status stays \"proposed\": your answers cover too little of the decision (about %s of it) to name a winner.", percent(r.Confidence.Coverage)))
	default:
		w.add("No option is chosen: there was nothing to choose from.")
	}
	if t := r.ConfidenceText(); t != "" {
		w.add(block(t))
	}
	// At low confidence there is no top pick for the firmness to be about.
	if chosen && d.Firmness.Tried > 0 {
		w.add(block(d.Firmness.Text()))
	}
	if chosen {
		w.add("The status stays \"proposed\" until the confirmation below is done.")
		w.add("### Consequences")
		if args := arguments(r.Shortlist[choices[0]]); len(args) > 0 {
			w.add(args...)
		} else {
			w.add("The ranking gives no reason or watchout for it.")
		}
	}
	w.confirmation(r, chosen)
}

// teamOutcome says what the team chose and how: by its vote, or as the first choice of its
// merged answers when nobody voted.
func teamOutcome(r ranking.Result, choices []int, t *Team) string {
	top := r.Shortlist[choices[0]]
	first := r.Shortlist[0]
	if len(t.Vote) == 0 || len(t.Vote[0].Voters) == 0 {
		if first.ID == top.ID {
			return fmt.Sprintf("Chosen option: \"%s\", because it comes out best for the team's merged answers, with %d/100; nobody voted.", inline(top.Name), top.Score)
		}
		return fmt.Sprintf("Chosen option: \"%s\", with %d/100, the best ranked of the frameworks the team put to the vote; nobody voted. The ranking of the merged answers put \"%s\" first, with %d/100.", inline(top.Name), top.Score, inline(first.Name), first.Score)
	}
	var counts []string
	votes := 0
	for _, b := range t.Vote {
		if len(b.Voters) > 0 {
			votes += len(b.Voters)
			counts = append(counts, fmt.Sprintf("%s %d (%s)", inline(b.Framework), len(b.Voters), inline(strings.Join(b.Voters, ", "))))
		}
	}
	text := fmt.Sprintf("Chosen option: \"%s\", by the team's vote: %s, of %d %s.", inline(top.Name), strings.Join(counts, "; "), votes, plural(votes, "vote", "votes"))
	if first.ID != top.ID && r.Confidence.Level != ranking.Low {
		text += fmt.Sprintf(" The ranking of the merged answers put \"%s\" first, with %d/100 against %d/100.", inline(first.Name), first.Score, top.Score)
	}
	return text
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (w *doc) confirmation(r ranking.Result, chosen bool) {
	w.add("### Confirmation")
	poc := nonEmpty(r.POC)
	if len(poc) > 0 {
		intro := "Confirm the choice with a proof of concept:"
		if !chosen {
			intro = "Narrow the choice down with a proof of concept:"
		}
		w.add(intro)
		steps := make([]string, len(poc))
		for i, s := range poc {
			steps[i] = strconv.Itoa(i+1) + ". " + block(s)
		}
		w.add(steps...)
	}
	if len(r.Checklist) == 0 {
		if len(poc) == 0 {
			w.add("This ranking came with no proof of concept and no checklist.")
		}
		return
	}
	if len(poc) > 0 {
		w.add("Then check, before you commit:")
	} else {
		w.add("Check, before you commit:")
	}
	var conflicts, open, settled []string
	for _, it := range r.Checklist {
		item := labelled(it.Title, it.Text)
		switch {
		case item == "":
		case it.Settled:
			settled = append(settled, "* [x] "+item)
		case it.Conflict:
			conflicts = append(conflicts, "* [ ] "+labelled(oneLine(it.Title+" (conflicts with your answers)"), it.Text))
		default:
			open = append(open, "* [ ] "+item)
		}
	}
	w.add(slices.Concat(conflicts, open, settled)...)
}

func (w *doc) prosAndCons(r ranking.Result, choices []int) {
	if len(choices) == 0 {
		return
	}
	w.add("## Pros and Cons of the Options")
	for _, i := range choices {
		e := r.Shortlist[i]
		w.add("### " + heading(e.Name))
		if s := oneLine(e.Summary); s != "" {
			w.add(block(s))
		}
		if alts := nonEmpty(e.Alternatives); len(alts) > 0 {
			w.add(andList(escapeAll(alts)) + has(len(alts)) + " the same trade-offs: what follows holds for " + them(len(alts)) + " too.")
		}
		if site := oneLine(e.Website); site != "" {
			w.add("Website: " + autolink(site))
		}
		if args := arguments(e); len(args) > 0 {
			w.add(args...)
		}
	}
}

// arguments are an entry's pros and cons as MADR writes them: its reasons for it as Good, the
// organisation's radar on it and its general caveats as Neutral, its reasons against it and the
// watchouts the answers trigger as Bad.
func arguments(e ranking.Entry) []string {
	var good, neutral, bad []string
	if ring := e.RadarRing(); ring != "" {
		text := "* Neutral, because your organisation's radar has it in " + inline(ring)
		if said := oneLine(e.Stance.Description); said != "" {
			text += ": " + inline(said)
		}
		neutral = append(neutral, text)
	}
	for _, rs := range e.Reasons {
		if t := inline(rs.Text); t != "" && rs.Positive {
			good = append(good, "* Good, because "+t)
		} else if t != "" {
			bad = append(bad, "* Bad, because "+t)
		}
	}
	for _, wo := range e.Watchouts {
		if t := inline(wo.Text); t != "" && wo.Triggered {
			bad = append(bad, "* Bad, because your answers trigger this watchout: "+t)
		} else if t != "" {
			neutral = append(neutral, "* Neutral, because of a general caveat: "+t)
		}
	}
	return slices.Concat(good, neutral, bad)
}

func (w *doc) moreInformation(r ranking.Result, choices []int, seeds []catalog.Seed) {
	w.add("## More Information")
	cited := map[string]bool{}
	for _, i := range choices {
		for _, rs := range r.Shortlist[i].Reasons {
			for _, id := range rs.Sources {
				cited[id] = true
			}
		}
	}
	var items []string
	for _, s := range seeds {
		if cited[s.ID] {
			delete(cited, s.ID)
			title := oneLine(s.Title)
			if title == "" {
				title = s.ID
			}
			items = append(items, "* "+block(title)) // the title: a seed's file name is stackpick's own
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cited)) {
		items = append(items, "* "+block(id)+" (not among the catalog's seeds)")
	}
	if len(items) > 0 {
		w.add("The reasons above cite these seed articles:")
		w.add(items...)
	} else {
		w.add("None of the reasons above cites a seed article.")
	}
	w.add("This record was generated by stackpick from your answers. Scores run from 0 to 100: a framework's share of the best score possible for these answers.")
}

// Title is the record's title: d.Title, or the default one (see Markdown). It is not escaped.
func Title(d Decision) string {
	if strings.TrimSpace(d.Title) == "" {
		return defaultTitle(d.Result)
	}
	return d.Title
}

// defaultTitle is the title Markdown gives a record without one: "Choose a backend framework",
// then "for" and the first answer that reads as a noun phrase (its first letter lowered, a
// closing parenthesis dropped: "for an MVP or prototype"), then "in" and the languages answered
// that some framework of the shortlist is written in ("in Python or Go"). It is not escaped.
func defaultTitle(r ranking.Result) string {
	title := "Choose a backend framework"
	for _, f := range r.Situation {
		if f.QuestionID == catalog.LanguagesQuestion || len(f.Answers) != 1 {
			continue
		}
		a := oneLine(f.Answers[0])
		if strings.HasPrefix(a, "A ") || strings.HasPrefix(a, "An ") {
			if open := strings.LastIndex(a, " ("); open > 0 && strings.HasSuffix(a, ")") {
				a = a[:open]
			}
			title += " for " + strings.ToLower(a[:1]) + a[1:]
			break
		}
	}
	var langs []string
	for _, f := range r.Situation {
		if f.QuestionID != catalog.LanguagesQuestion {
			continue
		}
		for _, a := range f.Answers {
			if slices.ContainsFunc(r.Shortlist, func(e ranking.Entry) bool { return slices.Contains(e.Languages, a) }) {
				langs = append(langs, oneLine(a))
			}
		}
	}
	if len(langs) > 0 {
		title += " in " + orList(langs)
	}
	return title
}

// labelled writes a label and its text, from a user or the config, as the start of a list item:
// "label: text", or whichever of them is not blank, escaped.
func labelled(label, text string) string {
	label, text = oneLine(label), oneLine(text)
	if label == "" || text == "" {
		return block(label + text)
	}
	return block(label) + ": " + inline(text)
}

// percent writes a share (0..1) as a whole percentage; a share above zero that rounds to none is
// "under 1%".
func percent(share float64) string {
	p := int(math.Round(100 * share))
	if p == 0 && share > 0 {
		return "under 1%"
	}
	return strconv.Itoa(p) + "%"
}

// ordinal writes 1 as "1st", 2 as "2nd", 11 as "11th".
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// has is the verb for n names: "Delta has", "Delta and Eta have".
func has(n int) string {
	if n == 1 {
		return " has"
	}
	return " have"
}

// them is the pronoun for n names.
func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// nonEmpty returns the texts that are not blank, in order.
func nonEmpty(texts []string) []string {
	var out []string
	for _, t := range texts {
		if oneLine(t) != "" {
			out = append(out, t)
		}
	}
	return out
}

func escapeAll(texts []string) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = inline(t)
	}
	return out
}

// andList joins phrases as "A", "A and B", "A, B and C".
func andList(items []string) string { return joinLast(items, " and ") }

// orList joins names as "A", "A or B", "A, B or C".
func orList(items []string) string { return joinLast(items, " or ") }

func joinLast(items []string, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}
