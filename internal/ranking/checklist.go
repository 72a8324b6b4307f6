package ranking

import (
	"strconv"
	"strings"
)

// checklist fills the final checklist: items the answers settle say what the user said, and
// items with a criterion quote the top pick's rating on it.
func (s *scorer) checklist(top *framework) []CheckItem {
	items := make([]CheckItem, len(s.m.checklist))
	for i, it := range s.m.checklist {
		ci := CheckItem{ID: it.ID, Title: it.Title, Text: it.Verify}
		var said []string
		for _, a := range s.given {
			if a.q.Question == it.askedBy {
				said = append(said, a.o.Label)
			}
		}
		if len(said) > 0 {
			ci.Settled, ci.Text = true, "You said: "+strings.Join(said, ", ")+"."
		}
		if it.criterion >= 0 {
			ci.Text += " " + top.Name + " rates " + strconv.Itoa(top.ratings[it.criterion]) + "/5 on " + s.m.cat.Criteria[it.criterion].Label + "."
		}
		items[i] = ci
	}
	return items
}
