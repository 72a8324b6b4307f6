package dialog

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Intent is what a typed message is for.
type Intent string

// The intents.
const (
	IntentAnswer  Intent = "answer"   // it answers the open question, or others it settles
	IntentAskBack Intent = "ask_back" // it asks something back: explain, record nothing
	IntentUnsure  Intent = "unsure"   // the user does not know
	IntentClarify Intent = "clarify"  // it fits several answers: ask which
	IntentCommand Intent = "command"  // skip, back, undo, change…
	// After the shortlist.
	IntentWhyNot  Intent = "why_not" // why is a framework (or a language's best) not the top pick?
	IntentCompare Intent = "compare" // two frameworks side by side
	IntentWhatIf  Intent = "what_if" // a hypothetical change: Answers, not to be saved
	IntentOther   Intent = "other"   // small talk, or nothing understood
)

// Point is where in a conversation a message arrives.
type Point struct {
	Question string          // the open question; "" once the shortlist is shown
	Answers  catalog.Answers // the answers given so far
	Pending  []string        // the options of Question that a clarification offered, in its order
}

// Candidate is one answer a clarification offers.
type Candidate struct {
	Question string `json:"question"`
	Option   string `json:"option"`
}

// Understanding is what one message means at one point of a conversation: what the engine would
// do with it.
type Understanding struct {
	Intent Intent `json:"intent"`
	// Answers are what to record: the open question's answer and any other the message settles;
	// with the change command, the new answers of the questions changed (no options: cleared).
	Answers catalog.Answers `json:"answers"`
	// Unsure are the questions the user said they do not know about.
	Unsure []string `json:"unsure,omitempty"`
	// Candidates are the answers a clarification asks the user to choose from.
	Candidates  []Candidate  `json:"candidates,omitempty"`
	Corrections []Correction `json:"corrections,omitempty"`
	// Readings say, by question, how an amount was read ("3 people", "about 4 requests a second").
	Readings map[string]string `json:"readings,omitempty"`
	// Uncovered are things the user named that no option covers ("rust").
	Uncovered []string `json:"uncovered,omitempty"`
	// Unresolved are other one-choice questions the message named several options of: asked later.
	Unresolved []string `json:"unresolved,omitempty"`
	// Command is the command given: skip, back, undo, done, restart, resume, status, help or change.
	Command string `json:"command,omitempty"`
	// Question is what a change or a question back is about; a change with no Question named a
	// question that does not exist.
	Question string `json:"question,omitempty"`
	// Focus are the options a question back names ("what is a modular monolith?").
	Focus []string `json:"focus,omitempty"`
	// Exact means nothing was inferred: the answer was an option number, a label or an id.
	Exact bool `json:"exact,omitempty"`
	// OutOfRange means option numbers past the options were given.
	OutOfRange bool `json:"out_of_range,omitempty"`
	// Unread means the answer given with a change could not be read.
	Unread bool `json:"unread,omitempty"`
	// Chat means the message was small talk ("thanks").
	Chat bool `json:"chat,omitempty"`
	// Mentions are the frameworks and languages a why-not or a comparison names, in order.
	Mentions []Mention `json:"mentions,omitempty"`
}

// Understand returns what the engine would do with typed text at p, on the current catalog and
// clock: the same reading a turn acts on.
func (e *Engine) Understand(p Point, text string) Understanding {
	return e.current.Load().lex.understand(p, text, e.now())
}

