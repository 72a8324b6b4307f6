package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/console"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
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
	store, _, _, closeStore, err := openStores(ctx, s.commonSettings, nil, log)
	if err != nil {
		return err
	}
	defer closeStore()
	return console.Console{
		Engine: dialog.New(cat, store, time.Now),
		Key:    dialog.Key{Team: "console", User: s.User},
		In:     stdin,
		Out:    stdout,
		Echo:   !isTerminal(stdin),
		Log:    log,
	}.Run(ctx)
}

// isTerminal reports whether r is an interactive terminal (not a pipe or a file).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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
	answers, err := parseAnswers(s.Answers)
	if err == nil {
		err = cat.CheckAnswers(answers)
	}
	if err != nil {
		return listed("rank", strings.Split(err.Error(), "\n"))
	}
	res := ranking.Rank(cat, answers)
	if s.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonResult(res))
	}
	console.WriteResult(stdout, res)
	return nil
}

// parseAnswers reads question=option[,option...] arguments.
func parseAnswers(args []string) (catalog.Answers, error) {
	answers := catalog.Answers{}
	for _, a := range args {
		q, opts, ok := strings.Cut(a, "=")
		if !ok || q == "" || opts == "" {
			return nil, fmt.Errorf("%q is not question=option[,option...]", a)
		}
		if _, dup := answers[q]; dup {
			return nil, fmt.Errorf("%s is given twice", q)
		}
		answers[q] = strings.Split(opts, ",")
	}
	return answers, nil
}

func runCheckConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s, err := parseCheckConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	cat, err := loadCatalog(s.ConfigDir)
	if err != nil {
		return listed("check-config", strings.Split(err.Error(), "\n"))
	}
	where := s.ConfigDir
	if where == "" {
		where = "built-in config"
	}
	_, err = fmt.Fprintf(stdout, "%s: ok (%d frameworks, %d criteria, %d questions, %d checklist items)\n",
		where, len(cat.Frameworks), len(cat.Criteria), len(cat.Questions), len(cat.Checklist.Items))
	return err
}
