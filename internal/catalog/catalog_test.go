package catalog_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
)

var update = flag.Bool("update", false, "rewrite the want.txt files of the broken-config cases")

func TestTheShippedConfigIsValidAndComplete(t *testing.T) {
	c, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatalf("built-in config:\n%v", err)
	}
	wantFrameworks := []string{"spring-boot", "aspnet-core", "django", "fastapi", "laravel", "nestjs", "rails", "express",
		"fastify", "gin", "fiber", "echo", "phoenix", "flask", "symfony", "hono", "ktor", "bun"}
	if len(c.Frameworks) != len(wantFrameworks) {
		t.Fatalf("%d frameworks, want %d", len(c.Frameworks), len(wantFrameworks))
	}
	for i, id := range wantFrameworks {
		f := c.Frameworks[i]
		if f.ID != id {
			t.Errorf("framework %d is %q, want %q", i, f.ID, id)
		}
		emerging := id == "hono" || id == "ktor" || id == "bun"
		if f.Emerging != emerging {
			t.Errorf("%s: emerging = %v, want %v", id, f.Emerging, emerging)
		}
		if len(f.Strengths) == 0 || len(f.Watchouts) == 0 || len(f.UseCases) == 0 {
			t.Errorf("%s: needs strengths, watchouts and use cases", id)
		}
	}
	wantCriteria := []string{"performance", "scalability", "dev_speed", "enterprise", "ecosystem", "talent", "ease",
		"realtime", "microservices", "footprint", "ai_data", "type_safety"}
	for _, id := range wantCriteria {
		if _, ok := c.CriterionIndex(id); !ok {
			t.Errorf("criterion %q is missing", id)
		}
	}
	wantQuestions := map[string][]string{
		"project":      {"mvp", "saas", "enterprise", "api", "ai", "realtime", "content", "gateway"},
		"languages":    {"java", "kotlin", "csharp", "python", "javascript", "typescript", "php", "ruby", "go", "elixir", "none"},
		"team":         {"solo", "small", "large"},
		"deadline":     {"weeks", "months", "long_term"},
		"scale":        {"small", "growing", "large", "massive"},
		"performance":  {"normal", "important", "critical"},
		"workload":     {"crud", "io", "cpu", "streaming", "batch"},
		"architecture": {"monolith", "modular", "microservices", "serverless", "undecided"},
		"compliance":   {"standard", "regulated"},
		"hosting":      {"containers", "serverless_edge", "paas_shared", "azure_windows", "on_prem"},
		"batteries":    {"batteries", "minimal", "no_preference"},
		"hiring":       {"yes", "no"},
		"typing":       {"important", "nice", "not_important"},
		"footprint":    {"yes", "no"},
	}
	if len(c.Questions) != len(wantQuestions) {
		t.Errorf("%d questions, want %d", len(c.Questions), len(wantQuestions))
	}
	for qid, opts := range wantQuestions {
		q, ok := c.Question(qid)
		if !ok {
			t.Errorf("question %q is missing", qid)
			continue
		}
		var got []string
		for _, o := range q.Options {
			got = append(got, o.ID)
			if q.Help == "" || o.Reason == "" {
				t.Errorf("%s.%s: help and reason are needed", qid, o.ID)
			}
		}
		if strings.Join(got, ",") != strings.Join(opts, ",") {
			t.Errorf("%s options = %v, want %v", qid, got, opts)
		}
	}
}

// TestBrokenConfigsReportEveryProblemWithFileAndLine loads testdata/valid with the files of each
// case laid over it (and the files named in its remove.txt taken away), and compares the
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
		if !cs.IsDir() || cs.Name() == "valid" || cs.Name() == "fuzz" {
			continue
		}
		t.Run(cs.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", cs.Name())
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
			c, err := catalog.Load(fsys, "config")
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
	c, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckAnswers(catalog.Answers{"project": {"mvp"}, "languages": {"python", "go"}}); err != nil {
		t.Fatalf("valid answers: %v", err)
	}
	err = c.CheckAnswers(catalog.Answers{
		"colour":    {"red"},
		"team":      {"solo", "large"},
		"languages": {"python", "cobol", "none"},
	})
	want := []string{
		`unknown question "colour"`,
		`languages: unknown option "cobol" (options: java, kotlin,`,
		`languages: "none" cannot be combined with other options`,
		`team: takes one option, got 2`,
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("CheckAnswers error %v\nlacks %q", err, w)
		}
	}
}
