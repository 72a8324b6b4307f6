package dialog

import (
	"reflect"
	"testing"
)

// Invisible format characters (Unicode category Cf: zero-width spaces and joiners, a byte-order
// mark, bidirectional controls, a soft hyphen) are what copy-paste and some keyboards put around
// and inside words; they never change what an answer says: a message reads exactly as it does
// without them.
func TestFormatCharactersAreIgnored(t *testing.T) {
	lx := compileLexicon(loadCatalog(t))
	tests := []struct {
		name, question, text, clean, want string
	}{
		{"zero-width spaces around a number", "languages", "\u200b2\u200b", "2", "languages=python"},
		{"a byte-order mark before a label", "languages", "\ufeffpython", "python", "languages=python"},
		{"a right-to-left override before a word", "hiring", "\u202eyes", "yes", "hiring=yes"},
		{"bidi isolates around a word", "hiring", "\u2066no\u2069", "no", "hiring=no"},
		{"a zero-width joiner inside a word", "languages", "type\u200dscript", "typescript", "languages=typescript"},
		{"a soft hyphen inside a word", "architecture", "micro\u00adservices", "microservices", "architecture=split"},
		{"a word joiner inside a command", "team", "sk\u2060ip", "skip", "command=skip"},
		{"marks around a head count", "team", "\u200e3\u200f of us", "3 of us", "team=small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := lx.understand(Point{Question: tt.question}, tt.text, testDay)
			if got := read(u); got != tt.want {
				t.Errorf("at %q, %q reads as %q; want %q", tt.question, tt.text, got, tt.want)
			}
			if clean := lx.understand(Point{Question: tt.question}, tt.clean, testDay); !reflect.DeepEqual(u, clean) {
				t.Errorf("%q reads as\n%+v\nbut %q as\n%+v", tt.text, u, tt.clean, clean)
			}
		})
	}
	if got, want := normalize("\ufeff \u200bPython\u200b \u202e"), "python"; got != want {
		t.Errorf("normalize = %q, want %q", got, want)
	}
}
