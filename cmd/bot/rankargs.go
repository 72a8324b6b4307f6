package main

import (
	"fmt"
	"strings"

	"github.com/stackpick/stackpick/internal/catalog"
)

// parseAnswers reads bot rank's question=option[,option...] arguments into checked answers. A
// question is named by its id, its short name or one of its aliases ("scale", "traffic"), an
// option by its id or its label ("small", "A small team (2-10)"), all case-insensitively; a
// label may itself contain commas. Every problem is reported at once, one a line under a
// "rank:" headline: unknown names (with the valid ones), a question given twice, and what
// catalog.CheckAnswers finds in the answers whose names are all known.
func parseAnswers(cat *catalog.Catalog, args []string) (catalog.Answers, error) {
	answers := catalog.Answers{}
	named := map[string]string{} // question id -> how the user named it first
	var problems []error
	for _, a := range args {
		ref, value, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(ref) == "" || strings.TrimSpace(value) == "" {
			problems = append(problems, fmt.Errorf("%q is not question=option[,option...]", a))
			continue
		}
		q, err := findQuestion(cat, ref)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if first, dup := named[q.ID]; dup {
			problems = append(problems, fmt.Errorf("%s is given twice (as %q and %q)", q.ID, first, ref))
			continue
		}
		named[q.ID] = ref
		ids, unknown := findOptions(q, value)
		if len(unknown) == 0 {
			answers[q.ID] = ids
			continue
		}
		problems = append(problems, unknown...)
		// CheckAnswers sees only fully known answers, so say here what it would have said too.
		if n := len(ids) + len(unknown); q.Kind == catalog.One && n > 1 {
			problems = append(problems, fmt.Errorf("%s: takes one option, got %d", q.ID, n))
		}
	}
	if err := cat.CheckAnswers(answers); err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		return nil, listed("rank", flatten(problems))
	}
	return answers, nil
}

// findQuestion resolves a question's id, short name or alias. An id wins over the names; a name
// that fits two questions is refused rather than guessed.
func findQuestion(cat *catalog.Catalog, ref string) (*catalog.Question, error) {
	key := fold(ref)
	var found []*catalog.Question
	for i := range cat.Questions {
		q := &cat.Questions[i]
		if fold(q.ID) == key {
			return q, nil
		}
		if fold(q.Short) == key || containsFold(q.Aliases, key) {
			found = append(found, q)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("unknown question %q (questions: %s)", ref, questionNames(cat))
	}
	ids := make([]string, len(found))
	for i, q := range found {
		ids[i] = q.ID
	}
	return nil, fmt.Errorf("%q could be any of the questions %s; use the id", ref, strings.Join(ids, ", "))
}

// findOptions resolves a comma-separated list of option ids or labels into ids, with one error
// per part that names no option. Labels may contain commas ("An AI, ML or data product"), so at
// each position the longest run of comma-separated parts that names an option is taken.
func findOptions(q *catalog.Question, value string) (ids []string, unknown []error) {
	parts := strings.Split(value, ",")
	for i := 0; i < len(parts); {
		j := len(parts)
		for ; j > i; j-- {
			if o := findOption(q, strings.Join(parts[i:j], ",")); o != nil {
				ids = append(ids, o.ID)
				break
			}
		}
		if j > i {
			i = j
			continue
		}
		unknown = append(unknown, fmt.Errorf("%s: unknown option %q (options: %s)", q.ID, strings.TrimSpace(parts[i]), optionNames(q)))
		i++
	}
	return ids, unknown
}

// findOption returns the option whose id or label is ref, or nil. An id wins over a label.
func findOption(q *catalog.Question, ref string) *catalog.Option {
	key := fold(ref)
	var byLabel *catalog.Option
	for i := range q.Options {
		o := &q.Options[i]
		if fold(o.ID) == key {
			return o
		}
		if byLabel == nil && fold(o.Label) == key {
			byLabel = o
		}
	}
	return byLabel
}

// questionNames lists the questions by the names people see, with the id where it differs:
// "project, team size (team), traffic (scale)".
func questionNames(cat *catalog.Catalog) string {
	names := make([]string, len(cat.Questions))
	for i, q := range cat.Questions {
		names[i] = q.Short
		if fold(q.Short) != fold(q.ID) {
			names[i] += " (" + q.ID + ")"
		}
	}
	return strings.Join(names, ", ")
}

// optionNames lists a question's options as id "label".
func optionNames(q *catalog.Question) string {
	names := make([]string, len(q.Options))
	for i, o := range q.Options {
		names[i] = fmt.Sprintf("%s %q", o.ID, o.Label)
	}
	return strings.Join(names, ", ")
}

// fold makes names comparable: case and runs of spaces do not matter.
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func containsFold(names []string, key string) bool {
	for _, n := range names {
		if fold(n) == key {
			return true
		}
	}
	return false
}

// flatten lists the messages of problems, and of the problems joined inside them.
func flatten(problems []error) []string {
	var msgs []string
	for _, p := range problems {
		if j, ok := p.(interface{ Unwrap() []error }); ok {
			msgs = append(msgs, flatten(j.Unwrap())...)
			continue
		}
		msgs = append(msgs, p.Error())
	}
	return msgs
}
