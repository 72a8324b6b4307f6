package catalog

import (
	"regexp"
	"time"
)

// Catalog is the advisor's whole knowledge: frameworks, rating criteria, checklist questions,
// scoring weights and the final pre-commitment checklist. It is read-only once loaded, so one
// value may be shared by any number of goroutines.
type Catalog struct {
	Seeds      []Seed      `yaml:"seeds"`
	Criteria   []Criterion `yaml:"criteria"`
	Frameworks []Framework `yaml:"frameworks"`
	Questions  []Question  `yaml:"-"`
	Words      Words       `yaml:"-"`
	Weights    Weights     `yaml:"-"`
	Checklist  Checklist   `yaml:"-"`
	// Radar is the organisation's tech radar as it bears on the frameworks: framework id ->
	// stance, for the frameworks it names. It is no YAML file: package radar reads it and the
	// program sets it after Load, before the catalog is shared. Nil means no radar.
	Radar map[string]Stance `yaml:"-"`

	criterionIndex map[string]int
	frameworkIndex map[string]int
	questionIndex  map[string]int
}

// Seed is one source article the catalog's facts come from.
type Seed struct {
	ID    string `yaml:"id"`
	File  string `yaml:"file"`
	Title string `yaml:"title"`
}

// Criterion is one dimension every framework is rated on, from 1 (weak) to 5 (strong).
type Criterion struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
	Low   string `yaml:"low"`  // what a 1 means
	High  string `yaml:"high"` // what a 5 means
}

// Framework is one backend framework the advisor can recommend.
type Framework struct {
	ID        string   `yaml:"id"`
	Name      string   `yaml:"name"`
	Languages []string `yaml:"languages"` // option ids of the "languages" question
	// Style describes the framework's approach, most telling term first ("minimal, plugin-based");
	// that first comma-separated term is its style family, which a broad shortlist varies.
	Style string `yaml:"style"`
	// RunsOn names the catalog frameworks (usually runtimes) this one runs on, e.g. a framework
	// that runs on Bun; the proof of concept never pairs the two, as they are not alternatives.
	RunsOn      []string       `yaml:"runs_on"`
	Concurrency string         `yaml:"concurrency"`
	Website     string         `yaml:"website"`
	Emerging    bool           `yaml:"emerging"`
	Summary     string         `yaml:"summary"`
	Ratings     map[string]int `yaml:"ratings"` // criterion id -> 1..5
	RatingNotes []string       `yaml:"rating_notes"`
	UseCases    []string       `yaml:"use_cases"`
	Strengths   []Claim        `yaml:"strengths"`
	Watchouts   []Watchout     `yaml:"watchouts"`
	Sources     []string       `yaml:"sources"` // seed ids
}

// Ring is where an organisation's tech radar puts a technology, from adopt (use it) to hold
// (start nothing new with it).
type Ring string

// The rings, in the order of a radar: Rings lists them so.
const (
	Adopt  Ring = "adopt"
	Trial  Ring = "trial"
	Assess Ring = "assess"
	Hold   Ring = "hold"
)

// Rings are the rings a radar may use, adopt first.
var Rings = []Ring{Adopt, Trial, Assess, Hold}

// Stance is what the organisation's tech radar says of one framework: its current ring (that of
// the latest move on the entry's timeline), the date of that move, the radar's words on it (the
// move's description, or the entry's), and the title of the radar entry.
type Stance struct {
	Ring        Ring
	Date        time.Time
	Description string
	Entry       string
}

// Claim is one statement about a framework and the seeds it comes from.
type Claim struct {
	Text    string   `yaml:"text"`
	Sources []string `yaml:"sources"`
}

// Watchout is a known weakness of a framework. Its condition is written as answers (question id
// -> option ids): it is triggered when at least one answer listed in When was given (any of them),
// every question of WhenAll was answered with one of its listed options (all of them), and no
// answer listed in Unless was given; an empty When or WhenAll asks nothing. Unless names the
// answers that choose the trade-off the watchout describes ("a minimal core, we pick the pieces"),
// or that spare the user its cost (a team that knows the language): given one, the watchout is not
// triggered and is shown as a general caveat. A watchout with neither When nor WhenAll is a general caveat: shown, never triggered.
// Penalty (0..0.3) is taken off the framework's score when the watchout is triggered.
type Watchout struct {
	Text    string              `yaml:"text"`
	Sources []string            `yaml:"sources"`
	When    map[string][]string `yaml:"when"`
	WhenAll map[string][]string `yaml:"when_all"`
	Unless  map[string][]string `yaml:"unless"`
	Penalty float64             `yaml:"penalty"`
}

// Conditional reports whether the watchout has a condition (When or WhenAll), so it can be
// triggered; otherwise it is a general caveat.
func (w *Watchout) Conditional() bool { return len(w.When) > 0 || len(w.WhenAll) > 0 }

// Kind says how many options a question takes.
type Kind string

// The question kinds.
const (
	One     Kind = "one"
	Several Kind = "several"
)

