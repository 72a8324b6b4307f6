package ranking

import (
	"slices"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// The organisation's tech radar (catalog.Catalog.Radar) weighs on a framework by its ring: on
// hold, the framework is not ranked at all (Model.frameworks leaves it out, so no shortlist,
// choice, sibling, plan, what-if or firmness can bring it back; Result.NotConsidered says why);
// in adopt, it gains Weights.RadarAdopt and the reason "your organisation has adopted …"; in
// trial or assess, its ring is shown and weighs nothing. Every entry carries its stance.

// Held is a framework the organisation's radar puts on hold: it is not ranked, whatever the
// answers.
type Held struct {
	ID, Name  string
	Languages []string
	Stance    catalog.Stance
	// Reason reads "your organisation's radar puts Laravel on hold (2025-03-01): <what the radar
	// says>".
	Reason string
}

func (f *framework) onHold() bool { return f.stance != nil && f.stance.Ring == catalog.Hold }

func (f *framework) adopted() bool { return f.stance != nil && f.stance.Ring == catalog.Adopt }

// adoptBonus is what the radar adds to the framework's score.
func (s *scorer) adoptBonus(f *framework) float64 {
	if f.adopted() {
		return s.m.cat.Weights.RadarAdopt
	}
	return 0
}

// adoptedReason is the reason a framework in adopt gains.
func adoptedReason(name string) string { return "your organisation has adopted " + name }

// notConsidered lists the frameworks on hold, in catalog order; nil when there are none.
func (m *Model) notConsidered() []Held {
	var out []Held
	for _, f := range m.held {
		out = append(out, Held{ID: f.ID, Name: f.Name, Languages: slices.Clone(f.languageLabels), Stance: *f.stance, Reason: heldReason(f.Name, *f.stance)})
	}
	return out
}

// heldReason reads "your organisation's radar puts Laravel on hold (2025-03-01): …".
func heldReason(name string, st catalog.Stance) string {
	return "your organisation's radar puts " + name + " on hold (" + st.Date.Format(time.DateOnly) + ")" + said(st)
}

// said is ": " and what the radar says of a framework, or nothing when it says nothing.
func said(st catalog.Stance) string {
	if st.Description == "" {
		return ""
	}
	return ": " + strings.TrimSuffix(st.Description, ".")
}

// RadarNote is the organisation's radar on the entry in one sentence, for every front end to show
// with it: "Your organisation's radar: trial since 2025-06-30: For the JVM teams." It is empty
// when the radar says nothing of it.
func (e Entry) RadarNote() string {
	if e.Stance == nil {
		return ""
	}
	return "Your organisation's radar: " + e.RadarRing() + said(*e.Stance) + "."
}

// RadarRing is the entry's ring and since when, for one-line lists: "trial since 2025-06-30";
// empty when the radar says nothing of it.
func (e Entry) RadarRing() string {
	if e.Stance == nil {
		return ""
	}
	return string(e.Stance.Ring) + " since " + e.Stance.Date.Format(time.DateOnly)
}

// stanceOf is a copy of the framework's stance for an entry, so results share no memory.
func stanceOf(f *framework) *catalog.Stance {
	if f.stance == nil {
		return nil
	}
	st := *f.stance
	return &st
}

// heldIndex is the index in m.held of the framework with the given id, or -1.
func (m *Model) heldIndex(id string) int {
	return slices.IndexFunc(m.held, func(f framework) bool { return f.ID == id })
}
