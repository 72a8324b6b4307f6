package catalog

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits the config must respect; the button limit is Slack's, and the others keep every message
// the bot renders inside Slack's block limits.
const (
	MinRating         = 1
	MaxRating         = 5
	MaxLabelRunes     = 75 // a Slack button's text
	MaxOptions        = 20
	MaxWeightDelta    = 5.0
	MaxPenalty        = 0.3
	MaxLanguageMatch  = 0.5
	MaxFavoredBonus   = 0.3
	MaxRadarAdopt     = 0.3
	MaxMinEffect      = 0.2
	LanguagesQuestion = "languages" // the question whose option ids are framework languages
)

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// validate checks the decoded files against each other, building as it goes the id
// indexes the accessors use.
func (l *loader) validate(c *Catalog) {
	c.criterionIndex = l.indexCriteria(c)
	seeds := map[string]bool{}
	for i, s := range c.Seeds {
		l.checkID(l.cat, at("seeds", i, "id"), s.ID, seeds)
		if s.File == "" {
			l.problem(l.cat, at("seeds", i), "file is missing")
		}
	}
	c.questionIndex = l.indexQuestions(c)
	c.frameworkIndex = map[string]int{}
	if len(c.Frameworks) == 0 {
		l.problem(l.cat, at("frameworks"), "at least one framework is needed")
	}
	frameworks := map[string]bool{}
	for i := range c.Frameworks {
		l.checkFramework(c, i, frameworks, seeds)
	}
	for i, f := range c.Frameworks {
		for ri, r := range f.RunsOn {
			if _, ok := c.frameworkIndex[r]; !ok || r == f.ID {
				l.problem(l.cat, at("frameworks", i, "runs_on", ri), "%q is not another framework of the catalog", r)
			}
		}
	}
	l.checkWeights(c)
	// Recommendations pick frameworks, so they are checked once every framework is known.
	l.checkRecommendations(c, seeds)
	l.checkChecklist(c)
	l.checkWords(c)
}

// checkID reports an empty, malformed or repeated id and records it in seen.
func (l *loader) checkID(d *doc, p []any, id string, seen map[string]bool) {
	switch {
	case id == "":
		l.problem(d, p, "id is missing")
	case !idRE.MatchString(id):
		l.problem(d, p, "%q is not a valid id (lowercase letters, digits, - and _)", id)
	case seen[id]:
		l.problem(d, p, "duplicate id %q", id)
	}
	seen[id] = true
}

func (l *loader) required(d *doc, p []any, field, value string) {
	if strings.TrimSpace(value) == "" {
		l.problem(d, p, "%s is missing", field)
	}
}

func (l *loader) indexCriteria(c *Catalog) map[string]int {
	idx := map[string]int{}
	seen := map[string]bool{}
	if len(c.Criteria) == 0 {
		l.problem(l.cat, at("criteria"), "at least one criterion is needed")
	}
	for i, cr := range c.Criteria {
		l.checkID(l.cat, at("criteria", i, "id"), cr.ID, seen)
		l.required(l.cat, at("criteria", i), "label", cr.Label)
		idx[cr.ID] = i
	}
	return idx
}

func (l *loader) indexQuestions(c *Catalog) map[string]int {
	idx := map[string]int{}
	seen := map[string]bool{}
	if len(c.Questions) == 0 {
		l.problem(l.qs, at("questions"), "at least one question is needed")
	}
	for qi := range c.Questions {
		q := &c.Questions[qi]
		p := at("questions", qi)
		l.checkID(l.qs, append(p, "id"), q.ID, seen)
		idx[q.ID] = qi
		l.required(l.qs, p, "text", q.Text)
		l.required(l.qs, p, "short", q.Short)
		if q.Kind != One && q.Kind != Several {
			l.problem(l.qs, append(p, "kind"), "kind must be %q or %q, not %q", One, Several, q.Kind)
		}
		if len(q.Options) < 2 || len(q.Options) > MaxOptions {
			l.problem(l.qs, append(p, "options"), "needs 2..%d options, has %d", MaxOptions, len(q.Options))
		}
		opts := map[string]bool{}
		for oi := range q.Options {
			l.checkOption(c, q, qi, oi, opts)
		}
		l.checkMeasures(c, qi)
	}
	if _, ok := idx[LanguagesQuestion]; !ok && len(c.Questions) > 0 {
		l.problem(l.qs, at("questions"), "the %q question is missing; framework languages refer to its options", LanguagesQuestion)
	}
	return idx
}

