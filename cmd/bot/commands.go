package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/stackpick/stackpick/internal/console"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/metrics"
	"github.com/stackpick/stackpick/internal/ranking"
)

func runConsole(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, c := newFlags("console", getenv, stderr, "warn")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.finish(getenv); err != nil {
		return err
	}
	log := c.logger(stderr)
	cat, err := c.loadCatalog()
	if err != nil {
		return fmt.Errorf("load config:\n%w", err)
	}
	store, _, _, closeStore, err := openStores(ctx, c, metrics.New(), log)
	if err != nil {
		return err
	}
	defer closeStore()
	user := orDefault(getenv("USER"), "local")
	return console.Console{
		Engine: dialog.New(cat, store, time.Now),
		Key:    dialog.Key{Team: "console", User: user},
		In:     stdin,
		Out:    stdout,
		Kept:   c.redisURL != "", // without Redis the store is in this process's memory
		Log:    log,
	}.Run(ctx)
}

func runRank(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("rank", getenv, stderr, "info")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.finish(getenv); err != nil {
		return err
	}
	cat, err := c.loadCatalog()
	if err != nil {
		return fmt.Errorf("load config:\n%w", err)
	}
	answers, err := parseAnswers(cat, fs.Args())
	if err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	res := ranking.Compile(cat).Rank(answers)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonResult(res))
	}
	console.WriteResult(stdout, res, console.Width(stdout))
	return nil
}

func runCheckConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("check-config", getenv, stderr, "info")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("check-config takes at most one directory")
	}
	if fs.NArg() == 1 {
		c.configDir = fs.Arg(0)
	}
	cat, err := c.loadCatalog()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return fmt.Errorf("check-config: the config has problems")
	}
	where := c.configDir
	if where == "" {
		where = "built-in config"
	}
	_, err = fmt.Fprintf(stdout, "%s: ok (%d frameworks, %d criteria, %d questions, %d checklist items)\n",
		where, len(cat.Frameworks), len(cat.Criteria), len(cat.Questions), len(cat.Checklist.Items))
	return err
}
