// Command bot is stackpick: a Slack bot that helps a team choose a backend framework. It also
// runs the same conversation in a terminal (console), ranks in one shot (rank) and validates the
// YAML config (check-config). Run "bot help" for usage.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bot:", err)
		os.Exit(1)
	}
}

const usage = `stackpick helps a team choose a backend framework.

Usage:
  bot console                     hold the whole conversation in this terminal (or a pipe)
  bot rank [--json] key=value...  rank in one shot, e.g. bot rank project=mvp languages=python,typescript
  bot check-config [dir]          validate catalog.yaml, questions.yaml, weights.yaml, checklist.yaml
  bot help                        show this text

Every command takes -config DIR to read the YAML files from DIR instead of the built-in copy.
The Slack bot itself (bot serve) is not wired in yet.

Environment:
  STACKPICK_CONFIG_DIR  same as -config
  REDIS_URL             keep console sessions in Redis (redis://, rediss://, Sentinel and Cluster forms)
  SESSION_TTL           how long an idle conversation is kept (default 168h)
  LOG_LEVEL             debug, info, warn, error (default info; warn for console)
  LOG_FORMAT            json (default) or text
`

// run is the whole program: it reads settings from args and getenv, builds everything, and
// returns when the command is done or ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		_, err := io.WriteString(stdout, usage)
		return err
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "console":
		return runConsole(ctx, rest, getenv, stdin, stdout, stderr)
	case "rank":
		return runRank(rest, getenv, stdout, stderr)
	case "check-config":
		return runCheckConfig(rest, getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		_, err := io.WriteString(stdout, usage)
		return err
	}
	return fmt.Errorf("unknown command %q; run \"bot help\" for usage", cmd)
}