func (l *loader) checkOption(c *Catalog, q *Question, qi, oi int, seen map[string]bool) {
	o := &q.Options[oi]
	p := at("questions", qi, "options", oi)
	l.checkID(l.qs, append(p, "id"), o.ID, seen)
	l.required(l.qs, p, "label", o.Label)
	if n := utf8.RuneCountInString(o.Label); n > MaxLabelRunes {
		l.problem(l.qs, append(p, "label"), "%d characters; a button label holds at most %d", n, MaxLabelRunes)
	}
	if o.Exclusive && q.Kind != Several {
		l.problem(l.qs, append(p, "exclusive"), "only options of a %q question can be exclusive", Several)
	}
	for crit, delta := range o.Weights {
		if _, ok := c.criterionIndex[crit]; !ok {
			l.problem(l.qs, append(p, "weights", crit), "unknown criterion %q", crit)
		} else if delta < -MaxWeightDelta || delta > MaxWeightDelta {
			l.problem(l.qs, append(p, "weights", crit), "%g is outside -%g..%g", delta, MaxWeightDelta, MaxWeightDelta)
		}
	}
	for crit, v := range o.Prefers {
		if _, ok := c.criterionIndex[crit]; !ok {
			l.problem(l.qs, append(p, "prefers", crit), "unknown criterion %q", crit)
		} else if v == 0 || v < -MaxWeightDelta || v > MaxWeightDelta {
			l.problem(l.qs, append(p, "prefers", crit), "%g is outside -%g..%g or zero; a preference needs a direction", v, MaxWeightDelta, MaxWeightDelta)
		}
	}
	o.patterns = nil
	for pi, src := range o.Patterns {
		re, err := regexp.Compile(src)
		if err != nil {
			l.problem(l.qs, append(p, "patterns", pi), "not a valid regular expression: %v", err)
			continue
		}
		o.patterns = append(o.patterns, re)
	}
}

func (l *loader) checkFramework(c *Catalog, i int, seen, seeds map[string]bool) {
	f := &c.Frameworks[i]
	p := at("frameworks", i)
	l.checkID(l.cat, append(p, "id"), f.ID, seen)
	c.frameworkIndex[f.ID] = i
	l.required(l.cat, p, "name", f.Name)
	l.required(l.cat, p, "summary", f.Summary)
	if !strings.HasPrefix(f.Website, "https://") {
		l.problem(l.cat, append(p, "website"), "website must be an https:// URL, not %q", f.Website)
	}
	if len(f.Languages) == 0 {
		l.problem(l.cat, append(p, "languages"), "at least one language is needed")
	}
	if lq, ok := c.Question(LanguagesQuestion); ok {
		for li, lang := range f.Languages {
			if _, ok := lq.Option(lang); !ok {
				l.problem(l.cat, append(p, "languages", li), "unknown language %q (not an option of the %q question)", lang, LanguagesQuestion)
			}
		}
	}
	for _, cr := range c.Criteria {
		r, ok := f.Ratings[cr.ID]
		switch {
		case !ok:
			l.problem(l.cat, append(p, "ratings"), "rating for %q is missing", cr.ID)
		case r < MinRating || r > MaxRating:
			l.problem(l.cat, append(p, "ratings", cr.ID), "%d is outside %d..%d", r, MinRating, MaxRating)
		}
	}
	for crit := range f.Ratings {
		if _, ok := c.criterionIndex[crit]; !ok {
			l.problem(l.cat, append(p, "ratings", crit), "unknown criterion %q", crit)
		}
	}
	l.checkSources(append(p, "sources"), f.Sources, seeds)
	for si, s := range f.Strengths {
		l.required(l.cat, append(p, "strengths", si), "text", s.Text)
		l.checkSources(append(p, "strengths", si, "sources"), s.Sources, seeds)
	}
	for wi, w := range f.Watchouts {
		wp := append(p, "watchouts", wi)
		l.required(l.cat, wp, "text", w.Text)
		l.checkSources(append(wp, "sources"), w.Sources, seeds)
		l.checkWatchout(c, wp, &w)
	}
}

