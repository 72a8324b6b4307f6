package ranking

import "slices"

// plan is the proof-of-concept plan: the catalog's steps whose conditions the answers meet, with
// "{first}" and "{second}" replaced by the top pick and its strongest genuinely different
// alternative (the top pick twice when there is none).
func (s *scorer) plan(res Result) []string {
	first := res.Shortlist[0]
	second := first
	for _, i := range res.Choices(len(res.Shortlist)) {
		if e := res.Shortlist[i]; e.ID != first.ID && s.m.different(first, e) {
			second = e
			break
		}
	}
	slots := []string{"{first}", first.Name, "{second}", second.Name}
	steps := []string{}
	for _, st := range s.m.plan {
		// A condition with no group never applies: an empty when keeps the step, an empty
		// unless lifts nothing.
		if (len(st.when.groups) == 0 || s.applies(st.when)) && !s.applies(st.unless) {
			steps = append(steps, fillSlots(st.text, slots))
		}
	}
	return steps
}

// different reports whether two entries are genuinely different choices: not siblings, and
// neither runs on the other.
func (m *Model) different(a, b Entry) bool {
	if a.SiblingOf == b.ID || b.SiblingOf == a.ID || (a.SiblingOf != "" && a.SiblingOf == b.SiblingOf) {
		return false
	}
	return !slices.Contains(m.runsOn(a.ID), b.ID) && !slices.Contains(m.runsOn(b.ID), a.ID)
}

// runsOn is what the framework with the given id runs on, from the model's own frameworks.
func (m *Model) runsOn(id string) []string {
	if i := slices.IndexFunc(m.frameworks, func(f framework) bool { return f.ID == id }); i >= 0 {
		return m.frameworks[i].RunsOn
	}
	return nil
}
