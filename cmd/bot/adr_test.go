package main

import (
	"github.com/stackpick/stackpick/internal/golden"
	"strings"
	"testing"
	"time"
)

// bot rank --adr prints the ranking as a decision record, on the built-in config as a user runs
// it: the answers given, the unanswered questions open, nobody named, dated by -date. The golden
// file follows the shipped config: a retune of config/ is accepted with go test ./cmd/bot -update.
func TestRankADRPrintsADecisionRecord(t *testing.T) {
	out, _, err := bot(t, nil, "", "rank", "--adr", "--date", "2026-03-14", "project=mvp", "languages=python", "team=small", "deadline=weeks")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"---\nstatus: \"proposed\"\ndate: 2026-03-14\ndecision-makers: \"\" # nobody named yet\n---\n",
		"\n## Decision Outcome\n\nChosen option: \"",
		"\n## More Information\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	golden.Check(t, "rank-adr.md", out)
}

// Without -date the record is dated today; -adr is a third output, not a modifier of -json, and
// -date has nothing to date without it.
func TestRankADRFlags(t *testing.T) {
	before := time.Now().Format(time.DateOnly)
	out, _, err := bot(t, fixtureEnv, "", "rank", "--adr", "team=small")
	after := time.Now().Format(time.DateOnly)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\ndate: "+before+"\n") && !strings.Contains(out, "\ndate: "+after+"\n") {
		t.Errorf("the record is not dated today (%s):\n%s", before, out)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"-json and -adr", []string{"--json", "--adr"}, `rank: -json and -adr cannot be combined: choose one; run "bot help" for usage`},
		{"-date without -adr", []string{"--date", "2026-03-14"}, `rank: -date dates a decision record: add -adr; run "bot help" for usage`},
		{"a date that is none", []string{"--adr", "--date", "14.3.2026"}, `settings: -date: "14.3.2026" is not YYYY-MM-DD`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := bot(t, fixtureEnv, "", append([]string{"rank"}, append(tt.args, "team=small")...)...)
			if err == nil || err.Error() != tt.want || out != "" {
				t.Errorf("rank %v = %v, with %q on stdout; want the error %q", tt.args, err, out, tt.want)
			}
		})
	}
}
