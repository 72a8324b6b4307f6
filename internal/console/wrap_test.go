package console

import (
	"slices"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name         string
		prefix, text string
		width        int
		want         []string
	}{
		{"a line that fits is kept as it is, inner spaces too", "", "1. Beta  ███ 75/100  [Python]", 80,
			[]string{"1. Beta  ███ 75/100  [Python]"}},
		{"exactly the width fits", "", "aaaa bbbb", 9, []string{"aaaa bbbb"}},
		{"prose breaks at the last space that fits", "", "one two three four", 9,
			[]string{"one two", "three", "four"}},
		{"a list item hangs under its text", "   + ", "you need to ship in weeks: speed of delivery", 24,
			[]string{"   + you need to ship in", "     weeks: speed of", "     delivery"}},
		{"the prefix counts runes, not bytes", "  ✓ ", "é é é é", 9,
			[]string{"  ✓ é é é", "    é"}},
		{"a word longer than the line is not broken", "", "see https://example.com/a/very/long/path now", 12,
			[]string{"see", "https://example.com/a/very/long/path", "now"}},
		{"a prefix wider than half the line hangs at half the line", "  change <question> to <answer>  ", "change an earlier answer", 40,
			[]string{"  change <question> to <answer>  change", "                    an earlier answer"}},
		{"spaces where the line breaks are dropped", "", "aaa   bbb   ccc", 7,
			[]string{"aaa", "bbb", "ccc"}},
		{"no width, no wrapping", "", strings.Repeat("word ", 40), 0,
			[]string{strings.Repeat("word ", 40)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.prefix, tt.text, tt.width)
			if !slices.Equal(got, tt.want) {
				t.Errorf("wrap(%q, %q, %d) =\n%q\nwant\n%q", tt.prefix, tt.text, tt.width, got, tt.want)
			}
		})
	}
}

func TestAWrappedReplyKeepsItsWordsAndItsIndentation(t *testing.T) {
	long := strings.Repeat("answer ", 30)
	var b strings.Builder
	p := &printer{w: &b, width: 40}
	p.line("  " + long)
	p.hang("   ! ", long)
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if len([]rune(l)) > 40 {
			t.Errorf("line %q is wider than 40", l)
		}
		if !strings.HasPrefix(l, "  ") {
			t.Errorf("line %q lost its indentation", l)
		}
	}
	if got, want := strings.Fields(b.String()), strings.Fields(long+"! "+long); !slices.Equal(got, want) {
		t.Errorf("wrapping changed the words:\n%q\nwant\n%q", got, want)
	}
}
