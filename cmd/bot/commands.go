package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/console"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/radar"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/record"
)

func runConsole(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	s, err := parseConsole(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := s.logger(stderr)
	cat, err := s.loadCatalog()
	if err != nil {
		return configError(err)
	}
	st, err := openStores(ctx, s.commonSettings, nil, log)
	if err != nil {
		return err
	}
	defer st.close()
	return console.Console{
		Engine: dialog.New(cat, st.sessions, time.Now),
		Key:    dialog.Key{Team: "console", User: s.User},
		In:     stdin,
		Out:    stdout,
		Kept:   s.RedisURL != "", // without Redis the store is in this process's memory
		Log:    log,
	}.Run(ctx)
}

func runRank(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s, err := parseRank(args, getenv, stderr)
	if err != nil {
		return err
	}
	cat, err := s.loadCatalog()
	if err != nil {
		return configError(err)
	}
	answers, err := parseAnswers(cat, s.Answers)
	if err != nil {
		return err
	}
	m := ranking.Compile(cat)
	res := m.Rank(answers)
	switch {
	case s.JSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonResult(res))
	case s.ADR:
		// Nobody is named: a one-shot ranking does not know who decides.
		_, err := io.WriteString(stdout, record.Markdown(record.Decision{
			Date: s.Date, Result: res, Firmness: m.Firmness(answers), Seeds: cat.Seeds, Open: cat.Open(answers),
		}))
		return err
	}
	return console.WriteResult(stdout, res, console.Width(stdout))
}

func runUnderstand(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s, err := parseUnderstand(args, getenv, stderr)
	if err != nil {
		return err
	}
	cat, err := s.loadCatalog()
	if err != nil {
		return configError(err)
	}
	answers, err := parseAnswers(cat, s.Answered)
	if err != nil {
		return err
	}
	question := s.Question
	if question == "" {
		question = cat.Questions[0].ID
	}
	q, ok := cat.Question(question)
	if !ok && question != "result" {
		return fmt.Errorf("understand: unknown question %q", question)
	}
	if !ok {
		question = ""
	}
	if !ok && len(s.Pending) > 0 {
		return fmt.Errorf("understand: -pending needs an open question; after the shortlist there is no clarification")
	}
	for _, o := range s.Pending {
		if _, known := q.Option(o); !known {
			return fmt.Errorf("understand: %q is not an option of %s", o, question)
		}
	}
	e := dialog.New(cat, nil, func() time.Time { return s.Now })
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(e.Understand(dialog.Point{Question: question, Answers: answers, Pending: s.Pending}, s.Text))
}

func runCheckConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s, err := parseCheckConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	cat, r, err := readConfig(s.ConfigDir, s.RadarFile)
	if err != nil {
		return listed("check-config", strings.Split(err.Error(), "\n"))
	}
	where := s.ConfigDir
	if where == "" {
		where = "built-in config"
	}
	if _, err := fmt.Fprintf(stdout, "%s: ok (%d frameworks, %d criteria, %d questions, %d checklist items)\n",
		where, len(cat.Frameworks), len(cat.Criteria), len(cat.Questions), len(cat.Checklist.Items)); err != nil || r == nil {
		return err
	}
	return writeRadarCheck(stdout, s.RadarFile, r)
}

// writeRadarCheck says what the radar holds for the catalog, ring by ring, and its notes, each
// positioned like a problem: "radar.json:30:5: note: entries[4]: ...".
func writeRadarCheck(w io.Writer, file string, r *radar.Radar) error {
	rings := make([]string, len(catalog.Rings))
	for i, ring := range catalog.Rings {
		n := 0
		for _, st := range r.Stances {
			if st.Ring == ring {
				n++
			}
		}
		rings[i] = fmt.Sprintf("%d %s", n, ring)
	}
	lines := []string{fmt.Sprintf("%s: ok (%d entries, %d of them frameworks of the catalog: %s)", file, r.Entries, len(r.Stances), strings.Join(rings, ", "))}
	for _, n := range r.Notes {
		n.Msg, n.Path = "note: "+n.Path+": "+n.Msg, ""
		lines = append(lines, n.String())
	}
	_, err := fmt.Fprintln(w, strings.Join(lines, "\n"))
	return err
}