// understand reads one message at p. It is the only reader of typed text: the engine acts on what
// it returns, and `bot understand` prints it.
func (lx *lexicon) understand(p Point, raw string, now time.Time) (u Understanding) {
	norm := normalize(raw)
	text, fixes := lx.speller.correct(norm)
	u = Understanding{Intent: IntentOther, Answers: catalog.Answers{}, Corrections: fixes}
	defer func() { u.Exact = u.Exact && text == norm }() // a respelt word is not typed exactly
	q, open := lx.cat.Question(p.Question)
	whole := trimPunct(text)
	if open && len(p.Pending) > 0 {
		ids, again, ok := lx.pick(q, p.Pending, whole, now)
		switch {
		case ok:
			u.Intent, u.Answers[q.ID] = IntentAnswer, ids
			return u
		case again:
			u.Intent = IntentClarify
			for _, id := range p.Pending {
				u.Candidates = append(u.Candidates, Candidate{Question: q.ID, Option: id})
			}
			return u
		}
	}
	for _, c := range []string{whole, text, lx.unfilled(whole)} { // unfilled is "" for long texts
		if name, ok := lx.commands[c]; ok && (!open || !catalog.AfterShortlist(name)) {
			u.Intent, u.Command = IntentCommand, name
			return u
		}
	}
	if !open && lx.followUp(&u, p, whole, now) {
		return u
	}
	if lx.asksBack(q, whole, text) {
		u.Intent = IntentAskBack
		u.Question, u.Focus = lx.about(q, whole)
		return u
	}
	if lx.readChange(&u, p, whole, now) {
		return u
	}
	m := lx.parse(text)
	ws := m.words
	masked := lx.maskIdioms(lx.maskLeaving(text, ws), ws)
	doubt, doubtful := anyPhrase(masked, present(ws, lx.doubt, lx.doubtFirst))
	said := masked
	if doubtful {
		masked = blank(masked, doubt)
	}
	// Besides the open question, a message answers only questions still ahead: those before it were
	// asked already, and are changed with "change".
	ahead := func(qid string) bool {
		return len(p.Answers[qid]) == 0 && (!open || lx.cat.Index(qid) > lx.cat.Index(q.ID))
	}
	r := lx.read(q, m.masked(masked), now, ahead)
	u.Readings, u.Uncovered, u.Unresolved, u.Exact, u.OutOfRange = r.readings, r.uncovered, r.unresolved, r.exact, r.outcome == parsedOutOfRange
	if doubtful {
		u.Unsure = lx.doubted(said, doubt)
		for _, qid := range u.Unsure {
			delete(r.found, qid)
			if open && qid == q.ID {
				r.direct, r.outcome = nil, parsedNone
			}
		}
		if len(u.Unsure) == 0 && open && r.outcome != parsedOK && r.outcome != parsedAmbiguous {
			if o, ok := doubtOption(q); ok {
				r.direct, r.outcome = []string{o}, parsedOK
			} else {
				u.Unsure = []string{q.ID}
			}
		}
	}
	maps.Copy(u.Answers, r.found)
	switch {
	case r.outcome == parsedOK:
		u.Answers[q.ID] = r.direct
		u.Intent = IntentAnswer
	case r.outcome == parsedAmbiguous:
		u.Intent = IntentClarify
		for _, id := range r.direct {
			u.Candidates = append(u.Candidates, Candidate{Question: q.ID, Option: id})
		}
	case len(u.Unsure) > 0:
		u.Intent = IntentUnsure
	case len(u.Answers) > 0:
		u.Intent = IntentAnswer
	default:
		u.Chat = slices.Contains(lx.chat, whole) || whole != "" && strings.Trim(whole, "!?.…") == ""
	}
	return u
}

// doubted returns the questions a doubt is about, when it names them: "not sure if we need GDPR",
// "hosting is still up in the air". A doubt that names nothing, or says the open question
// depends on something ("depends on the hosting"), is about the open question: none is returned.
func (lx *lexicon) doubted(text string, doubt span) []string {
	if startsWith(text[doubt.start:], lx.depends) != "" {
		return nil
	}
	after := strings.TrimSpace(text[doubt.end:clauseEnd(text, doubt.end)])
	if startsWith(after, lx.doubtAbout) != "" {
		return lx.namedIn(after)
	}
	start := strings.LastIndexAny(text[:doubt.start], clauseEnds) + 1
	return lx.namedIn(text[start:doubt.start])
}

