package radar_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/radar"
)

var update = flag.Bool("update", false, "rewrite the .want files of the broken radars")

// frameworks is the catalog the radars are read against: only ids and names matter to them.
func frameworks() *catalog.Catalog {
	return &catalog.Catalog{Frameworks: []catalog.Framework{
		{ID: "aspnet-core", Name: "ASP.NET Core"},
		{ID: "flask", Name: "Flask"},
		{ID: "laravel", Name: "Laravel"},
		{ID: "spring-boot", Name: "Spring Boot"},
	}}
}

func day(s string) time.Time {
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return d
}

// A sound radar maps entries by id or title, however spelt, to the current ring of each: that of
// the latest move, whatever the timeline's order; an entry naming no framework is a note.
func TestARadarGivesEachFrameworkNamedItsCurrentRing(t *testing.T) {
	r, err := radar.LoadFile("testdata/valid.json", frameworks())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]catalog.Stance{
		// By title, "ASP.NET Core"; the move's description, on one line, its escape character
		// (a terminal's colour code) dropped.
		"aspnet-core": {Ring: catalog.Adopt, Date: day("2025-01-10T00:00:00Z"), Description: "Moved to adopt after the payments[31m rewrite.", Entry: "ASP.NET Core"},
		// By id: the title "Laravel (PHP)" names nothing; the latest of two moves.
		"laravel": {Ring: catalog.Hold, Date: day("2025-03-01T00:00:00Z"), Description: "No PHP in production after 2026.", Entry: "Laravel (PHP)"},
		// By title; the latest move comes first and says nothing, so the entry's description does.
		"spring-boot": {Ring: catalog.Trial, Date: day("2025-06-30T00:00:00Z"), Description: "For the JVM teams.", Entry: "Spring Boot"},
	}
	if !reflect.DeepEqual(r.Stances, want) {
		t.Errorf("stances = %+v\nwant %+v", r.Stances, want)
	}
	if r.Title != "Acme Engineering Radar" || r.Entries != 4 {
		t.Errorf("title %q with %d entries, want Acme Engineering Radar with 4", r.Title, r.Entries)
	}
	data, _ := os.ReadFile("testdata/valid.json")
	line := 1 + bytes.Count(data[:bytes.Index(data, []byte(`"key": "kafka"`))], []byte("\n")) - 1 // the entry's "{"
	if len(r.Notes) != 1 || r.Notes[0].Line != line || r.Notes[0].Path != "entries[3]" || !strings.Contains(r.Notes[0].Msg, `"Kafka" names no framework`) {
		t.Errorf("notes = %+v, want one on Kafka at line %d", r.Notes, line)
	}
}

// Without a catalog the file is checked alone: nothing is mapped, nothing noted.
func TestARadarChecksAloneWithoutACatalog(t *testing.T) {
	r, err := radar.LoadFile("testdata/valid.json", nil)
	if err != nil || len(r.Stances) != 0 || len(r.Notes) != 0 {
		t.Fatalf("LoadFile without a catalog = %+v, %v; want no stances or notes", r, err)
	}
	_, err = radar.LoadFile("testdata/broken/fields.json", nil)
	if err == nil {
		t.Fatal("a broken radar passed without a catalog")
	}
}

// Each broken radar reports every problem at once, positioned, in file order; the lists are
// golden (testdata/broken/*.want, rewritten with -update).
func TestBrokenRadarsReportEveryProblemWithFileLineAndField(t *testing.T) {
	files, _ := filepath.Glob("testdata/broken/*.json")
	if len(files) == 0 {
		t.Fatal("no broken radars")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			r, err := radar.LoadFile(file, frameworks())
			var cfgErr *catalog.Error
			if !errors.As(err, &cfgErr) || r != nil {
				t.Fatalf("LoadFile = %v, %v; want a nil radar and a *catalog.Error", r, err)
			}
			got := err.Error() + "\n"
			want := strings.TrimSuffix(file, ".json") + ".want"
			if *update {
				if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/radar -update)", err)
			}
			if got != string(data) {
				t.Errorf("problems:\n%s\nwant:\n%s", got, data)
			}
		})
	}
}

// A problem's line and column are those of the value it is about, counted in characters.
func TestAProblemPointsAtItsValue(t *testing.T) {
	data := []byte("{\n  \"title\": \"Ünïcode radar\", \"quadrants\": [], \"rings\": [],\n  \"entries\": [{\"key\": \"k\", \"id\": \"x\", \"title\": \"X\", \"quadrant\": \"q\", \"timeline\": [{\"ringId\": \"hold\", \"date\": \"soon\"}]}]\n}\n")
	_, err := radar.Parse("r.json", data, nil)
	var cfgErr *catalog.Error
	if !errors.As(err, &cfgErr) {
		t.Fatalf("Parse = %v, want problems", err)
	}
	want := map[string][2]int{
		"entries[0].quadrant":         {3, 1 + strings.Index(`  "entries": [{"key": "k", "id": "x", "title": "X", "quadrant": "q"`, `"q"`)},
		"entries[0].timeline[0].date": {3, 1 + strings.Index(`  "entries": [{"key": "k", "id": "x", "title": "X", "quadrant": "q", "timeline": [{"ringId": "hold", "date": "soon"`, `"soon"`)},
	}
	for _, p := range cfgErr.Problems {
		if w, ok := want[p.Path]; ok {
			if p.Line != w[0] || p.Col != w[1] {
				t.Errorf("%s at %d:%d, want %d:%d", p.Path, p.Line, p.Col, w[0], w[1])
			}
			delete(want, p.Path)
		}
	}
	if len(want) > 0 {
		t.Errorf("no problem at %v in %v", want, err)
	}
}

func TestAMissingRadarFileIsAProblem(t *testing.T) {
	_, err := radar.LoadFile("testdata/none.json", frameworks())
	if err == nil || err.Error() != "testdata/none.json: cannot read: no such file or directory" {
		t.Errorf("LoadFile of a missing file = %v", err)
	}
}
