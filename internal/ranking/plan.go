package ranking

import "strings"

// plan is the proof-of-concept plan: the catalog's steps with "{first}" and "{second}" replaced by
// the names of the top two frameworks (the top one twice when there is only one).
func (m *Model) plan(shortlist []Entry) []string {
	first, second := shortlist[0].Name, shortlist[0].Name
	if len(shortlist) > 1 {
		second = shortlist[1].Name
	}
	steps := make([]string, len(m.cat.Checklist.POC))
	for i, step := range m.cat.Checklist.POC {
		steps[i] = strings.ReplaceAll(strings.ReplaceAll(step, "{first}", first), "{second}", second)
	}
	return steps
}