// namedIn returns the questions text names, by name or by an option's words, in checklist order.
func (lx *lexicon) namedIn(text string) []string {
	var ids []string
	ws := lx.wordsOf(text)
	for qi := range lx.cat.Questions {
		q := &lx.cat.Questions[qi]
		if lx.namesQuestion(q, text) || len(lx.matchesIn(q, text, ws, true, nil)) > 0 {
			ids = append(ids, q.ID)
		}
	}
	return ids
}

// doubtOption returns the option of q that doubt means, if it has one ("Not decided yet").
func doubtOption(q *catalog.Question) (string, bool) {
	for _, o := range q.Options {
		if o.Doubt {
			return o.ID, true
		}
	}
	return "", false
}

// reading is what a text says about the questions.
type reading struct {
	direct  []string // the open question's options, in its order
	outcome parseOutcome
	exact   bool
	found   catalog.Answers // other questions
	// readings, uncovered and unresolved as in Understanding.
	readings              map[string]string
	uncovered, unresolved []string
}

// read finds what text answers: the open question q (nil: none) from option numbers, labels, ids,
// synonyms, cues, patterns and amounts, and each other question that other allows from cues,
// patterns and amounts stated with their unit. Each amount answers one question, the open one first.
func (lx *lexicon) read(q *catalog.Question, m message, now time.Time, other func(qid string) bool) reading {
	r := reading{found: catalog.Answers{}, readings: map[string]string{}}
	text, ws := m.text, m.words
	amounts := lx.quantities(text, m.toks, now)
	used := make([]bool, len(amounts))
	if q != nil {
		r.direct, r.outcome, r.exact = lx.answerTo(q, text, ws, amounts, used, r.readings)
	}
	for qi := range lx.cat.Questions {
		oq := &lx.cat.Questions[qi]
		if !other(oq.ID) {
			continue
		}
		ids := matchIDs(oq, lx.matchesIn(oq, text, ws, false, lx.measured(oq, amounts, used, false, r.readings)))
		switch ids, outcome := settle(oq, ids); outcome {
		case parsedOK:
			r.found[oq.ID] = ids
		case parsedAmbiguous:
			r.unresolved = append(r.unresolved, oq.ID)
		}
	}
	for i, word := range lx.unlisted {
		if ws[lx.unlistedFirst[i]] && len(lx.phraseSpans(text, word, nil)) > 0 {
			r.uncovered = append(r.uncovered, word)
		}
	}
	return r
}

// synonymWords is the longest message in which synonyms count: in a longer one ("…live by mid
// January…") they are words of a sentence, not answers; labels, ids, cues and amounts still count.
const synonymWords = 12

// answerTo reads text as an answer to q.
func (lx *lexicon) answerTo(q *catalog.Question, text string, ws wordSet, amounts []quantity, used []bool, said map[string]string) ([]string, parseOutcome, bool) {
	whole := trimPunct(text)
	ids, outcome, ok := lx.optionNumbers(q, whole)
	if ok && outcome != parsedOutOfRange {
		return ids, outcome, true
	}
	if ok && !(q.Measured(catalog.Days) && len(amounts) == 1) {
		return nil, outcome, false
	}
	ows := lx.options[q.ID]
	for oi, o := range q.Options {
		if whole == ows[oi].label || whole == ows[oi].direct[1] || whole == o.ID {
			return []string{o.ID}, parsedOK, true
		}
	}
	// A message that is exactly one option's synonym settles it, even when the same word appears
	// inside another option's phrases ("no" vs "no, the team is set").
	var exact []string
	for oi, o := range q.Options {
		if slices.Contains(ows[oi].direct, whole) {
			exact = append(exact, o.ID)
		}
	}
	if len(exact) > 0 {
		ids, outcome := settle(q, exact)
		return ids, outcome, false
	}
	if q.Kind == catalog.Several {
		if ids, ok := lx.allBut(q, whole); ok {
			return ids, parsedOK, false
		}
	}
	short := strings.Count(strings.TrimSpace(text), " ") < synonymWords // normalized: one space between words
	ms := lx.matchesIn(q, text, ws, short, lx.measured(q, amounts, used, true, said))
	if len(ms) == 0 && !short {
		ms = lx.matchesIn(q, text, ws, true, nil) // a long answer to this very question
	}
	ids = matchIDs(q, ms)
	ids, outcome = settle(q, ids)
	// A number alone that reads as the option of that number either way ("1" at the team question:
	// one person, and option 1) was not inferred: there is no reading to confirm or tell apart.
	if n, err := strconv.Atoi(whole); err == nil && q.BareNumber != "" && outcome == parsedOK && len(ids) == 1 &&
		n >= 1 && n <= len(q.Options) && q.Options[n-1].ID == ids[0] {
		delete(said, q.ID)
		return ids, outcome, true
	}
	return ids, outcome, false
}

