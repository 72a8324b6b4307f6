package catalog_test

import (
	"os"
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