// Question is one step of the checklist conversation.
type Question struct {
	ID      string   `yaml:"id"`
	Short   string   `yaml:"short"` // a word or two, for status lines and summaries
	Text    string   `yaml:"text"`
	Help    string   `yaml:"help"`
	Kind    Kind     `yaml:"kind"`
	Aliases []string `yaml:"aliases"` // other names for the question in "change <question> to ..."
	// Tradeoff is what the sources say the choice trades off, for a user who asks about it.
	Tradeoff string `yaml:"tradeoff"`
	// BareNumber is the unit a number typed alone is read in ("3" at the team question is three
	// people; "option 3" is the option); it must be one the options are measured in. Without it a
	// number alone is an option number.
	BareNumber Unit `yaml:"bare_number"`
	// Unlisted are answers people give that no option covers ("rust" for languages): they are
	// named as not covered instead of being misread.
	Unlisted []string `yaml:"unlisted"`
	Options  []Option `yaml:"options"`
}

// Option is one possible answer to a question.
type Option struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
	// Reason completes "because ..." when this answer moves a framework, e.g. "your team knows Python".
	Reason string `yaml:"reason"`
	// Synonyms match only when the user is answering this very question ("yes", "small").
	Synonyms []string `yaml:"synonyms"`
	// Cues are phrases clear enough to identify this answer anywhere, even inside a project
	// description ("b2b saas", "gdpr"); Patterns are the same as RE2 regular expressions.
	Cues     []string `yaml:"cues"`
	Patterns []string `yaml:"patterns"`
	// Weights moves the criteria weights when this answer is given (criterion id -> delta): what
	// the answer implies.
	Weights map[string]float64 `yaml:"weights"`
	// Prefers states a preference on a criterion directly (criterion id -> non-zero weight): its
	// sign decides that criterion's direction whatever the implied Weights say; see
	// Weights.ExplicitShade.
	Prefers map[string]float64 `yaml:"prefers"`
	// Exclusive options ("none") cannot be combined with others in a several-kind question.
	Exclusive bool `yaml:"exclusive"`
	// From places the option on the quantities it covers (unit -> where it starts): it covers
	// from there up to where the next option measured in that unit starts, so "3 devs" or "in 6
	// weeks" picks one option.
	From map[Unit]float64 `yaml:"from"`
	// Doubt marks the option that "not sure" means ("Not decided yet"); without one, doubt is
	// recorded as unsure.
	Doubt bool `yaml:"doubt"`
	// Means says what choosing the option means, for a user who asks.
	Means string `yaml:"means"`

	patterns []*regexp.Regexp
}

// Weights tunes the scoring.
type Weights struct {
	// Base is the weight of each criterion before any answer (criterion id -> weight).
	Base map[string]float64 `yaml:"base"`
	// ExplicitShade is how far the implied weights may move a criterion on which an answer states
	// a preference, as shares of that preference, so they shade its magnitude and never flip it.
	ExplicitShade Shade `yaml:"explicit_shade"`
	// LanguageMatch is added to the 0..1 fit of a framework in a language the team knows: the
	// switching cost before any answer.
	LanguageMatch float64 `yaml:"language_match"`
	// LanguageScaling moves LanguageMatch for each answer given (question id -> option id ->
	// delta): retraining costs more for bigger teams and longer builds, less when hiring.
	LanguageScaling map[string]map[string]float64 `yaml:"language_scaling"`
	// Favored is added once for each recommendation that applies and picks the framework, however
	// many of the answers it lists were given.
	Favored float64 `yaml:"favored"`
	// Recommendations are the seeds' own recommendations: the frameworks they pick for a situation.
	Recommendations []Recommendation `yaml:"recommendations"`
	// EmergingPenalty (above 0) is always taken off emerging frameworks: pilot before committing.
	EmergingPenalty float64 `yaml:"emerging_penalty"`
	// Reasons sets which effects on a framework are worth a reason.
	Reasons ReasonCut `yaml:"reasons"`
	// RadarAdopt is added to a framework the organisation's radar puts in adopt (0 when absent).
	RadarAdopt float64 `yaml:"radar_adopt"`
	// EmergingMaturity adds to EmergingPenalty for each answer given that needs maturity
	// (question id -> option id -> amount).
	EmergingMaturity map[string]map[string]float64 `yaml:"emerging_maturity"`
	// Team says how a team's answers merge into the one set a team decision ranks.
	Team TeamRules `yaml:"team"`
}

// TeamRules say how a team's answers merge: per question, a rule; Default for the questions
// Merge does not name (majority when unset).
type TeamRules struct {
	Default MergeRule            `yaml:"default"`
	Merge   map[string]MergeRule `yaml:"merge"` // question id -> rule
}

// MergeRule is how the answers of several people to one question become the team's. Answers of
// people who are unsure or skipped the question never count.
type MergeRule string

const (
	// MergeMajority takes what most people answered (for several-choice questions, the options
	// more than half of them gave); a tie leaves the question open, as a disagreement.
	MergeMajority MergeRule = "majority"
	// MergeUnion takes every option anyone gave (an exclusive one only when everybody gave it); for
	// the languages question, each language weighs by the share of people who know it.
	MergeUnion MergeRule = "union"
	// MergeHighest and MergeLowest take the last or the first option anyone gave, in the
	// question's option order (the largest scale, the earliest deadline); one-choice questions only.
	MergeHighest MergeRule = "highest"
	MergeLowest  MergeRule = "lowest"
)