// allBut reads "all of them" and "everything except X" at a several-choice question.
func (lx *lexicon) allBut(q *catalog.Question, text string) ([]string, bool) {
	all := startsWith(text, lx.all)
	if all == "" {
		return nil, false
	}
	rest := strings.TrimSpace(text[len(all):])
	var except []string
	if but := startsWith(rest, lx.except); but != "" {
		except = matchIDs(q, lx.matches(q, rest[len(but):], true, nil))
	} else if rest != "" {
		return nil, false
	}
	var ids []string
	for _, o := range q.Options {
		if !o.Exclusive && !slices.Contains(except, o.ID) {
			ids = append(ids, o.ID)
		}
	}
	return ids, true
}

// sayBare reads back a number typed alone and read as an amount.
func sayBare(a quantity, q *catalog.Question) string {
	said := num(a.value) + " " + string(q.BareNumber)
	switch q.BareNumber {
	case catalog.People:
		said = plural(a.value, "person")
	case catalog.Users:
		said = plural(a.value, "user")
	}
	if n := int(a.value); float64(n) == a.value && n >= 1 && n <= len(q.Options) {
		said += " (for option " + strconv.Itoa(n) + ", say option " + strconv.Itoa(n) + ")"
	}
	return said
}

// match is an option of a question named in a text.
type match struct {
	option int
	at     span
}

// matches returns where text names q's options: cues and patterns anywhere, and, when direct (q
// is the question being answered), labels, ids and synonyms. An option named only inside a
// longer phrase of another ("monolith" in "modular monolith") does not count.
//
// amounts are the options amounts in the text fall in: a phrase inside an amount ("months" in "14
// months") does not count beside it.
func (lx *lexicon) matches(q *catalog.Question, text string, direct bool, amounts []match) []match {
	return lx.matchesIn(q, text, lx.wordsOf(text), direct, amounts)
}

// matchesIn is matches for a text whose words are ws: phrases whose first word is not among them
// are not searched for.
func (lx *lexicon) matchesIn(q *catalog.Question, text string, ws wordSet, direct bool, amounts []match) []match {
	ows := lx.options[q.ID]
	found := make([]optionSpans, len(ows))
	for _, m := range amounts {
		found[m.option].spans = append(found[m.option].spans, m.at)
	}
	for i, ow := range ows {
		var spans []span
		for k, c := range ow.cues {
			if ws[ow.cueFirst[k]] {
				spans = lx.phraseSpans(text, c, spans)
			}
		}
		for _, re := range ow.patterns {
			for _, loc := range re.FindAllStringIndex(text, -1) {
				if !lx.negated(text, loc[0]) && !lx.dismissed(text, loc[1]) {
					spans = append(spans, span{loc[0], loc[1]})
				}
			}
		}
		strong := len(spans)
		if direct {
			// The label and the id are as strong as a cue; synonyms (from direct[2]) are weaker.
			for k, d := range ow.direct {
				if ws[ow.directFirst[k]] {
					spans = lx.phraseSpans(text, d, spans)
				}
				if k == 1 {
					strong = len(spans)
				}
			}
		}
		found[i].spans = append(found[i].spans, spans...)
		found[i].weak = strong == 0 && !slices.ContainsFunc(amounts, func(m match) bool { return m.option == i })
	}
	var ms []match
	anyStrong := false
	for i, o := range found {
		for _, sp := range o.spans {
			if !insideAnother(sp, i, found) {
				ms = append(ms, match{i, sp})
				anyStrong = anyStrong || !o.weak
				break
			}
		}
	}
	// At a one-choice question, a word that is only a synonym ("shop") gives way to a phrase that
	// stands anywhere ("an API gateway").
	if q.Kind == catalog.One && anyStrong {
		ms = slices.DeleteFunc(ms, func(m match) bool { return found[m.option].weak })
	}
	return ms
}