// checkWatchout checks a watchout's condition and penalty: the answers it names must exist, a
// general caveat cannot take unless or a penalty, and a condition must be able to hold.
func (l *loader) checkWatchout(c *Catalog, p []any, w *Watchout) {
	known := l.checkAnswerRefs(l.cat, append(p, "when"), c, w.When)
	known = l.checkAnswerRefs(l.cat, append(p, "when_all"), c, w.WhenAll) && known
	known = l.checkAnswerRefs(l.cat, append(p, "unless"), c, w.Unless) && known
	if w.Penalty < 0 || w.Penalty > MaxPenalty {
		l.problem(l.cat, append(p, "penalty"), "%g is outside 0..%g", w.Penalty, MaxPenalty)
	}
	switch {
	case !w.Conditional() && len(w.Unless) > 0:
		l.problem(l.cat, append(p, "unless"), "unless without when or when_all: a general caveat is never triggered")
	case !w.Conditional() && w.Penalty > 0:
		l.problem(l.cat, append(p, "penalty"), "%g on a general caveat, which is never triggered: give it a when or when_all, or drop the penalty", w.Penalty)
	case w.Conditional() && known && !canTrigger(c, w):
		field := "when_all"
		if len(w.WhenAll) == 0 {
			field = "when"
		}
		what := "this watchout"
		if w.Penalty > 0 {
			what = fmt.Sprintf("this watchout and its penalty %g", w.Penalty)
		}
		l.problem(l.cat, append(p, field), "no answers meet when, when_all and unless at once: %s can never trigger", what)
	}
}

