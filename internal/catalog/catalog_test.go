package catalog_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stackpick/stackpick/internal/catalog"
)

// These tests run on the fixtures under testdata, never on the shipped config: that one has its
// own acceptance suite under config/. testdata/valid is a small sound config; every other
// directory holds the files a case lays over it: valid-* cases still load, the others are broken
// and list the problems expected in want.txt.

var update = flag.Bool("update", false, "rewrite the want.txt files of the broken-config cases")

// TestBrokenConfigsReportEveryProblemWithFileAndLine loads testdata/valid with the files of each
// broken case laid over it (and the files named in its remove.txt taken away), and compares the
// problems with the case's want.txt.
func TestBrokenConfigsReportEveryProblemWithFileAndLine(t *testing.T) {
	base := readDir(t, "testdata/valid")
	if _, err := catalog.Load(base, "config"); err != nil {
		t.Fatalf("testdata/valid must load:\n%v", err)
	}
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range cases {
		if !cs.IsDir() || strings.HasPrefix(cs.Name(), "valid") || cs.Name() == "fuzz" {
			continue
		}
		t.Run(cs.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", cs.Name())
			c, err := catalog.Load(overlay(t, dir), "config")
			var cfgErr *catalog.Error
			if !errors.As(err, &cfgErr) || c != nil {
				t.Fatalf("Load = %v, %v; want a nil catalog and a *catalog.Error", c, err)
			}
			got := err.Error() + "\n"
			wantFile := filepath.Join(dir, "want.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("problems:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// overlay returns testdata/valid with the YAML files of dir laid over it and the files named in
// dir/remove.txt taken away.
func overlay(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	fsys := readDir(t, "testdata/valid")
	for name, f := range readDir(t, dir) {
		if strings.HasSuffix(name, ".yaml") {
			fsys[name] = f
		}
	}
	if rm, err := os.ReadFile(filepath.Join(dir, "remove.txt")); err == nil {
		for _, name := range strings.Fields(string(rm)) {
			delete(fsys, name)
		}
	}
	return fsys
}

func readDir(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	return fsys
}

func TestCheckAnswersListsEveryProblem(t *testing.T) {
	c, err := catalog.Load(overlay(t, "testdata/valid-exclusive"), "config")
	if err != nil {
		t.Fatal(err)
	}
	langs, ok := c.Question(catalog.LanguagesQuestion)
	if !ok {
		t.Fatal("the fixture has no languages question")
	}
	var exclusive, concrete string
	for _, o := range langs.Options {
		if o.Exclusive {
			exclusive = o.ID
		} else {
			concrete = o.ID
		}
	}
	if exclusive == "" || concrete == "" {
		t.Fatalf("the fixture's languages need an exclusive and a concrete option: %+v", langs.Options)
	}
	var optionIDs []string
	for _, o := range langs.Options {
		optionIDs = append(optionIDs, o.ID)
	}
	one := c.Questions[slices.IndexFunc(c.Questions, func(q catalog.Question) bool { return q.Kind == catalog.One })]

	valid := catalog.Answers{one.ID: {one.Options[0].ID}, langs.ID: {langs.Options[0].ID, langs.Options[1].ID}}
	if err := c.CheckAnswers(valid); err != nil {
		t.Fatalf("valid answers %v: %v", valid, err)
	}
	if err := c.CheckAnswers(catalog.Answers{one.ID: {}}); err != nil {
		t.Fatalf("a question with no options is unanswered, not wrong: %v", err)
	}
	err = c.CheckAnswers(catalog.Answers{
		"colour": {"red"},
		one.ID:   {one.Options[0].ID, one.Options[1].ID},
		langs.ID: {concrete, "cobol", exclusive},
	})
	want := []string{
		fmt.Sprintf(`unknown question "colour" (questions: %s)`, questionIDs(c)),
		fmt.Sprintf(`%s: unknown option "cobol" (options: %s)`, langs.ID, strings.Join(optionIDs, ", ")),
		fmt.Sprintf(`%s: %q cannot be combined with other options`, langs.ID, exclusive),
		fmt.Sprintf(`%s: takes one option, got 2`, one.ID),
	}
	if err == nil {
		t.Fatalf("CheckAnswers accepted broken answers; want %q", want)
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(want) {
		t.Errorf("CheckAnswers listed %d problems, want %d:\n%v", len(got), len(want), err)
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("CheckAnswers error\n%v\nlacks %q", err, w)
		}
	}
}

func questionIDs(c *catalog.Catalog) string {
	ids := make([]string, len(c.Questions))
	for i, q := range c.Questions {
		ids[i] = q.ID
	}
	return strings.Join(ids, ", ")
}

// Every valid-* case loads: they are fixtures for other tests, and a typo in one must show here.
func TestValidFixturesLoad(t *testing.T) {
	dirs, err := filepath.Glob("testdata/valid-*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no testdata/valid-* fixtures")
	}
	for _, dir := range dirs {
		if _, err := catalog.Load(overlay(t, dir), "config"); err != nil {
			t.Errorf("%s:\n%v", dir, err)
		}
	}
}

// The lookups the dialog relies on; the ones only the ranking uses are its to test.
func TestQuestionLookupsFindWhatWasLoadedAndNothingElse(t *testing.T) {
	c, err := catalog.LoadDir("testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range c.Questions {
		got, ok := c.Question(q.ID)
		if !ok || got != &c.Questions[i] {
			t.Errorf("Question(%q) = %v, %v; want questions[%d]", q.ID, got, ok, i)
		}
		for j, o := range q.Options {
			if got, ok := got.Option(o.ID); !ok || got != &q.Options[j] {
				t.Errorf("%s.Option(%q) = %v, %v", q.ID, o.ID, got, ok)
			}
		}
		if _, ok := q.Option("no-such-option"); ok {
			t.Errorf("%s has an option no-such-option", q.ID)
		}
		ids := []string{q.Options[1].ID, "no-such-option", q.Options[0].ID}
		if got, want := q.Labels(ids), []string{q.Options[1].Label, q.Options[0].Label}; !slices.Equal(got, want) {
			t.Errorf("%s.Labels(%v) = %v, want %v (given order, unknown ids skipped)", q.ID, ids, got, want)
		}
	}
	if _, ok := c.Question("no-such-question"); ok {
		t.Error("found a question that was never loaded")
	}
}

// The questions a set of answers leaves open: those unanswered, and those answered with the
// option that "not sure" means, in checklist order. The dialog's fixture has such an option.
func TestOpenQuestionsAreUnansweredOrAnsweredNotSure(t *testing.T) {
	c, err := catalog.LoadDir("../dialog/testdata/catalog")
	if err != nil {
		t.Fatal(err)
	}
	var doubtQ, doubtO string
	for _, q := range c.Questions {
		for _, o := range q.Options {
			if o.Doubt {
				doubtQ, doubtO = q.ID, o.ID
			}
		}
	}
	if doubtQ == "" {
		t.Fatal("the fixture has no not-sure option")
	}
	first := c.Questions[0]
	a := catalog.Answers{first.ID: {first.Options[0].ID}, doubtQ: {doubtO}}
	var want []string
	for _, q := range c.Questions {
		if q.ID != first.ID {
			want = append(want, q.Short)
		}
	}
	if got := c.Open(a); !slices.Equal(got, want) {
		t.Errorf("Open = %v, want %v", got, want)
	}
}

func TestAnswersCompareAsSetsPerQuestion(t *testing.T) {
	a := catalog.Answers{"languages": {"go", "python"}, "team": {"small"}}
	for _, tc := range []struct {
		b    catalog.Answers
		same bool
	}{
		{catalog.Answers{"team": {"small"}, "languages": {"python", "go"}}, true},
		{catalog.Answers{"languages": {"go"}, "team": {"small"}}, false},
		{catalog.Answers{"languages": {"go", "python"}}, false},
		{catalog.Answers{"languages": {"go", "python"}, "team": {"large"}}, false},
	} {
		if got := a.Same(tc.b); got != tc.same {
			t.Errorf("%v.Same(%v) = %v, want %v", a, tc.b, got, tc.same)
		}
	}
}