// optionSpans are where an option is named in a text, and whether only by a weak synonym.
type optionSpans struct {
	spans []span
	weak  bool
}

// measured returns the options of q that the amounts not yet used fall in, and marks them used.
// Read for the open question (direct), a number alone is in its bare unit, and a head count is a
// user count at a question about users; read for another, a vague amount ("a few") says nothing.
// A hedged amount near a boundary ("~10") and a wide date ("next year") fall in every option they
// may; of several deadlines, the first version's is the earliest.
func (lx *lexicon) measured(q *catalog.Question, amounts []quantity, used []bool, direct bool, said map[string]string) []match {
	var ms []match
	earliest := -1
	for i, a := range amounts {
		unit := a.unit
		switch {
		case used[i]:
			continue
		case direct && unit == catalog.People && q.Measured(catalog.Users) && !q.Measured(catalog.People):
			unit, a.said = catalog.Users, num(a.value)+" users"
		case direct && unit == "" && q.BareNumber != "":
			unit, a.said = q.BareNumber, sayBare(a, q)
		case direct && unit == "" && q.Measured(catalog.Days) && len(amounts) == 1:
			// "6" at the deadline question: six weeks or six months?
			for _, d := range []float64{7, 30.44} {
				if o, ok := q.OptionAt(catalog.Days, a.value*d); ok {
					ms = append(ms, match{optionIndex(q, o.ID), a.span})
				}
			}
			used[i] = true
			continue
		}
		if unit == "" || !q.Measured(unit) || !direct && (a.vague || a.undated) {
			continue
		}
		if unit == catalog.Days {
			if earliest >= 0 && amounts[earliest].value <= a.value {
				used[i] = true
				continue
			}
			if earliest >= 0 {
				ms = slices.DeleteFunc(ms, func(m match) bool { return m.at == amounts[earliest].span })
			}
			earliest = i
		}
		values := []float64{a.value}
		if a.approx || a.vague {
			lo, hi := a.value*0.9, a.value*1.1
			if unit == catalog.People {
				lo, hi = math.Round(lo), math.Round(hi) // "about 10" is 9 to 11 people, "a couple" two
			}
			values = append(values, lo, hi)
		}
		if a.widest != nil {
			values = append(values, a.widest.value)
		}
		for _, v := range values {
			if o, ok := q.OptionAt(unit, v); ok {
				ms = append(ms, match{optionIndex(q, o.ID), a.span})
			}
		}
		said[q.ID] = a.said
		used[i] = true
	}
	return ms
}

func optionIndex(q *catalog.Question, id string) int {
	return slices.IndexFunc(q.Options, func(o catalog.Option) bool { return o.ID == id })
}

