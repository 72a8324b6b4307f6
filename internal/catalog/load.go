package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The files a config directory holds.
const (
	CatalogFile   = "catalog.yaml"
	QuestionsFile = "questions.yaml"
	WeightsFile   = "weights.yaml"
	ChecklistFile = "checklist.yaml"
	WordsFile     = "understanding.yaml"
)

// Files are the files a config directory holds, in the order Load reads them.
var Files = []string{CatalogFile, QuestionsFile, WeightsFile, ChecklistFile, WordsFile}

// Problem is one thing wrong in a config file, positioned like a compiler error.
type Problem struct {
	File      string // as given to Load, e.g. "config/catalog.yaml"
	Line, Col int    // 1-based; 0 when unknown
	Path      string // e.g. "frameworks[3].ratings.performance"; empty for file-level problems
	Msg       string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error lists every problem Load found, one per line, ordered by file and position.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// LoadDir loads and validates the config files in dir. See Load.
func LoadDir(dir string) (*Catalog, error) {
	return Load(os.DirFS(dir), dir)
}

// Load reads the five config files from fsys, decodes them strictly (unknown fields are errors)
// and validates them together. dir is only used to name files in problems. On any problem it
// returns a nil catalog and an *Error listing all of them.
func Load(fsys fs.FS, dir string) (*Catalog, error) {
	l := &loader{fsys: fsys, dir: dir}
	c := &Catalog{}
	var qs struct {
		Questions []Question `yaml:"questions"`
	}
	l.cat = l.decode(CatalogFile, c)
	l.qs = l.decode(QuestionsFile, &qs)
	l.w = l.decode(WeightsFile, &c.Weights)
	l.cl = l.decode(ChecklistFile, &c.Checklist)
	l.words = l.decode(WordsFile, &c.Words)
	c.Questions = qs.Questions
	// Type errors leave the rest of a file decoded, so validation can still report more; an
	// unreadable file would only cause spurious problems.
	if !l.unreadable {
		l.validate(c)
	}
	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool {
			a, b := l.problems[i], l.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, &Error{Problems: l.problems}
	}
	return c, nil
}

type loader struct {
	fsys           fs.FS
	dir            string
	problems       []Problem
	unreadable     bool // a file is missing or not valid YAML
	cat, qs, w, cl *doc
	words          *doc
}

// doc is one decoded file, kept as a node tree so problems can name line and column.
type doc struct {
	file string
	root *yaml.Node
}

var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// decode reads name into v strictly. Syntax errors stop that file; type errors and unknown
// fields are all reported, and what could be decoded is kept so validation can go on.
func (l *loader) decode(name string, v any) *doc {
	d := &doc{file: path.Join(l.dir, name), root: &yaml.Node{}}
	data, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		l.unreadable = true
		l.problems = append(l.problems, Problem{File: d.file, Msg: "cannot read: " + errors.Unwrap(err).Error()})
		return d
	}
	if err := yaml.Unmarshal(data, d.root); err != nil {
		l.unreadable = true
		l.addYAMLError(d, err)
		return d
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		l.addYAMLError(d, err)
	}
	return d
}

var unknownFieldRE = regexp.MustCompile(`^field (\S+) not found in type \S+$`)

func (l *loader) addYAMLError(d *doc, err error) {
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		p := Problem{File: d.file, Msg: strings.TrimPrefix(m, "yaml: ")}
		if sub := lineRE.FindStringSubmatch(m); sub != nil {
			p.Line, _ = strconv.Atoi(sub[1])
			p.Msg = sub[2]
		}
		// yaml.v3 names an unknown field by line only; find its key to give column and path.
		if sub := unknownFieldRE.FindStringSubmatch(p.Msg); sub != nil {
			if path, key := findKey(d.root, sub[1], p.Line, nil); key != nil {
				p.Col, p.Path, p.Msg = key.Column, pathString(path), "unknown field"
			}
		}
		l.problems = append(l.problems, p)
	}
}

// findKey returns the path to, and the node of, the mapping key named name on line.
func findKey(n *yaml.Node, name string, line int, path []any) ([]any, *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p, k := findKey(c, name, line, path); k != nil {
				return p, k
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			p := append(slices.Clip(path), key.Value)
			if key.Value == name && key.Line == line {
				return p, key
			}
			if found, k := findKey(n.Content[i+1], name, line, p); k != nil {
				return found, k
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if p, k := findKey(c, name, line, append(slices.Clip(path), i)); k != nil {
				return p, k
			}
		}
	}
	return nil, nil
}

// problem records msg at the node that path leads to in d (or the deepest node that exists).
// Path elements are map keys (string) and sequence indexes (int).
func (l *loader) problem(d *doc, p []any, format string, args ...any) {
	n := d.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, el := range p {
		next := child(n, el)
		if next == nil {
			break
		}
		n = next
	}
	l.problems = append(l.problems, Problem{
		File: d.file, Line: n.Line, Col: n.Column, Path: pathString(p), Msg: fmt.Sprintf(format, args...),
	})
}

func child(n *yaml.Node, el any) *yaml.Node {
	switch k := el.(type) {
	case string:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				return n.Content[i+1]
			}
		}
	case int:
		if n.Kind == yaml.SequenceNode && k < len(n.Content) {
			return n.Content[k]
		}
	}
	return nil
}

func pathString(p []any) string {
	var b strings.Builder
	for _, el := range p {
		switch k := el.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, k)
		}
	}
	return b.String()
}

// at builds a path; it reads better than []any{...} at call sites.
func at(p ...any) []any { return p }