// Rule is the merge rule of question qid.
func (t TeamRules) Rule(qid string) MergeRule {
	if r, ok := t.Merge[qid]; ok {
		return r
	}
	if t.Default == "" {
		return MergeMajority
	}
	return t.Default
}

// Shade bounds what implied weights do to a stated preference, each as a share (0..1) of the
// preference: With is the most they may add when they point the same way, Against the most they
// may take off when they point the other way.
type Shade struct {
	With    float64 `yaml:"with"`
	Against float64 `yaml:"against"`
}

// ReasonCut says which effects are reasons. MinEffect (0..0.2) is the least effect on a
// framework's 0..1 score a reason may have: smaller ones are side effects. HeavyShare (0..1) is the
// share of the total weight from which a criterion is one the user weighted heavily, so that a
// middle rating (3/5) on it is a reason against; on lighter criteria a 3/5 argues neither way.
// Both 0 (the default) show every effect.
type ReasonCut struct {
	MinEffect  float64 `yaml:"min_effect"`
	HeavyShare float64 `yaml:"heavy_share"`
}

// Recommendation is one recommendation the seeds make: the frameworks they pick for one situation.
// It applies when any answer listed in When was given (question id -> option ids); answers that
// describe the same situation belong in one recommendation, so its picks are credited once.
type Recommendation struct {
	ID string `yaml:"id"`
	// Reason is shown as a reason for each pick when the recommendation applies, e.g. "the sources
	// pick it for rapid prototyping".
	Reason  string              `yaml:"reason"`
	When    map[string][]string `yaml:"when"`
	Picks   []string            `yaml:"picks"`   // framework ids
	Sources []string            `yaml:"sources"` // the seeds that name the picks
}

// Checklist is the final pre-commitment checklist, the proof-of-concept plan and how sure a
// result may say it is.
type Checklist struct {
	// Confidence sets the thresholds of a result's confidence level.
	Confidence ConfidenceLevels `yaml:"confidence"`
	// SuitsRating (1..5) is the rating on an item's criterion from which the top pick suits an
	// answer that asks for that criterion: one raising its weight by at least AsksWeight (> 0).
	SuitsRating int         `yaml:"suits_rating"`
	AsksWeight  float64     `yaml:"asks_weight"`
	Items       []CheckItem `yaml:"items"`
	// POC steps, in order; a step is kept when its conditions hold.
	POC []PlanStep `yaml:"poc"`
}

// ConfidenceLevels are the thresholds of a result's confidence. Coverage is the share of the
// decision the answers cover (0..1); margin is the lead, in score points, over the next
// genuinely different choice. Confidence is high at HighCoverage with at least HighMargin,
// medium from MediumCoverage, low below it unless the lead is at least ClearMargin (when set):
// few answers that all point one way still make a clear pick. At low confidence the first Broad
// choices shown come from different style families.
type ConfidenceLevels struct {
	MediumCoverage float64 `yaml:"medium_coverage"`
	HighCoverage   float64 `yaml:"high_coverage"`
	HighMargin     int     `yaml:"high_margin"`
	ClearMargin    int     `yaml:"clear_margin"`
	Broad          int     `yaml:"broad"`
}

// CheckItem is one thing to settle before committing. It is settled when the user answered
// Question and the top pick agrees with the answer: for the languages question the pick is in a
// language the team knows; with a Criterion, the pick's rating on it suits the answer. When the
// pick disagrees, Conflict says so plainly and the item comes first among those to verify.
// Criterion, when set, also quotes the top pick's rating. Verify says what to check while the
// item is open; the first of VerifyWhen whose condition holds replaces it.
//
// Texts may use {said} (the answer's labels), {pick} (the top pick's name), {pick_languages},
// {rating} (the pick's rating on Criterion) and {criterion} (its label).
type CheckItem struct {
	ID         string    `yaml:"id"`
	Title      string    `yaml:"title"`
	Question   string    `yaml:"question"`
	Criterion  string    `yaml:"criterion"`
	Verify     string    `yaml:"verify"`
	VerifyWhen []Variant `yaml:"verify_when"`
	Conflict   string    `yaml:"conflict"`
}

// Variant is a text used when the answers meet its condition.
type Variant struct {
	When Condition `yaml:"when"`
	Text string    `yaml:"text"`
}

// PlanStep is one step of the proof-of-concept plan: Text, with "{first}" and "{second}" for the
// two frameworks compared, kept when the answers meet When (or When is empty) and do not meet
// Unless (or Unless is empty).
type PlanStep struct {
	Text   string    `yaml:"text"`
	When   Condition `yaml:"when"`
	Unless Condition `yaml:"unless"`
}

// Condition is a question id -> option ids map, met when every question listed was answered with
// one of its listed options (all of the questions, any of each question's options). An
// unanswered question does not meet it.
type Condition map[string][]string

// Answers maps a question id to the chosen option ids. A question that is absent, or present with
// no options, was not answered and counts as neutral.
type Answers map[string][]string
