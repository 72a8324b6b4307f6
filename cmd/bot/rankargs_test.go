package main

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
)

func TestRankAcceptsTheNamesPeopleSee(t *testing.T) {
	cat, err := catalog.LoadDir("testdata/rankargs")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want catalog.Answers
		// wantErr are the problems the error lists, in any order; none: no error
		wantErr []string
	}{
		{name: "ids", args: []string{"team=solo", "languages=go,python"},
			want: catalog.Answers{"team": {"solo"}, "languages": {"go", "python"}}},
		{name: "short names and labels, in any case", args: []string{"Team Size=just ME", "languages=Python,Go"},
			want: catalog.Answers{"team": {"solo"}, "languages": {"python", "go"}}},
		{name: "aliases, with spaces as people type them", args: []string{"team  knows= python ", "timeline=within weeks"},
			want: catalog.Answers{"languages": {"python"}, "deadline": {"weeks"}}},
		{name: "a label with a comma in it", args: []string{"product type=An AI, ML or data product,ml,An API"},
			want: catalog.Answers{"project": {"ai", "ml", "api"}}},
		{name: "a label with parentheses", args: []string{"people=a small team (2-10)"},
			want: catalog.Answers{"team": {"small"}}},
		{name: "an unknown question lists the questions by the names people see", args: []string{"colour=red"},
			wantErr: []string{`unknown question "colour" (questions: languages, deadline, team size (team), product type (project))`}},
		{name: "an unknown option lists the options", args: []string{"team size=giant"},
			wantErr: []string{`team: unknown option "giant" (options: solo "Just me", small "A small team (2-10)")`}},
		{name: "part of a label is not a label", args: []string{"project=An AI"},
			wantErr: []string{`project: unknown option "An AI"`}},
		{name: "a name two questions share is not guessed", args: []string{"load=weeks"},
			wantErr: []string{`"load" could be any of the questions deadline, team; use the id`}},
		{name: "one question under two names", args: []string{"team=solo", "people=small"},
			wantErr: []string{`team is given twice (as "team" and "people")`}},
		{name: "not question=option", args: []string{"team"},
			wantErr: []string{`"team" is not question=option[,option...]`}},
		{name: "every problem at once, the catalog's checks included", args: []string{"colour=red", "team=solo,small", "languages=none,go", "deadline=soon,weeks"},
			wantErr: []string{`unknown question "colour"`, "team: takes one option, got 2", `languages: "none" cannot be combined with other options`, `deadline: unknown option "soon"`, "deadline: takes one option, got 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAnswers(cat, tt.args)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("parseAnswers(%q) = %v", tt.args, err)
				}
				if !maps.EqualFunc(got, tt.want, slices.Equal) {
					t.Errorf("parseAnswers(%q) = %v, want %v", tt.args, got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("parseAnswers(%q) = %v, want an error", tt.args, got)
			}
			// One problem: one line. More: a headline and one a line, as for settings and config files.
			wantLines := 1
			if len(tt.wantErr) > 1 {
				wantLines = len(tt.wantErr) + 1
			}
			if lines := strings.Split(err.Error(), "\n"); len(lines) != wantLines {
				t.Errorf("the error has %d lines, want %d:\n%v", len(lines), wantLines, err)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}
