package catalog

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// CheckAnswers reports every problem with a set of answers at once: unknown questions or options,
// several options for a one-choice question, and an exclusive option combined with others.
func (c *Catalog) CheckAnswers(a Answers) error {
	var problems []error
	for _, qid := range slices.Sorted(maps.Keys(a)) {
		opts := a[qid]
		q, ok := c.Question(qid)
		if !ok {
			problems = append(problems, fmt.Errorf("unknown question %q (questions: %s)", qid, c.questionIDs()))
			continue
		}
		for _, o := range opts {
			if _, ok := q.Option(o); !ok {
				problems = append(problems, fmt.Errorf("%s: unknown option %q (options: %s)", qid, o, q.optionIDs()))
			}
		}
		if q.Kind == One && len(opts) > 1 {
			problems = append(problems, fmt.Errorf("%s: takes one option, got %d", qid, len(opts)))
		}
		for _, o := range opts {
			if opt, ok := q.Option(o); ok && opt.Exclusive && len(opts) > 1 {
				problems = append(problems, fmt.Errorf("%s: %q cannot be combined with other options", qid, o))
			}
		}
	}
	return errors.Join(problems...)
}

func (c *Catalog) questionIDs() string {
	ids := make([]string, len(c.Questions))
	for i, q := range c.Questions {
		ids[i] = q.ID
	}
	return strings.Join(ids, ", ")
}

func (q *Question) optionIDs() string {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return strings.Join(ids, ", ")
}

// Open returns the short names of the questions a set of answers leaves open, in checklist
// order: unanswered (skipped and "not sure" included), or answered with the option that "not
// sure" means (Option.Doubt).
func (c *Catalog) Open(a Answers) []string {
	var open []string
	for i := range c.Questions {
		q := &c.Questions[i]
		doubt := slices.ContainsFunc(a[q.ID], func(id string) bool {
			o, ok := q.Option(id)
			return ok && o.Doubt
		})
		if len(a[q.ID]) == 0 || doubt {
			open = append(open, q.Short)
		}
	}
	return open
}

// Clone returns a deep copy of a, nil when a is. The copies of the option ids share one array,
// each capped at its own end so that appending to one cannot write into the next: a copy is the
// map and one array, however many questions are answered.
func (a Answers) Clone() Answers {
	if a == nil {
		return nil
	}
	n := 0
	for _, ids := range a {
		n += len(ids)
	}
	all := make([]string, 0, n)
	out := make(Answers, len(a))
	for qid, ids := range a {
		if ids == nil {
			out[qid] = nil
			continue
		}
		start := len(all)
		all = append(all, ids...)
		out[qid] = all[start:len(all):len(all)]
	}
	return out
}

// With returns a copy of a with change made: each question change gives options is answered with
// them, each it gives none is cleared. The copy shares no slice with either.
func (a Answers) With(change Answers) Answers {
	out := a.Clone()
	if out == nil {
		out = Answers{}
	}
	for qid, ids := range change {
		if len(ids) == 0 {
			delete(out, qid)
		} else {
			out[qid] = slices.Clone(ids)
		}
	}
	return out
}

// UnmarshalJSON reads answers as encoding/json reads a map of string slices, without its
// reflection: encoding/json makes every entry and grows every slice one value at a time, which
// was most of the allocations of loading a stored session. The ids share one array (see Clone),
// each id the text of data where it needs no unescaping.
func (a *Answers) UnmarshalJSON(data []byte) error {
	v := gjson.ParseBytes(data)
	if v.Type == gjson.Null {
		*a = nil
		return nil
	}
	questions, n, ok := 0, 0, v.IsObject()
	v.ForEach(func(_, ids gjson.Result) bool {
		questions++
		ok = ok && (ids.IsArray() || ids.Type == gjson.Null)
		if ids.IsArray() {
			ids.ForEach(func(_, id gjson.Result) bool {
				n++
				ok = ok && (id.Type == gjson.String || id.Type == gjson.Null) // null reads as "", as in encoding/json
				return ok
			})
		}
		return ok
	})
	if !ok {
		return fmt.Errorf("answers %.40s: not an object of question ids to lists of option ids", data)
	}
	if *a == nil {
		*a = make(Answers, questions)
	}
	all := make([]string, 0, n)
	v.ForEach(func(qid, ids gjson.Result) bool {
		if ids.Type == gjson.Null {
			(*a)[validUTF8(qid.Str)] = nil
			return true
		}
		start := len(all)
		ids.ForEach(func(_, id gjson.Result) bool {
			all = append(all, validUTF8(id.Str))
			return true
		})
		(*a)[validUTF8(qid.Str)] = all[start:len(all):len(all)]
		return true
	})
	return nil
}

// validUTF8 replaces each byte of s that is not UTF-8 with U+FFFD, as encoding/json does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// Same reports whether a and b give the same options to the same questions, in any order.
func (a Answers) Same(b Answers) bool {
	if len(a) != len(b) {
		return false
	}
	for qid, ids := range a {
		if !SameOptions(ids, b[qid]) {
			return false
		}
	}
	return true
}

// SameOptions reports whether two answers to one question hold the same options, in any order.
func SameOptions(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
