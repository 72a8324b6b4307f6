// Package golden compares a test's output with a golden file in the test's testdata directory;
// run the test with -update to rewrite the files with the output. Tests only.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files with the output")

// Check fails t when got differs from testdata/name, after rewriting the file with got when
// -update is set; a missing file fails too.
func Check(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the output differs from %s (run the test with -update to accept it):\n%s", path, got)
	}
}