// matchIDs returns the ids of the options matched, in option order.
func matchIDs(q *catalog.Question, ms []match) []string {
	var ids []string
	for i, o := range q.Options {
		if slices.ContainsFunc(ms, func(m match) bool { return m.option == i }) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

func insideAnother(sp span, self int, found []optionSpans) bool {
	for j, other := range found {
		if j == self {
			continue
		}
		for _, o := range other.spans {
			if o.start <= sp.start && sp.end <= o.end && o.end-o.start > sp.end-sp.start {
				return true
			}
		}
	}
	return false
}

// parseOutcome says how an answer to one question was understood.
type parseOutcome int

const (
	parsedNone       parseOutcome = iota // nothing in the text answers the question
	parsedOK                             // the returned options answer it
	parsedAmbiguous                      // several options of a one-choice question matched
	parsedOutOfRange                     // option numbers outside 1..len(options)
)

// settle applies a question's kind to the options found in a text.
func settle(q *catalog.Question, ids []string) ([]string, parseOutcome) {
	switch {
	case len(ids) == 0:
		return nil, parsedNone
	case q.Kind == catalog.One && len(ids) > 1:
		return ids, parsedAmbiguous
	}
	if len(ids) > 1 {
		// An exclusive option ("none") gives way to the concrete ones named beside it.
		ids = slices.DeleteFunc(ids, func(id string) bool {
			o, _ := q.Option(id)
			return o.Exclusive
		})
	}
	return ids, parsedOK
}

// optionNumbers reads text made of option numbers only: "2", "1, 3", "option 2", "#2", "the
// second one", "2nd", "two". At a question whose bare numbers are amounts ("3" at the team
// question), a number counts as an option number only when marked ("option 3", "3rd").
func (lx *lexicon) optionNumbers(q *catalog.Question, text string) (ids []string, outcome parseOutcome, ok bool) {
	nums, marked, ok := lx.numberList(text, len(q.Options))
	if !ok || q.BareNumber != "" && !marked {
		return nil, parsedNone, false
	}
	seen := map[int]bool{}
	for _, n := range nums {
		if n < 1 || n > len(q.Options) {
			return nil, parsedOutOfRange, true
		}
		seen[n] = true
	}
	for i, o := range q.Options {
		if seen[i+1] {
			ids = append(ids, o.ID)
		}
	}
	ids, outcome = settle(q, ids)
	return ids, outcome, true
}

// numberList reads text as a list of option numbers among n; marked says an option word or an
// ordinal made them option numbers beyond doubt.
func (lx *lexicon) numberList(text string, n int) (nums []int, marked, ok bool) {
	if len(text) > maxCommandLen {
		return nil, false, false // option numbers are short: "1, 3 and 5", "the first three"
	}
	toks := tokenize(text)
	for i := 0; i < len(toks); i++ {
		t := toks[i].text
		switch {
		case t == "and" || t == "or" || t == "the" || t == "one" || t == "ones" || t == "please" || t == "pls" || t == "/" || t == "i" || t == "guess" || t == "think":
		case lx.optionRef[t] || t == "no" && i+1 < len(toks) && isDigits(toks[i+1].text):
			marked = true
		case isDigits(t):
			v, _ := strconv.Atoi(t)
			nums = append(nums, v)
			if i+1 < len(toks) && slices.Contains([]string{"st", "nd", "rd", "th"}, toks[i+1].text) {
				marked = true
				i++
			}
		case lx.words.Ordinals[t] != 0:
			v := lx.words.Ordinals[t]
			if v < 0 {
				v = n
			}
			marked = true
			// "the first three", "the last two"
			if i+1 < len(toks) && lx.words.Numbers[toks[i+1].text] >= 2 && lx.words.Numbers[toks[i+1].text] <= MaxOptionWords {
				count := int(lx.words.Numbers[toks[i+1].text])
				from := v
				if v == n {
					from = n - count + 1
				}
				for k := max(from, 1); k < from+count && k <= n; k++ {
					nums = append(nums, k)
				}
				i++
				continue
			}
			nums = append(nums, v)
		case lx.words.Numbers[t] >= 1 && lx.words.Numbers[t] <= float64(MaxOptionWords) && t != "a" && t != "an":
			nums = append(nums, int(lx.words.Numbers[t]))
		default:
			return nil, false, false
		}
	}
	return nums, marked, len(nums) > 0
}

// MaxOptionWords is the highest number word read as an option number ("ten").
const MaxOptionWords = 10

func isDigits(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pick reads a reply to a clarification against the options it offered: their numbers in the
// clarification ("2", "the second one") or anything naming just one of them ("AI", "14 months").
// "both" or a reply naming several of them asks again.
func (lx *lexicon) pick(q *catalog.Question, offered []string, text string, now time.Time) (ids []string, again, ok bool) {
	if nums, _, ok := lx.numberList(text, len(offered)); ok && len(nums) == 1 && nums[0] >= 1 && nums[0] <= len(offered) {
		return []string{offered[nums[0]-1]}, false, true
	}
	if startsWith(text, lx.all) != "" {
		return nil, true, false
	}
	r := lx.read(q, lx.parse(text), now, func(string) bool { return false })
	for _, id := range r.direct {
		if slices.Contains(offered, id) {
			ids = append(ids, id)
		}
	}
	return ids, len(ids) > 1, len(ids) == 1
}

// asksBack reports a question back: a message that starts like one, or that ends with a question
// mark and names no single option of the open question.
func (lx *lexicon) asksBack(q *catalog.Question, whole, text string) bool {
	if p := startsWith(whole, lx.askBack); p != "" && !strings.HasPrefix(whole[len(p):], "'") {
		return true
	}
	if !strings.HasSuffix(strings.TrimSpace(text), "?") {
		return false
	}
	if q == nil {
		return true
	}
	ids, outcome := settle(q, func() []string { ids := matchIDs(q, lx.matches(q, whole, true, nil)); return ids }())
	return outcome != parsedOK || len(ids) == 0
}

// about returns the question a question back is about (the one it names, else the open one) and
// the options of it that it names.
func (lx *lexicon) about(q *catalog.Question, text string) (string, []string) {
	for qi := range lx.cat.Questions {
		oq := &lx.cat.Questions[qi]
		if oq != q && lx.namesQuestion(oq, text) {
			q = oq
			break
		}
	}
	if q == nil {
		return "", nil
	}
	ids := matchIDs(q, lx.matches(q, text, true, nil))
	return q.ID, ids
}

// namesQuestion reports whether text names q by its short name or an alias.
func (lx *lexicon) namesQuestion(q *catalog.Question, text string) bool {
	_, ok := anyPhrase(text, lx.names[q.ID])
	return ok
}

// maskLeaving blanks what the text says is being left ("replace a legacy PHP monolith"), from a
// leaving phrase to the end of its clause or one of the words that end it ("to", "with").
func (lx *lexicon) maskLeaving(text string, ws wordSet) string {
	leaving := present(ws, lx.leaving, lx.leavingFirst)
	for {
		at, ok := anyPhrase(text, leaving)
		if !ok {
			return text
		}
		end := len(text)
		if i := strings.IndexAny(text[at.end:], ",;:.!?"); i >= 0 {
			end = at.end + i
		}
		if e, ok := anyPhrase(text[at.end:end], lx.leavingEnds); ok {
			end = at.end + e.start
		}
		text = blank(text, span{at.start, end})
	}
}

// maskIdioms blanks phrases whose words are not answers ("let's go with").
func (lx *lexicon) maskIdioms(text string, ws wordSet) string {
	for _, idiom := range present(ws, lx.idioms, lx.idiomsFirst) {
		for _, sp := range lx.phraseSpans(text, idiom, nil) {
			text = blank(text, sp)
		}
	}
	return text
}

// maxCommandLen bounds the messages read as a command with fillers around it, or as option numbers.
const maxCommandLen = 80

// unfilled drops filler words around text, and its punctuation: "oops, undo that pls" -> "undo that".
func (lx *lexicon) unfilled(text string) string {
	if len(text) > maxCommandLen {
		return ""
	}
	words := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == ',' || r == '!' || r == '.' })
	for len(words) > 0 && slices.Contains(lx.fillers, words[0]) {
		words = words[1:]
	}
	for len(words) > 0 && slices.Contains(lx.fillers, words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// clauseEnd returns where the clause running at from ends.
func clauseEnd(text string, from int) int {
	if i := strings.IndexAny(text[from:], clauseEnds); i >= 0 {
		return from + i
	}
	return len(text)
}

// blank replaces text[sp] with spaces, so nothing in it matches and positions stay.
func blank(text string, sp span) string {
	return text[:sp.start] + strings.Repeat(" ", sp.end-sp.start) + text[sp.end:]
}
