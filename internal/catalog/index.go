package catalog

import (
	"strconv"
	"strings"
)

// Limits that let the ranking run on fixed-size sets, with no allocation on its hot path.
const (
	MaxCriteria   = 32
	MaxFrameworks = 64
	MaxOptionKeys = 256 // options across all questions
	MaxWatchouts  = 16  // per framework
)

// OptionSet is a set of options of any questions, by Option.Key.
type OptionSet [MaxOptionKeys / 64]uint64

// Add puts the option with the given key in the set.
func (s *OptionSet) Add(key int) { s[key>>6] |= 1 << (key & 63) }

// Intersects reports whether the two sets share an option.
func (s *OptionSet) Intersects(o *OptionSet) bool {
	for i := range s {
		if s[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

// index precomputes what the ranking reads on its hot path: dense weight vectors, option keys
// and sets, framework language masks and centred ratings. It runs once the catalog is valid.
func (c *Catalog) index() {
	langQ, _ := c.Question(LanguagesQuestion)
	c.baseWeights = make([]float64, len(c.Criteria))
	for i, cr := range c.Criteria {
		c.baseWeights[i] = c.Weights.Base[cr.ID]
	}
	key := 0
	for qi := range c.Questions {
		for oi := range c.Questions[qi].Options {
			o := &c.Questions[qi].Options[oi]
			o.key = key
			key++
			o.terms = o.terms[:0]
			for i, cr := range c.Criteria {
				if d := o.Weights[cr.ID]; d != 0 {
					o.terms = append(o.terms, WeightTerm{Criterion: i, Delta: d})
				}
			}
			o.favored = 0
			for _, f := range o.Favors {
				o.favored |= 1 << c.frameworkIndex[f]
			}
			o.favoredReason = "the sources rank it among the top picks when " + o.Reason
			o.youSaid = "You said: " + o.Label + "."
		}
	}
	c.emergingWhen = c.optionSet(c.Weights.EmergingWhen)
	for i := range c.Checklist.Items {
		it := &c.Checklist.Items[i]
		it.askedBy, _ = c.Question(it.Question)
		it.criterion = -1
		if ci, ok := c.criterionIndex[it.Criterion]; ok {
			it.criterion = ci
		}
	}
	for fi := range c.Frameworks {
		f := &c.Frameworks[fi]
		f.index = fi
		f.centred = make([]float64, len(c.Criteria))
		for i, r := range f.ratings {
			f.centred[i] = float64(r-MinRating)/float64(MaxRating-MinRating) - 0.5
		}
		f.langs, f.languageLabels, f.languageOptions = 0, nil, nil
		for _, l := range f.Languages {
			for oi := range langQ.Options {
				if langQ.Options[oi].ID == l {
					f.langs |= 1 << oi
					f.languageLabels = append(f.languageLabels, langQ.Options[oi].Label)
					f.languageOptions = append(f.languageOptions, oi)
				}
			}
		}
		for wi := range f.Watchouts {
			f.Watchouts[wi].when = c.optionSet(f.Watchouts[wi].When)
		}
		f.lacksReason = "your team doesn't know " + orList(f.languageLabels) + " yet: budget for training"
		f.rates = make([]string, len(c.Criteria))
		for i, cr := range c.Criteria {
			f.rates[i] = " " + f.Name + " rates " + strconv.Itoa(f.ratings[i]) + "/5 on " + cr.Label + "."
		}
	}
}

// orList joins names as "A", "A or B", "A, B or C".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// CriterionIndex is the index of the item's criterion, or -1 when it has none.
func (it *CheckItem) CriterionIndex() int { return it.criterion }

// AskedBy is the question that settles the item, or nil.
func (it *CheckItem) AskedBy() *Question { return it.askedBy }

// YouSaid is "You said: <label>.", for the final checklist.
func (o *Option) YouSaid() string { return o.youSaid }

// FavoredReason is the reason given for a framework this option favours.
func (o *Option) FavoredReason() string { return o.favoredReason }

// LacksReason is the reason given against the framework when the team knows none of its
// languages.
func (f *Framework) LacksReason() string { return f.lacksReason }

// Rates is " <name> rates <n>/5 on <criterion>." for the criterion at index i, for checklists.
func (f *Framework) Rates(i int) string { return f.rates[i] }

// optionSet turns a question id -> option ids map into a set.
func (c *Catalog) optionSet(m map[string][]string) OptionSet {
	var s OptionSet
	for qid, opts := range m {
		q, _ := c.Question(qid)
		for _, id := range opts {
			if o, ok := q.Option(id); ok {
				s.Add(o.key)
			}
		}
	}
	return s
}

// BaseWeight is the base weight of the criterion at index i.
func (c *Catalog) BaseWeight(i int) float64 { return c.baseWeights[i] }

// EmergingPenalised reports whether the answers in given call for the emerging penalty.
func (c *Catalog) EmergingPenalised(given *OptionSet) bool { return c.emergingWhen.Intersects(given) }

// Key identifies the option across all questions, from 0, for OptionSet.
func (o *Option) Key() int { return o.key }

// WeightTerm is one criterion an option moves, by index, and by how much.
type WeightTerm struct {
	Criterion int
	Delta     float64
}

// Terms lists the criteria the option moves, in criterion order; shared: do not modify.
func (o *Option) Terms() []WeightTerm { return o.terms }

// HasWeights reports whether the option moves any criterion.
func (o *Option) HasWeights() bool { return len(o.terms) > 0 }

// Favoring reports whether the option names the framework at index fi in Favors.
func (o *Option) Favoring(fi int) bool { return o.favored&(1<<fi) != 0 }

// FavorsAny reports whether the option favours any framework.
func (o *Option) FavorsAny() bool { return o.favored != 0 }

// Index is the framework's position in the catalog.
func (f *Framework) Index() int { return f.index }

// Centred is the framework's rating on criterion i scaled to -0.5..0.5.
func (f *Framework) Centred(i int) float64 { return f.centred[i] }

// LanguageMask has bit i set for option i of the languages question the framework uses.
func (f *Framework) LanguageMask() uint64 { return f.langs }

// LanguageOptions are the positions, in the languages question, of the framework's languages, in
// the framework's order; shared: do not modify.
func (f *Framework) LanguageOptions() []int { return f.languageOptions }

// LanguageLabels are the labels of the framework's languages, shared: do not modify.
func (f *Framework) LanguageLabels() []string { return f.languageLabels }

// AppliesTo reports whether the watchout's When names one of the given answers.
func (w *Watchout) AppliesTo(given *OptionSet) bool { return w.when.Intersects(given) }
