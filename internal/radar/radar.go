package radar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Radar is a radar file read against a catalog.
type Radar struct {
	Title   string // the radar's own title; may be empty
	Entries int    // how many entries it holds, frameworks or not
	// Stances are the radar's stances on the catalog's frameworks it names, by framework id.
	Stances map[string]catalog.Stance
	// Notes are what is worth knowing but no error, positioned like problems: entries that name
	// no framework of the catalog (a radar holds more than frameworks), and are left out.
	Notes []catalog.Problem
}

// LoadFile reads the radar file at path and checks it against cat; see Parse.
func LoadFile(path string, cat *catalog.Catalog) (*Radar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return nil, &catalog.Error{Problems: []catalog.Problem{{File: path, Msg: "cannot read: " + err.Error()}}}
	}
	return Parse(path, data, cat)
}

// Parse decodes a radar in the Backstage tech-radar JSON format strictly (an unknown field is an
// error) and validates it: required fields, rings among adopt, trial, assess and hold, every
// entry's quadrant and rings known, dates as YYYY-MM-DD or RFC 3339, a timeline per entry whose
// latest move is its current ring, unique ids. Each entry names a framework of cat when its id or
// title is the framework's id or name, compared in lower case without spaces, dots, hyphens or
// underscores ("ASP.NET Core" is aspnet-core); no two entries may name one framework, and the
// radar may not put every framework on hold. file names the file in problems. A nil cat checks
// the file alone and maps nothing.
//
// On any problem it returns a nil radar and a *catalog.Error listing all of them, in file order.
func Parse(file string, data []byte, cat *catalog.Catalog) (*Radar, error) {
	c := &checker{file: file, data: data}
	r := c.radar(cat)
	if len(c.problems) > 0 {
		sort.SliceStable(c.problems, func(i, j int) bool {
			a, b := c.problems[i], c.problems[j]
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		})
		return nil, &catalog.Error{Problems: c.problems}
	}
	return r, nil
}

// checker collects the problems of one file.
type checker struct {
	file     string
	data     []byte
	problems []catalog.Problem
}

// position is a byte offset of the file as a 1-based line and column (in characters).
func (c *checker) position(at int) (line, col int) {
	at = min(at, len(c.data))
	start := bytes.LastIndexByte(c.data[:at], '\n') + 1
	return 1 + bytes.Count(c.data[:at], []byte("\n")), 1 + utf8.RuneCount(c.data[start:at])
}

