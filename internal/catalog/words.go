package catalog

import (
	"maps"
	"slices"
	"strings"
)

// Unit is a quantity free text can state, which options may be placed on (Option.From).
type Unit string

// The units.
const (
	People            Unit = "people"              // a head count: "3 devs", "a dozen engineers"
	Users             Unit = "users"               // "5000 users", "2M MAU"
	RequestsPerSecond Unit = "requests_per_second" // "10M webhook calls a month"
	Days              Unit = "days"                // a duration or a date: "6 weeks", "by Q3"
)

var units = []Unit{People, Users, RequestsPerSecond, Days}

// The commands Words.Commands may name: those of the checklist, then those that only mean
// something once the shortlist is shown.
var (
	checklistCommands = []string{"skip", "back", "undo", "done", "restart", "resume", "status", "help"}
	shortlistCommands = []string{"details", "checklist", "plan", "ranking", "all", "firmness", "keep", "export"}
	commandNames      = slices.Concat(checklistCommands, shortlistCommands)
)

// AfterShortlist reports whether a command of Words.Commands only means something once the
// shortlist is shown; while a question is open, its words are read as answers ("all").
func AfterShortlist(command string) bool { return slices.Contains(shortlistCommands, command) }

// The calendar anchors Words.Calendar may name: the end of this year, quarter or month; a week
// from now; the end of the next month or quarter; next year (any time in it) and its end.
var calendarAnchors = []string{"year_end", "quarter_end", "month_end", "next_week", "next_month", "next_quarter", "next_year", "next_year_end"}

// Words is the vocabulary free text is read with, beyond each option's own words
// (understanding.yaml). Phrases are matched case-insensitively on word boundaries.
type Words struct {
	// Commands maps a command (skip, back, undo, done, restart, resume, status, help; after the
	// shortlist details, checklist, plan, ranking, all, firmness, keep, export) to the whole
	// messages that mean it.
	Commands map[string][]string `yaml:"commands"`
	// Fillers around a command do not hide it ("next question pls", "oops undo that").
	Fillers []string `yaml:"fillers"`
	// Idioms are phrases whose words are not answers ("let's go with": not the Go language).
	Idioms []string `yaml:"idioms"`
	// Change, Add and Remove start a change of an earlier answer: "change traffic to massive",
	// "add go", "drop java". Correction starts a message that corrects answers ("actually we're 20").
	Change     []string `yaml:"change"`
	Add        []string `yaml:"add"`
	Remove     []string `yaml:"remove"`
	Correction []string `yaml:"correction"`
	// Negations before a phrase in its clause turn it around ("no java", "not hiring"); Dismissals
	// after it do too ("cold starts don't matter").
	Negations  []string `yaml:"negations"`
	Dismissals []string `yaml:"dismissals"`
	// Except words exclude options from "all" ("everything except cpu").
	Except []string `yaml:"except"`
	// RefFillers may come before the question a change names ("change the deadline", "forget what
	// I said about the deadline"), AnswerFillers between it and the answer ("to", "answer").
	RefFillers    []string `yaml:"ref_fillers"`
	AnswerFillers []string `yaml:"answer_fillers"`
	// Doubt phrases say the user does not know ("not sure", "no idea"). A doubt is about the open
	// question unless it names another, before it ("hosting is up in the air") or after one of
	// DoubtAbout ("not sure if we need GDPR"); one of Depends is always about the open question
	// ("depends on the hosting").
	Doubt      []string `yaml:"doubt"`
	DoubtAbout []string `yaml:"doubt_about"`
	Depends    []string `yaml:"depends"`
	// AskBack phrases start a question back ("what is", "should we").
	AskBack []string `yaml:"ask_back"`
	// Chat is small talk: a whole message of it answers nothing ("thanks", "lol").
	Chat []string `yaml:"chat"`
	// Leaving phrases say the rest of their clause is being left behind ("moving off", "legacy"),
	// up to one of LeavingEnds ("to", "with").
	Leaving     []string `yaml:"leaving"`
	LeavingEnds []string `yaml:"leaving_ends"`
	// All answers every option of a several-choice question ("all of them").
	All []string `yaml:"all"`
	// OptionRef words put before a number make it an option number ("option 2", "#2").
	OptionRef []string `yaml:"option_ref"`
	// Ordinals name option numbers ("second" -> 2); -1 is the last.
	Ordinals map[string]int `yaml:"ordinals"`
	// Numbers are number words ("two" -> 2, "dozen" -> 12, "half" -> 0.5) and Scales multiply the
	// number before them ("k", "thousand").
	Numbers map[string]float64 `yaml:"numbers"`
	Scales  map[string]float64 `yaml:"scales"`
	// Vague number words ("few", "couple") make an amount approximate; alone, without a scale
	// ("a few users", not "a few thousand"), too vague to answer a question that was not asked.
	Vague []string `yaml:"vague"`
	// Units names how text states each quantity.
	Units map[Unit]UnitWords `yaml:"units"`
	// Approximate words hedge the number after them ("about 10", "roughly 5k").
	Approximate []string `yaml:"approximate"`
	// Teams count teams ("two teams"); a team without a stated size counts TeamSize people.
	Teams    []string `yaml:"teams"`
	TeamSize float64  `yaml:"team_size"`
	// SkillVerbs after a head count make it a count of skills, not of the team ("two people know Java").
	SkillVerbs []string `yaml:"skill_verbs"`
	// Periods are lengths of time in seconds, for rates ("a month", "per day") and, in Durations,
	// in days ("weeks" -> 7).
	Periods map[string]float64 `yaml:"periods"`
	// Rates are request-rate words that carry their period, in seconds ("rps" -> 1).
	Rates     map[string]float64 `yaml:"rates"`
	Durations map[string]float64 `yaml:"durations"`
	// Calendar maps phrases to dates (see calendarAnchors); Months are the month names, January first (their first three letters also count).
	Calendar map[string]string `yaml:"calendar"`
	Months   []string          `yaml:"months"`
	// Seasons name a month ("summer" -> 7, "early" -> 2), read with an optional year after them.
	Seasons map[string]int `yaml:"seasons"`
	// After the shortlist: WhyNot starts a question about one framework or language ("why not
	// flask", "what about go?"), Compare sets two side by side ("compare django and fastapi",
	// "django vs nestjs"), WhatIf starts a hypothetical change ("what if we used serverless?").
	WhyNot  []string `yaml:"why_not"`
	Compare []string `yaml:"compare"`
	WhatIf  []string `yaml:"what_if"`
	// NotTypos are words never corrected to a near word of the vocabulary.
	NotTypos []string `yaml:"not_typos"`
}

