package catalog

import "regexp"

// Question returns the question with the given id.
func (c *Catalog) Question(id string) (*Question, bool) {
	i, ok := c.questionIndex[id]
	if !ok {
		return nil, false
	}
	return &c.Questions[i], true
}

// Index returns the position of question id in the checklist, or -1.
func (c *Catalog) Index(id string) int {
	if i, ok := c.questionIndex[id]; ok {
		return i
	}
	return -1
}

// Framework returns the framework with the given id.
func (c *Catalog) Framework(id string) (*Framework, bool) {
	i, ok := c.frameworkIndex[id]
	if !ok {
		return nil, false
	}
	return &c.Frameworks[i], true
}

// Option returns the option with the given id.
func (q *Question) Option(id string) (*Option, bool) {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return &q.Options[i], true
		}
	}
	return nil, false
}

// Labels returns the labels of the given option ids, skipping unknown ones.
func (q *Question) Labels(ids []string) []string {
	labels := make([]string, 0, len(ids))
	for _, id := range ids {
		if o, ok := q.Option(id); ok {
			labels = append(labels, o.Label)
		}
	}
	return labels
}

// CompiledPatterns returns the option's Patterns, compiled when the catalog was loaded.
func (o *Option) CompiledPatterns() []*regexp.Regexp { return o.patterns }
