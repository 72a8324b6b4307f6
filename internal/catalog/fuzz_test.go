package catalog_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/stackpick/stackpick/internal/catalog"
)

// FuzzLoad feeds any bytes as catalog.yaml (beside valid other files): Load must not panic, and
// whatever it accepts must keep the invariants the ranking relies on.
func FuzzLoad(f *testing.F) {
	valid, err := os.ReadFile("testdata/valid/catalog.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte("frameworks: [{id: x, ratings: {performance: 9}}]"))
	f.Add([]byte("seeds: [\ncriteria: {"))
	f.Add([]byte("\x00\xff: - [&a *a]"))
	base := readDir(f, "testdata/valid")
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{}
		for name, file := range base {
			fsys[name] = file
		}
		fsys[catalog.CatalogFile] = &fstest.MapFile{Data: data}
		c, err := catalog.Load(fsys, "config")
		if err != nil {
			return
		}
		if len(c.Frameworks) == 0 || len(c.Criteria) == 0 {
			t.Fatal("an empty catalog was accepted")
		}
		for _, fw := range c.Frameworks {
			for _, cr := range c.Criteria {
				if r, ok := fw.Ratings[cr.ID]; !ok || r < catalog.MinRating || r > catalog.MaxRating {
					t.Fatalf("%s rated %d (given: %v) on %s", fw.ID, r, ok, cr.ID)
				}
			}
		}
	})
}

// FuzzAnswersJSON reads any JSON as answers: it must be read as encoding/json reads a map of
// string slices, or refused where that refuses it, and its copy shares no ids between answers.
func FuzzAnswersJSON(f *testing.F) {
	for _, seed := range []string{
		`{"team":["small"],"languages":["python","go"]}`, `{}`, `null`, `{"a":null,"b":[]}`,
		` { "a" : [ "x" , "y" ] } `, `{"a":["\u00e9\"q"],"\u0062":["z"]}`, `{"a":["x"],"a":["y"]}`,
		`[]`, `"a"`, `{"a":"x"}`, `{"a":[1]}`, `{"a":[["x"]]}`, `{"a":{"b":["x"]}}`, `{"a":[null]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return // encoding/json checks the syntax before it calls UnmarshalJSON
		}
		var want map[string][]string
		wantErr := json.Unmarshal(data, &want)
		var got catalog.Answers
		gotErr := got.UnmarshalJSON(data)
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("%s: error %v, encoding/json's %v", data, gotErr, wantErr)
		}
		if wantErr != nil {
			return
		}
		if (got == nil) != (want == nil) || len(got) != len(want) {
			t.Fatalf("%s: read as %#v, encoding/json reads %#v", data, got, want)
		}
		for qid, ids := range want {
			if g, ok := got[qid]; !ok || (g == nil) != (ids == nil) || !slices.Equal(g, ids) {
				t.Fatalf("%s: %q read as %#v, encoding/json reads %#v", data, qid, got[qid], ids)
			}
			if len(got[qid]) != cap(got[qid]) {
				t.Fatalf("%s: %q has room to grow into the next answer's ids", data, qid)
			}
		}
	})
}
