package ranking

import (
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Model is a catalog compiled for ranking: criteria weights and framework ratings as vectors in
// criterion order, each option's implied weight changes and stated preferences, the seeds'
// recommendations and the frameworks they pick, the recommendation and watchout conditions as the
// options that trigger them, and the answers that move the language bonus and the emerging
// penalty. It is read-only once
// compiled, so one Model may rank for any number of goroutines.
type Model struct {
	cat        *catalog.Catalog
	baseWeight []float64         // per criterion, in catalog order
	languages  *catalog.Question // the question whose option ids are framework languages
	questions  []question        // in catalog order
	// frameworks are those ranked, in catalog order; held are those the organisation's radar
	// puts on hold, never ranked but compiled all the same, to explain and compare them.
	frameworks []framework
	held       []framework
	// adopts is set when the radar puts a ranked framework in adopt: the best score possible
	// then includes the adopt bonus.
	adopts bool
	// recommendations are the seeds' recommendations, in catalog order.
	recommendations []recommendation
	// languageScaling and emergingMaturity are what each answer adds to the language bonus and
	// to the emerging penalty.
	languageScaling  map[*catalog.Option]float64
	emergingMaturity map[*catalog.Option]float64
	// optionIndex numbers every option of every question: conditions name options by it, and a
	// scorer keeps the options given as a slice of that length.
	optionIndex map[*catalog.Option]int
	checklist   []checkItem
	plan        []planStep
	// influence is how much each question's answers move the scores, for confidence.
	influence []float64 // per question
	// groups gives each framework the catalog index of the first of its siblings.
	groups []int // per framework
}

// question is a catalog question with its options compiled.
type question struct {
	*catalog.Question
	options []option // in catalog order
}

// option is a catalog option with the criteria it moves: by implication (terms) and by stating a
// preference (prefers).
type option struct {
	*catalog.Option
	index   int          // in Model.optionIndex
	terms   []weightTerm // in criterion order
	prefers []weightTerm // in criterion order
}

// weightTerm is one criterion an option moves, by index, and by how much.
type weightTerm struct {
	criterion int
	delta     float64
}

// framework is a catalog framework with its ratings as vectors and its watchouts compiled.
type framework struct {
	*catalog.Framework
	ratings        []int     // per criterion
	scaled         []float64 // ratings scaled to 0..1: 1/5 is 0, 3/5 is 0.5, 5/5 is 1
	languageLabels []string  // labels of its languages, in the framework's order
	recommendedBy  []int     // indexes of the recommendations that pick it, in catalog order
	watchouts      []watchout
	ratingSources  [][]string      // per criterion, the seed ids its rating rests on (ratingSources)
	stance         *catalog.Stance // the organisation's radar on it; nil when it says nothing
}

// recommendation is a seed recommendation with its condition compiled.
type recommendation struct {
	*catalog.Recommendation
	when condition
}

// watchout is a catalog watchout with its condition compiled.
type watchout struct {
	*catalog.Watchout
	when condition // never holds for a general caveat
}

// checkItem is a checklist item with its question, criterion and verify variants resolved.
type checkItem struct {
	*catalog.CheckItem
	askedBy    *catalog.Question // nil when no answer settles it
	criterion  int               // index, or -1 when the item quotes no rating
	verifyWhen []variant         // VerifyWhen with its conditions compiled
}

// variant is a text used when the answers meet its condition.
type variant struct {
	text string
	when condition
}

// planStep is a proof-of-concept step with its conditions compiled: kept when the answers meet
// when (or it is empty) and do not meet unless.
type planStep struct {
	text         string
	when, unless condition
}

// condition is when a recommendation, a watchout, a verify variant or a plan step applies: every
// group has one of its answers given and no answer of unless is. With no group it never holds.
type condition struct {
	groups [][]int // option indexes (see optionIndex)
	unless []int
}

// Compile builds the ranking model of a valid catalog (one returned by catalog.Load, with the
// Radar package radar read against it, if any). The model keeps cat and reads it when ranking;
// cat must not change afterwards. A framework the radar puts on hold is compiled but never
// ranked.
func Compile(cat *catalog.Catalog) *Model {
	m := &Model{
		cat:              cat,
		languageScaling:  compileAmounts(cat, cat.Weights.LanguageScaling),
		emergingMaturity: compileAmounts(cat, cat.Weights.EmergingMaturity),
	}
	m.languages, _ = cat.Question(catalog.LanguagesQuestion)
	for _, cr := range cat.Criteria {
		m.baseWeight = append(m.baseWeight, cat.Weights.Base[cr.ID])
	}
	m.optionIndex = map[*catalog.Option]int{}
	for qi := range cat.Questions {
		m.questions = append(m.questions, compileQuestion(cat, &cat.Questions[qi], m.optionIndex))
	}
	for ri := range cat.Weights.Recommendations {
		r := &cat.Weights.Recommendations[ri]
		m.recommendations = append(m.recommendations, recommendation{Recommendation: r, when: m.compileCondition(r.When, nil, nil)})
	}
	for fi := range cat.Frameworks {
		f := m.compileFramework(&cat.Frameworks[fi])
		if f.onHold() {
			m.held = append(m.held, f)
		} else {
			m.frameworks = append(m.frameworks, f)
			m.adopts = m.adopts || f.adopted()
		}
	}
	for i := range cat.Checklist.Items {
		it := &cat.Checklist.Items[i]
		ci := checkItem{CheckItem: it}
		ci.askedBy, _ = cat.Question(it.Question)
		ci.criterion = slices.IndexFunc(cat.Criteria, func(cr catalog.Criterion) bool { return cr.ID == it.Criterion }) // -1: none
		for _, v := range it.VerifyWhen {
			ci.verifyWhen = append(ci.verifyWhen, variant{text: v.Text, when: m.compileCondition(nil, v.When, nil)})
		}
		m.checklist = append(m.checklist, ci)
	}
	for _, st := range cat.Checklist.POC {
		m.plan = append(m.plan, planStep{text: st.Text, when: m.compileCondition(nil, st.When, nil), unless: m.compileCondition(nil, st.Unless, nil)})
	}
	m.compileConfidence()
	return m
}

// compileQuestion compiles q's options, numbering each in index.
func compileQuestion(cat *catalog.Catalog, q *catalog.Question, index map[*catalog.Option]int) question {
	cq := question{Question: q}
	for oi := range q.Options {
		o := &q.Options[oi]
		co := option{Option: o, index: len(index)}
		index[o] = co.index
		for i, cr := range cat.Criteria {
			if d := o.Weights[cr.ID]; d != 0 {
				co.terms = append(co.terms, weightTerm{criterion: i, delta: d})
			}
			if d := o.Prefers[cr.ID]; d != 0 {
				co.prefers = append(co.prefers, weightTerm{criterion: i, delta: d})
			}
		}
		cq.options = append(cq.options, co)
	}
	return cq
}

func (m *Model) compileFramework(f *catalog.Framework) framework {
	cf := framework{Framework: f}
	for _, cr := range m.cat.Criteria {
		r := f.Ratings[cr.ID]
		cf.ratings = append(cf.ratings, r)
		cf.scaled = append(cf.scaled, float64(r-catalog.MinRating)/float64(catalog.MaxRating-catalog.MinRating))
	}
	for _, l := range f.Languages {
		if o, ok := m.languages.Option(l); ok {
			cf.languageLabels = append(cf.languageLabels, o.Label)
		}
	}
	for ri := range m.recommendations {
		if slices.Contains(m.recommendations[ri].Picks, f.ID) {
			cf.recommendedBy = append(cf.recommendedBy, ri)
		}
	}
	for wi := range f.Watchouts {
		w := &f.Watchouts[wi]
		cf.watchouts = append(cf.watchouts, watchout{Watchout: w, when: m.compileCondition(w.When, w.WhenAll, w.Unless)})
	}
	cf.ratingSources = ratingSources(m.cat, f)
	if st, ok := m.cat.Radar[f.ID]; ok {
		cf.stance = &st
	}
	return cf
}

// ratingSources reads, per criterion, the seeds a framework's rating rests on from its
// rating_notes, in catalog order. A note starts with the criteria it explains ("dev_speed 4,
// ease 4: ...") and names the seeds by id; a note that starts with no criterion is about the
// ratings in general ("Only fastscale mentions Hono"). A rating with no note of its own rests on
// the general notes' seeds, or, without those, on the seeds that describe the framework. An
// inferred rating whose note names no seed rests on none.
func ratingSources(cat *catalog.Catalog, f *catalog.Framework) [][]string {
	named := make([]map[string]bool, len(cat.Criteria)) // nil: no note of its own
	general := map[string]bool{}
	add := func(set map[string]bool, text string) {
		for _, w := range words(text) {
			set[w] = true
		}
	}
	for _, n := range f.RatingNotes {
		head, _, _ := strings.Cut(n, ":")
		about := false
		for ci, cr := range cat.Criteria {
			if slices.Contains(words(head), cr.ID) {
				if named[ci] == nil {
					named[ci] = map[string]bool{}
				}
				add(named[ci], n)
				about = true
			}
		}
		if !about {
			add(general, n)
		}
	}
	if len(general) == 0 {
		for _, id := range f.Sources {
			general[strings.ToLower(id)] = true
		}
	}
	out := make([][]string, len(cat.Criteria))
	for ci := range out {
		in := named[ci]
		if in == nil {
			in = general
		}
		for _, s := range cat.Seeds {
			if in[strings.ToLower(s.ID)] {
				out[ci] = append(out[ci], s.ID)
			}
		}
	}
	return out
}

// words splits text into lower-case words of letters, digits and underscores.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	})
}