// canTrigger reports whether some valid set of answers meets the watchout's condition: one answer
// of When (when there is one), one listed answer to every question of WhenAll, and none of Unless.
// Every question and option it names must exist.
func canTrigger(c *Catalog, w *Watchout) bool {
	// The any-of part holds through one of its questions: try each (none when When is empty).
	pivots := slices.Sorted(maps.Keys(w.When))
	if len(w.When) == 0 {
		pivots = []string{""}
	}
	for _, pivot := range pivots {
		questions := slices.Collect(maps.Keys(w.WhenAll))
		if _, listed := w.WhenAll[pivot]; pivot != "" && !listed {
			questions = append(questions, pivot)
		}
		ok := true
		for _, qid := range questions {
			q, _ := c.Question(qid)
			var needs [][]string
			if opts, listed := w.WhenAll[qid]; listed {
				needs = append(needs, opts)
			}
			if qid == pivot {
				needs = append(needs, w.When[qid])
			}
			if !answerable(q, needs, w.Unless[qid]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// answerable reports whether a valid answer to q picks an option of every set in needs and none
// of forbidden: one option in all of them, or, where several may be picked, one non-exclusive
// option per set.
func answerable(q *Question, needs [][]string, forbidden []string) bool {
	allowed := func(id string) bool {
		_, ok := q.Option(id)
		return ok && !slices.Contains(forbidden, id)
	}
	for _, o := range q.Options {
		if allowed(o.ID) && !slices.ContainsFunc(needs, func(n []string) bool { return !slices.Contains(n, o.ID) }) {
			return true
		}
	}
	if q.Kind != Several {
		return false
	}
	for _, n := range needs {
		if !slices.ContainsFunc(n, func(id string) bool {
			o, ok := q.Option(id)
			return ok && allowed(id) && !o.Exclusive
		}) {
			return false
		}
	}
	return true
}

func (l *loader) checkSources(p []any, sources []string, seeds map[string]bool) {
	l.checkSeedRefs(l.cat, p, sources, seeds)
}

// checkSeedRefs reports an empty list of sources and every unknown seed in it.
func (l *loader) checkSeedRefs(d *doc, p []any, sources []string, seeds map[string]bool) {
	if len(sources) == 0 {
		l.problem(d, p, "at least one source seed is needed")
	}
	for i, s := range sources {
		if !seeds[s] {
			l.problem(d, append(p, i), "unknown seed %q", s)
		}
	}
}

// checkAnswerRefs checks a question id -> option ids map against the questions and reports
// whether every id is known.
func (l *loader) checkAnswerRefs(d *doc, p []any, c *Catalog, refs map[string][]string) bool {
	known := true
	for qid, opts := range refs {
		q, ok := c.Question(qid)
		if !ok {
			l.problem(d, append(p, qid), "unknown question %q", qid)
			known = false
			continue
		}
		for oi, o := range opts {
			if _, ok := q.Option(o); !ok {
				l.problem(d, append(p, qid, oi), "unknown option %q of question %q", o, qid)
				known = false
			}
		}
	}
	return known
}

func (l *loader) checkWeights(c *Catalog) {
	w := c.Weights
	positive := false
	for crit, v := range w.Base {
		if _, ok := c.criterionIndex[crit]; !ok {
			l.problem(l.w, at("base", crit), "unknown criterion %q", crit)
		} else if v < 0 || v > MaxWeightDelta {
			l.problem(l.w, at("base", crit), "%g is outside 0..%g", v, MaxWeightDelta)
		}
		positive = positive || v > 0
	}
	if !positive {
		l.problem(l.w, at("base"), "at least one base weight must be positive")
	}
	l.inRange(l.w, at("explicit_shade", "with"), w.ExplicitShade.With, 1)
	l.inRange(l.w, at("explicit_shade", "against"), w.ExplicitShade.Against, 1)
	l.inRange(l.w, at("language_match"), w.LanguageMatch, MaxLanguageMatch)
	l.checkAnswerAmounts(at("language_scaling"), c, w.LanguageScaling, -MaxLanguageMatch, MaxLanguageMatch)
	l.inRange(l.w, at("favored"), w.Favored, MaxFavoredBonus)
	l.inRange(l.w, at("radar_adopt"), w.RadarAdopt, MaxRadarAdopt)
	l.inRange(l.w, at("reasons", "min_effect"), w.Reasons.MinEffect, MaxMinEffect)
	l.inRange(l.w, at("reasons", "heavy_share"), w.Reasons.HeavyShare, 1)
	if w.EmergingPenalty <= 0 || w.EmergingPenalty > MaxPenalty {
		// Never zero: the seeds say to benchmark and pilot an emerging framework first, whatever
		// the project.
		l.problem(l.w, at("emerging_penalty"), "%g is outside 0..%g or zero; emerging frameworks always carry some risk", w.EmergingPenalty, MaxPenalty)
	}
	l.checkAnswerAmounts(at("emerging_maturity"), c, w.EmergingMaturity, 0, MaxPenalty)
	l.checkTeamRules(c)
}

// checkTeamRules checks that every merge rule is known and fits its question.
func (l *loader) checkTeamRules(c *Catalog) {
	known := func(r MergeRule) bool {
		return slices.Contains([]MergeRule{MergeMajority, MergeUnion, MergeHighest, MergeLowest}, r)
	}
	if d := c.Weights.Team.Default; d != "" && (!known(d) || d == MergeHighest || d == MergeLowest) {
		l.problem(l.w, at("team", "default"), "%q is not a default merge rule (majority or union)", d)
	}
	for qid, r := range c.Weights.Team.Merge {
		q, ok := c.Question(qid)
		switch {
		case !ok:
			l.problem(l.w, at("team", "merge", qid), "unknown question %q", qid)
		case !known(r):
			l.problem(l.w, at("team", "merge", qid), "unknown merge rule %q (majority, union, highest or lowest)", r)
		case (r == MergeHighest || r == MergeLowest) && q.Kind != One:
			l.problem(l.w, at("team", "merge", qid), "%s needs a one-choice question, and %q is several-choice", r, qid)
		}
	}
}

// checkAnswerAmounts checks a question id -> option id -> amount table of weights.yaml against
// the questions and the range lo..hi.
func (l *loader) checkAnswerAmounts(p []any, c *Catalog, table map[string]map[string]float64, lo, hi float64) {
	for qid, opts := range table {
		q, ok := c.Question(qid)
		if !ok {
			l.problem(l.w, append(p, qid), "unknown question %q", qid)
			continue
		}
		for oid, v := range opts {
			if _, ok := q.Option(oid); !ok {
				l.problem(l.w, append(p, qid, oid), "unknown option %q of question %q", oid, qid)
			} else if v < lo || v > hi {
				l.problem(l.w, append(p, qid, oid), "%g is outside %g..%g", v, lo, hi)
			}
		}
	}
}

// checkRecommendations checks each recommendation: a unique id, a reason of its own, the answers
// it applies to, known and distinct picks, and the seeds that name them.
func (l *loader) checkRecommendations(c *Catalog, seeds map[string]bool) {
	ids := map[string]bool{}
	reasons := map[string]string{} // reason -> id of the first recommendation giving it
	for i, r := range c.Weights.Recommendations {
		p := at("recommendations", i)
		l.checkID(l.w, append(p, "id"), r.ID, ids)
		l.required(l.w, p, "reason", r.Reason)
		if first, ok := reasons[r.Reason]; ok && r.Reason != "" {
			l.problem(l.w, append(p, "reason"), "the same reason as recommendation %q; each recommendation needs its own", first)
		} else {
			reasons[r.Reason] = r.ID
		}
		if len(r.When) == 0 {
			l.problem(l.w, append(p, "when"), "when is missing: name the answers the recommendation applies to")
		}
		for qid, opts := range r.When {
			if len(opts) == 0 {
				l.problem(l.w, append(p, "when", qid), "lists no options of question %q", qid)
			}
		}
		l.checkAnswerRefs(l.w, append(p, "when"), c, r.When)
		if len(r.Picks) == 0 {
			l.problem(l.w, append(p, "picks"), "at least one pick is needed")
		}
		picked := map[string]bool{}
		for j, f := range r.Picks {
			if _, ok := c.frameworkIndex[f]; !ok {
				l.problem(l.w, append(p, "picks", j), "unknown framework %q", f)
			} else if picked[f] {
				l.problem(l.w, append(p, "picks", j), "%q is picked twice", f)
			}
			picked[f] = true
		}
		l.checkSeedRefs(l.w, append(p, "sources"), r.Sources, seeds)
	}
}

func (l *loader) inRange(d *doc, p []any, v, max float64) {
	if v < 0 || v > max {
		l.problem(d, p, "%g is outside 0..%g", v, max)
	}
}

// The placeholders checklist and plan texts may use.
var (
	itemSlots = []string{"{said}", "{pick}", "{pick_languages}", "{rating}", "{criterion}"}
	planSlots = []string{"{first}", "{second}"}
	slotRE    = regexp.MustCompile(`\{[a-z_]*\}`)
)

func (l *loader) checkChecklist(c *Catalog) {
	cl := c.Checklist
	cf := cl.Confidence
	if cf.MediumCoverage <= 0 || cf.MediumCoverage > cf.HighCoverage || cf.HighCoverage > 1 {
		l.problem(l.cl, at("confidence"), "needs 0 < medium_coverage <= high_coverage <= 1, got %g and %g", cf.MediumCoverage, cf.HighCoverage)
	}
	if cf.HighMargin < 0 || cf.HighMargin > 100 {
		l.problem(l.cl, at("confidence", "high_margin"), "%d is outside 0..100", cf.HighMargin)
	}
	if cf.ClearMargin != 0 && (cf.ClearMargin < cf.HighMargin || cf.ClearMargin > 100) {
		l.problem(l.cl, at("confidence", "clear_margin"), "%d must be 0 (off) or from high_margin (%d) to 100", cf.ClearMargin, cf.HighMargin)
	}
	if cf.Broad < 1 {
		l.problem(l.cl, at("confidence", "broad"), "%d: at least one choice must be shown", cf.Broad)
	}
	if cl.SuitsRating < MinRating || cl.SuitsRating > MaxRating {
		l.problem(l.cl, at("suits_rating"), "%d is outside %d..%d", cl.SuitsRating, MinRating, MaxRating)
	}
	if cl.AsksWeight <= 0 || cl.AsksWeight > MaxWeightDelta {
		l.problem(l.cl, at("asks_weight"), "%g is outside (0, %g]", cl.AsksWeight, MaxWeightDelta)
	}
	seen := map[string]bool{}
	if len(cl.Items) == 0 {
		l.problem(l.cl, at("items"), "at least one checklist item is needed")
	}
	for i, it := range cl.Items {
		p := at("items", i)
		l.checkID(l.cl, append(p, "id"), it.ID, seen)
		l.required(l.cl, p, "title", it.Title)
		l.required(l.cl, p, "verify", it.Verify)
		l.checkSlots(append(p, "verify"), it.Verify, itemSlots)
		if _, ok := c.Question(it.Question); it.Question != "" && !ok {
			l.problem(l.cl, append(p, "question"), "unknown question %q", it.Question)
		}
		if _, ok := c.criterionIndex[it.Criterion]; it.Criterion != "" && !ok {
			l.problem(l.cl, append(p, "criterion"), "unknown criterion %q", it.Criterion)
		}
		// A pick can only disagree with an answer about its languages or a rating.
		if it.Question != "" && (it.Question == LanguagesQuestion || it.Criterion != "") {
			l.required(l.cl, p, "conflict", it.Conflict)
		}
		l.checkSlots(append(p, "conflict"), it.Conflict, itemSlots)
		for vi, v := range it.VerifyWhen {
			vp := append(p, "verify_when", vi)
			l.required(l.cl, vp, "text", v.Text)
			l.checkSlots(append(vp, "text"), v.Text, itemSlots)
			l.checkCondition(append(vp, "when"), c, v.When)
		}
	}
	if len(cl.POC) == 0 {
		l.problem(l.cl, at("poc"), "the proof-of-concept plan needs at least one step")
	}
	for i, st := range cl.POC {
		p := at("poc", i)
		l.required(l.cl, p, "text", st.Text)
		l.checkSlots(append(p, "text"), st.Text, planSlots)
		l.checkAnswerRefs(l.cl, append(p, "when"), c, st.When)
		l.checkAnswerRefs(l.cl, append(p, "unless"), c, st.Unless)
	}
}

// checkCondition checks a condition that must say something: empty, it would always hold.
func (l *loader) checkCondition(p []any, c *Catalog, when Condition) {
	if len(when) == 0 {
		l.problem(l.cl, p, "a condition is needed")
	}
	l.checkAnswerRefs(l.cl, p, c, when)
}

// checkSlots reports placeholders in text that are not among allowed.
func (l *loader) checkSlots(p []any, text string, allowed []string) {
	for _, slot := range slotRE.FindAllString(text, -1) {
		if !slices.Contains(allowed, slot) {
			l.problem(l.cl, p, "unknown placeholder %s (allowed: %s)", slot, strings.Join(allowed, " "))
		}
	}
}