// UnitWords is how text states one quantity: a number followed by one of After ("3 devs"),
// preceded by one of Before ("team of 5", "by March"). One of UnlessBefore just before it, or
// of UnlessAfter just after it, means it is not one ("for 10 years", "10 years of Python", "2 more").
//
// A date read for another question than the one asked needs one of Context in its clause
// ("launch by March", not "hiring 2 more next quarter").
type UnitWords struct {
	Context      []string `yaml:"context"`
	After        []string `yaml:"after"`
	Before       []string `yaml:"before"`
	UnlessBefore []string `yaml:"unless_before"`
	UnlessAfter  []string `yaml:"unless_after"`
}

// Lists returns the phrase lists, by their field names in understanding.yaml.
func (w *Words) Lists() map[string][]string {
	return map[string][]string{
		"fillers": w.Fillers, "idioms": w.Idioms, "change": w.Change, "add": w.Add, "remove": w.Remove,
		"correction": w.Correction, "doubt": w.Doubt, "doubt_about": w.DoubtAbout, "depends": w.Depends,
		"ask_back": w.AskBack, "chat": w.Chat, "leaving": w.Leaving, "leaving_ends": w.LeavingEnds, "all": w.All,
		"approximate": w.Approximate, "option_ref": w.OptionRef, "vague": w.Vague, "teams": w.Teams,
		"skill_verbs": w.SkillVerbs, "negations": w.Negations, "dismissals": w.Dismissals, "except": w.Except,
		"ref_fillers": w.RefFillers, "answer_fillers": w.AnswerFillers,
		"why_not": w.WhyNot, "compare": w.Compare, "what_if": w.WhatIf,
	}
}

// Keys returns every word the tables are keyed by: number words, scales, periods, durations,
// rates, ordinals, seasons, calendar phrases and month names.
func (w *Words) Keys() []string {
	words := slices.Clone(w.Months)
	for _, table := range w.amounts() {
		words = append(words, slices.Collect(maps.Keys(table))...)
	}
	words = append(words, slices.Collect(maps.Keys(w.Ordinals))...)
	words = append(words, slices.Collect(maps.Keys(w.Seasons))...)
	return append(words, slices.Collect(maps.Keys(w.Calendar))...)
}

// amounts returns the tables of words worth an amount, by their field names.
func (w *Words) amounts() map[string]map[string]float64 {
	return map[string]map[string]float64{"numbers": w.Numbers, "scales": w.Scales, "periods": w.Periods, "durations": w.Durations, "rates": w.Rates}
}

