package ranking

import (
	"slices"
	"strconv"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
)

// checklist fills the final checklist for the top pick. An answered item is settled only when
// the pick agrees with the answer; when it disagrees the item says so in the catalog's conflict
// text and comes first, as the first thing to verify. Unanswered items say what to verify, in
// the first variant whose condition the answers meet. Items with a criterion quote the pick's
// rating on it.
func (s *scorer) checklist(top *framework) []CheckItem {
	var conflicts, rest []CheckItem
	for _, it := range s.m.checklist {
		ci := CheckItem{ID: it.ID, Title: it.Title}
		var said []string
		for _, a := range s.given {
			if a.q.Question == it.askedBy {
				said = append(said, a.o.Label)
			}
		}
		slots := []string{"{said}", strings.Join(said, ", "), "{pick}", top.Name, "{pick_languages}", strings.Join(top.languageLabels, ", ")}
		quote := ""
		if it.criterion >= 0 {
			rating, label := strconv.Itoa(top.ratings[it.criterion]), s.m.cat.Criteria[it.criterion].Label
			slots = append(slots, "{rating}", rating, "{criterion}", label)
			quote = " " + top.Name + " rates " + rating + "/5 on " + label + "."
		}
		fill := func(text string) string { return fillSlots(text, slots) }
		switch {
		case len(said) == 0:
			ci.Text = fill(s.verifyText(it)) + quote
		case s.agrees(it, top):
			ci.Settled, ci.Text = true, "You said: "+strings.Join(said, ", ")+"."+quote
		default:
			ci.Conflict, ci.Text = true, fill(it.Conflict)
			conflicts = append(conflicts, ci)
			continue
		}
		rest = append(rest, ci)
	}
	return append(conflicts, rest...)
}

// agrees reports whether the top pick agrees with the answers to the item's question: for the
// languages question, it is in a language the team knows (or the team is open to any); for an
// item with a criterion, every answer that asks for the criterion (raises its weight, implied or
// stated, by at least the catalog's asks_weight) finds the pick rated at least the catalog's suits_rating on it.
func (s *scorer) agrees(it checkItem, top *framework) bool {
	if it.askedBy != nil && it.askedBy.ID == catalog.LanguagesQuestion && len(s.knows) > 0 && !s.knowsLanguageOf(top) {
		return false
	}
	if it.criterion < 0 {
		return true
	}
	id, cl := s.m.cat.Criteria[it.criterion].ID, s.m.cat.Checklist
	return !slices.ContainsFunc(s.given, func(a answer) bool {
		return a.q.Question == it.askedBy && a.o.Weights[id]+a.o.Prefers[id] >= cl.AsksWeight && top.ratings[it.criterion] < cl.SuitsRating
	})
}

// verifyText is the item's verify text for these answers: its first variant whose condition they
// meet, or its default.
func (s *scorer) verifyText(it checkItem) string {
	for _, v := range it.verifyWhen {
		if s.applies(v.when) {
			return v.text
		}
	}
	return it.Verify
}

// fillSlots replaces each placeholder of slots (placeholder, value pairs) in text. Most texts have
// none, so this is cheaper than building a strings.Replacer for every item of every ranking.
func fillSlots(text string, slots []string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	for i := 0; i+1 < len(slots); i += 2 {
		text = strings.ReplaceAll(text, slots[i], slots[i+1])
	}
	return text
}