// compileCondition resolves the question id -> option ids maps of a condition to the options
// they name: anyOf is one group (any one of its answers), each question of allOf is a group of
// its own (every question answered so), and unless lifts the condition.
func (m *Model) compileCondition(anyOf, allOf, unless map[string][]string) condition {
	var c condition
	if len(anyOf) > 0 {
		var g []int
		for _, qid := range slices.Sorted(maps.Keys(anyOf)) {
			g = append(g, m.options(qid, anyOf[qid])...)
		}
		c.groups = append(c.groups, g)
	}
	for _, qid := range slices.Sorted(maps.Keys(allOf)) {
		c.groups = append(c.groups, m.options(qid, allOf[qid]))
	}
	for _, qid := range slices.Sorted(maps.Keys(unless)) {
		c.unless = append(c.unless, m.options(qid, unless[qid])...)
	}
	return c
}

// compileAmounts resolves a question id -> option id -> amount table to the options it names.
func compileAmounts(cat *catalog.Catalog, table map[string]map[string]float64) map[*catalog.Option]float64 {
	amounts := map[*catalog.Option]float64{}
	for qid, opts := range table {
		q, _ := cat.Question(qid)
		for id, v := range opts {
			if o, ok := q.Option(id); ok {
				amounts[o] = v
			}
		}
	}
	return amounts
}

// options resolves option ids of one question to their indexes (see optionIndex).
func (m *Model) options(qid string, ids []string) []int {
	var opts []int
	if q, ok := m.cat.Question(qid); ok {
		for _, id := range ids {
			if o, ok := q.Option(id); ok {
				opts = append(opts, m.optionIndex[o])
			}
		}
	}
	return opts
}