func (l *loader) checkWords(c *Catalog) {
	w := &c.Words
	d := l.words
	for name, phrases := range w.Commands {
		if !slices.Contains(commandNames, name) {
			l.problem(d, at("commands", name), "unknown command %q (commands: %s)", name, strings.Join(commandNames, ", "))
		}
		l.phrases(d, at("commands", name), phrases)
	}
	for _, name := range commandNames {
		if len(w.Commands[name]) == 0 {
			l.problem(d, at("commands"), "no words for the %q command", name)
		}
	}
	for field, list := range w.Lists() {
		if len(list) == 0 {
			l.problem(d, at(field), "at least one phrase is needed")
		}
		l.phrases(d, at(field), list)
	}
	l.phrases(d, at("not_typos"), w.NotTypos)
	for word, n := range w.Ordinals {
		if n == 0 || n < -1 || n > MaxOptions {
			l.problem(d, at("ordinals", word), "%d is not an option number (1..%d, or -1 for the last)", n, MaxOptions)
		}
	}
	for field, table := range w.amounts() {
		if len(table) == 0 {
			l.problem(d, at(field), "at least one word is needed")
		}
		for word, v := range table {
			if v <= 0 {
				l.problem(d, at(field, word), "%g must be above 0", v)
			}
		}
	}
	if w.TeamSize < 1 {
		l.problem(d, at("team_size"), "%g must be at least 1", w.TeamSize)
	}
	for u, uw := range w.Units {
		if !slices.Contains(units, u) {
			l.problem(d, at("units", string(u)), "unknown unit %q (units: %s)", u, unitList())
		}
		l.phrases(d, at("units", string(u), "after"), uw.After)
		l.phrases(d, at("units", string(u), "before"), uw.Before)
		l.phrases(d, at("units", string(u), "unless_before"), uw.UnlessBefore)
		l.phrases(d, at("units", string(u), "unless_after"), uw.UnlessAfter)
		l.phrases(d, at("units", string(u), "context"), uw.Context)
	}
	for phrase, anchor := range w.Calendar {
		if !slices.Contains(calendarAnchors, anchor) {
			l.problem(d, at("calendar", phrase), "unknown date %q (dates: %s)", anchor, strings.Join(calendarAnchors, ", "))
		}
	}
	for word, m := range w.Seasons {
		if m < 1 || m > 12 {
			l.problem(d, at("seasons", word), "%d is not a month (1..12)", m)
		}
	}
	if len(w.Months) != 12 {
		l.problem(d, at("months"), "needs the 12 month names, has %d", len(w.Months))
	}
	l.phrases(d, at("months"), w.Months)
}

// phrases reports blank phrases and repeated ones.
func (l *loader) phrases(d *doc, p []any, list []string) {
	seen := map[string]bool{}
	for i, s := range list {
		key := strings.ToLower(strings.TrimSpace(s))
		switch {
		case key == "":
			l.problem(d, append(slices.Clip(p), i), "empty phrase")
		case seen[key]:
			l.problem(d, append(slices.Clip(p), i), "%q is listed twice", s)
		}
		seen[key] = true
	}
}

// checkMeasures checks that a question's measured options rise in every unit they share, that
// its bare-number unit is one of them, and that it has at most one doubt option.
func (l *loader) checkMeasures(c *Catalog, qi int) {
	q := &c.Questions[qi]
	p := at("questions", qi)
	measured := map[Unit]bool{}
	last := map[Unit]float64{}
	doubts := 0
	for oi, o := range q.Options {
		for _, u := range slices.Sorted(maps.Keys(o.From)) {
			v := o.From[u]
			switch {
			case !slices.Contains(units, u):
				l.problem(l.qs, append(p, "options", oi, "from", string(u)), "unknown unit %q (units: %s)", u, unitList())
			case v < 0:
				l.problem(l.qs, append(p, "options", oi, "from", string(u)), "%g is below 0", v)
			case measured[u] && v <= last[u]:
				l.problem(l.qs, append(p, "options", oi, "from", string(u)), "%g does not rise above the previous option's %g", v, last[u])
			}
			measured[u], last[u] = true, v
		}
		if o.Doubt {
			doubts++
			if doubts > 1 {
				l.problem(l.qs, append(p, "options", oi, "doubt"), "only one option of a question can be what doubt means")
			}
		}
	}
	if q.BareNumber != "" && !measured[q.BareNumber] {
		l.problem(l.qs, append(p, "bare_number"), "%q is not a unit the options are measured in", q.BareNumber)
	}
	l.phrases(l.qs, append(p, "unlisted"), q.Unlisted)
}

func unitList() string {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = string(u)
	}
	return strings.Join(names, ", ")
}

// Measured reports the units q's options are placed on.
func (q *Question) Measured(u Unit) bool {
	for _, o := range q.Options {
		if _, ok := o.From[u]; ok {
			return true
		}
	}
	return false
}

// OptionAt returns the option of q that covers v in unit u: the last one starting at or below v.
func (q *Question) OptionAt(u Unit, v float64) (*Option, bool) {
	var found *Option
	for i := range q.Options {
		if from, ok := q.Options[i].From[u]; ok && from <= v {
			found = &q.Options[i]
		}
	}
	return found, found != nil
}