func (c *checker) problemAt(at int, path, format string, args ...any) {
	line, col := c.position(at)
	c.problems = append(c.problems, catalog.Problem{File: c.file, Line: line, Col: col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) problem(v *value, path, format string, args ...any) {
	c.problemAt(v.at, path, format, args...)
}

// fields are an object's members by key, read by the checks of one part of the file.
type fields struct {
	path string // of the object
	of   *value
	by   map[string]*value
}

// object reads v as an object of the known keys, reporting anything else; nil when v is not an
// object.
func (c *checker) object(v *value, path string, known ...string) *fields {
	if v.kind != object {
		c.problem(v, path, "must be an object, not %s", v.kind)
		return nil
	}
	f := &fields{path: path, of: v, by: map[string]*value{}}
	for _, m := range v.members {
		switch p := join(path, m.key); {
		case !slices.Contains(known, m.key):
			c.problemAt(m.keyAt, p, "unknown field")
		case f.by[m.key] != nil:
			c.problemAt(m.keyAt, p, "repeated field")
		default:
			f.by[m.key] = m.value
		}
	}
	return f
}

// field is the field name of f when it is of kind k; nil when it is absent (a problem when it is
// required) or of another kind (a problem).
func (c *checker) field(f *fields, name string, required bool, k kind) *value {
	v := f.by[name]
	switch {
	case v == nil && required:
		c.problem(f.of, f.path, "%s is missing", name)
	case v == nil:
	case v.kind != k:
		c.problem(v, join(f.path, name), "must be %s, not %s", k, v.kind)
	default:
		return v
	}
	return nil
}

// text is the string field name, "" when absent; a required one must hold more than spaces.
func (c *checker) text(f *fields, name string, required bool) string {
	switch v := c.field(f, name, required, str); {
	case v == nil:
		return ""
	case required && strings.TrimSpace(v.text) == "":
		c.problem(v, join(f.path, name), "%s is empty", name)
		return ""
	default:
		return v.text
	}
}

// list is the array field name; ok is false when it is absent or no array.
func (c *checker) list(f *fields, name string, required bool) (items []*value, ok bool) {
	if v := c.field(f, name, required, array); v != nil {
		return v.items, true
	}
	return nil, false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// entry is what an entry of the radar says, once checked.
type entry struct {
	path   string
	at     *value
	id     string
	stance catalog.Stance
	dated  bool // its timeline gave it a current ring
}

// radar checks the whole file and maps its entries to cat's frameworks.
func (c *checker) radar(cat *catalog.Catalog) *Radar {
	if err := json.Unmarshal(c.data, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			c.problemAt(max(0, int(se.Offset)-1), "", "%s", strings.TrimPrefix(se.Error(), "json: "))
		} else {
			c.problemAt(0, "", "%v", err)
		}
		return nil
	}
	root, err := tree(c.data)
	if err != nil { // json.Unmarshal accepted it, so the decoder cannot fail
		c.problemAt(0, "", "%v", err)
		return nil
	}
	top := c.object(root, "", "title", "quadrants", "rings", "entries")
	if top == nil {
		return nil
	}
	r := &Radar{Title: c.text(top, "title", false)}
	quadrants := c.ids(top, "quadrants", []string{"id", "name"}, func(f *fields) { c.text(f, "name", true) })
	rings := c.ids(top, "rings", []string{"id", "name", "color", "description"}, func(f *fields) {
		if id := f.by["id"]; id != nil && id.kind == str && id.text != "" && !slices.Contains(catalog.Rings, catalog.Ring(id.text)) {
			c.problem(id, join(f.path, "id"), "%q is not a ring stackpick knows: use adopt, trial, assess or hold", id.text)
		}
		c.text(f, "name", true)
		c.text(f, "color", true)
		c.text(f, "description", false)
	})
	var entries []entry
	ids := map[string]string{} // entry id -> path of the first entry with it
	listed, _ := c.list(top, "entries", true)
	for i, v := range listed {
		e, ok := c.entry(v, index("entries", i), quadrants, rings)
		if !ok {
			continue
		}
		if first, seen := ids[e.id]; seen {
			c.problem(e.at, e.path+".id", "duplicate id %q (also %s)", e.id, first)
		} else if e.id != "" {
			ids[e.id] = e.path
		}
		entries = append(entries, e)
	}
	r.Entries = len(listed)
	if cat != nil {
		r.Stances, r.Notes = c.match(entries, cat, top.by["entries"])
	}
	return r
}

// ids checks the array field name of objects of the known fields with a unique id, each checked
// further by more; it returns the ids, or nil when the array could not be read.
func (c *checker) ids(top *fields, name string, known []string, more func(*fields)) map[string]bool {
	list, ok := c.list(top, name, true)
	if !ok {
		return nil
	}
	ids := map[string]bool{}
	for i, v := range list {
		f := c.object(v, index(name, i), known...)
		if f == nil {
			continue
		}
		id := c.text(f, "id", true)
		if ids[id] && id != "" {
			c.problem(f.by["id"], join(f.path, "id"), "duplicate id %q", id)
		}
		ids[id] = true
		more(f)
	}
	return ids
}

// entry checks one entry of the radar against the quadrants and rings (nil when unreadable:
// nothing is checked against them then); ok is false when it is not an object.
func (c *checker) entry(v *value, path string, quadrants, rings map[string]bool) (entry, bool) {
	f := c.object(v, path, "key", "id", "title", "quadrant", "description", "url", "links", "timeline")
	if f == nil {
		return entry{}, false
	}
	e := entry{path: path, at: v, id: c.text(f, "id", true)}
	c.text(f, "key", true)
	e.stance.Entry = oneLine(c.text(f, "title", true))
	if q := c.text(f, "quadrant", true); quadrants != nil && q != "" && !quadrants[q] {
		c.problem(f.by["quadrant"], join(path, "quadrant"), "unknown quadrant %q", q)
	}
	described := c.text(f, "description", false)
	c.text(f, "url", false)
	links, _ := c.list(f, "links", false)
	for i, l := range links {
		if lf := c.object(l, index(join(path, "links"), i), "url", "title"); lf != nil {
			c.text(lf, "url", true)
			c.text(lf, "title", true)
		}
	}
	timeline, ok := c.list(f, "timeline", true)
	if ok && len(timeline) == 0 {
		c.problem(f.by["timeline"], join(path, "timeline"), "the timeline is empty: an entry needs at least one move to be in a ring")
	}
	latest := "" // path of the move giving the current ring
	for i, mv := range timeline {
		mp := index(join(path, "timeline"), i)
		mf := c.object(mv, mp, "date", "ringId", "description", "moved")
		if mf == nil {
			continue
		}
		ring := c.text(mf, "ringId", true)
		if rings != nil && ring != "" && !rings[ring] {
			c.problem(mf.by["ringId"], join(mp, "ringId"), "unknown ring %q", ring)
		}
		said := c.text(mf, "description", false)
		if m := mf.by["moved"]; m != nil && (m.kind != number || !slices.Contains([]string{"-1", "0", "1"}, m.text)) {
			c.problem(m, join(mp, "moved"), "must be -1, 0 or 1, not %s", shown(m))
		}
		date, ok := c.date(mf, mp)
		switch {
		case !ok:
		case e.dated && date.Equal(e.stance.Date) && catalog.Ring(ring) != e.stance.Ring:
			c.problem(mf.by["date"], join(mp, "date"), "the same date as %s, in another ring: which ring is current is unclear", latest)
		case !e.dated || date.After(e.stance.Date):
			e.dated, latest = true, mp
			e.stance.Ring, e.stance.Date, e.stance.Description = catalog.Ring(ring), date, oneLine(firstOf(said, described))
		}
	}
	return e, true
}

// date reads a move's date: YYYY-MM-DD, or an RFC 3339 time as Backstage writes it.
func (c *checker) date(mf *fields, path string) (time.Time, bool) {
	text := c.text(mf, "date", true)
	if text == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if d, err := time.Parse(layout, text); err == nil {
			return d, true
		}
	}
	c.problem(mf.by["date"], join(path, "date"), "%q is not a date: write YYYY-MM-DD or an RFC 3339 time such as 2025-03-01T00:00:00Z", text)
	return time.Time{}, false
}

// match maps each entry to the framework of cat its id or title names, and reports two entries
// naming one framework, one entry naming two, and a radar holding every framework.
func (c *checker) match(entries []entry, cat *catalog.Catalog, listed *value) (map[string]catalog.Stance, []catalog.Problem) {
	names := map[string]string{} // a framework's id and name, normalised -> its id
	for _, f := range cat.Frameworks {
		names[normal(f.ID)], names[normal(f.Name)] = f.ID, f.ID
	}
	stances := map[string]catalog.Stance{}
	by := map[string]string{} // framework id -> path of the entry naming it
	var notes []catalog.Problem
	for _, e := range entries {
		var named []string
		for _, n := range []string{e.id, e.stance.Entry} {
			if id, ok := names[normal(n)]; ok && n != "" && !slices.Contains(named, id) {
				named = append(named, id)
			}
		}
		switch {
		case len(named) == 0:
			line, col := c.position(e.at.at)
			notes = append(notes, catalog.Problem{File: c.file, Line: line, Col: col, Path: e.path,
				Msg: fmt.Sprintf("%q names no framework of the catalog, so stackpick leaves it out", firstOf(e.stance.Entry, e.id))})
		case len(named) > 1:
			c.problem(e.at, e.path, "its id %q and title %q name two frameworks, %s and %s: name one", e.id, e.stance.Entry, named[0], named[1])
		case by[named[0]] != "":
			c.problem(e.at, e.path, "names framework %q, as %s does: one entry a framework", named[0], by[named[0]])
		case e.dated:
			by[named[0]] = e.path
			stances[named[0]] = e.stance
		}
	}
	held := 0
	for _, st := range stances {
		if st.Ring == catalog.Hold {
			held++
		}
	}
	if held > 0 && held == len(cat.Frameworks) {
		c.problem(listed, "entries", "every framework of the catalog is on hold: nothing would be left to recommend")
	}
	return stances, notes
}

// normal is a name as entries and frameworks are matched: lower case, without spaces, dots,
// hyphens and underscores.
func normal(name string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" .-_", r) {
			return -1
		}
		return r
	}, strings.ToLower(name))
}

// oneLine folds a radar's text, often Markdown over several lines, onto one line, without the
// control characters (a terminal's escape sequences) a file may hold.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)), " ")
}

// firstOf is a, or b when a is blank.
func firstOf(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// shown is a value as a message quotes it.
func shown(v *value) string {
	switch v.kind {
	case str:
		return fmt.Sprintf("%q", v.text)
	case number:
		return v.text
	}
	return string(v.kind)
}
