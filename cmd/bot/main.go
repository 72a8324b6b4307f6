// Command bot is stackpick: a Slack bot that helps a team choose a backend framework. It also
// runs the same conversation in a terminal (console), ranks in one shot (rank) and validates the
// YAML config (check-config). Run "bot help" for usage.
//
// Signals are turned into values here and nowhere else: SIGINT and SIGTERM cancel run's context,
// and SIGHUP, for serve, sends on its reload channel (re-read the config). Other commands keep
// SIGHUP's default, so closing a console's terminal ends it.
//
// An error is printed as "bot: " and one line saying what failed. A failure made of several
// problems (bad settings, a config that does not validate, bot rank's answers) says on that line what failed and how
// many problems there are, then lists them one a line, like a compiler. A run cancelled by a
// signal is a clean exit, not an error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var reload <-chan struct{}
	if cmd, _ := command(os.Args[1:]); cmd == "serve" {
		reload = hangups(ctx)
	}
	err := run(ctx, reload, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bot:", err)
		os.Exit(1)
	}
}

// hangups turns every SIGHUP into a value on the returned channel until ctx ends. A SIGHUP that
// arrives while one is still pending is merged into it: one reload reads the latest files.
func hangups(ctx context.Context) <-chan struct{} {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	reload := make(chan struct{}, 1)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				select {
				case reload <- struct{}{}:
				default:
				}
			}
		}
	}()
	return reload
}

const usage = `stackpick helps a team choose a backend framework.

Usage:
  bot [serve]                     run the Slack bot (needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN)
  bot console                     hold the whole conversation in this terminal (or a pipe)
  bot rank [--json | --adr [--date D]] q=option...
                                  rank in one shot; questions and options by id or name, e.g.
                                  bot rank project=mvp "team size=just me" languages=Python,Go;
                                  --adr prints a MADR decision record instead
  bot understand [--question ID] [--answered q=opt+opt,...] [--pending opt,...] [--date D] TEXT
                                  print, as JSON, what the bot makes of TEXT at that point of a
                                  conversation (the open question "result": after the shortlist)
  bot check-config [dir]          validate catalog.yaml, questions.yaml, weights.yaml, checklist.yaml,
                                  understanding.yaml, and the radar file with -radar
  bot healthcheck                 exit 0 if the running bot's /healthz answers (the container HEALTHCHECK)
  bot help                        show this text

Every command takes -config DIR to read the YAML files from DIR instead of the built-in copy,
and -radar FILE to follow the organisation's tech radar (Backstage tech-radar JSON): a framework
on hold is never recommended, one in adopt gains weights.yaml's radar_adopt.

Environment:
  SLACK_APP_TOKEN       app-level token (xapp-…) for Socket Mode; or SLACK_APP_TOKEN_FILE
  SLACK_BOT_TOKEN       bot token (xoxb-…); or SLACK_BOT_TOKEN_FILE
  SLACK_API_URL         Web API base URL (default https://slack.com/api/; GovSlack, tests)
  SLACK_MODE            socket (default) or http (for teams that cannot use Socket Mode)
  SLACK_SIGNING_SECRET  http mode: the app's signing secret; or SLACK_SIGNING_SECRET_FILE
  SLACK_HTTP_ADDR       http mode: listen address (default :3000)
  TURNS_PER_MINUTE      messages and clicks one user may send a minute (default 30; 0: no limit)
  SLACK_PACING          on (default): pace Web API calls to Slack's rate limits, with REDIS_URL
                        shared by the replicas; local: each replica on its own; off: send at once
  STACKPICK_HTTP_ADDR   serve /healthz, /readyz and /metrics here (default :8080; off: none)
  STACKPICK_DEBUG_ADDR  serve Go's profiler (/debug/pprof/) on this address; keep it private
  STACKPICK_CONFIG_DIR  same as -config
  STACKPICK_RADAR       same as -radar (default: no radar)
  REDIS_URL             keep conversations in Redis (redis://, rediss://, Sentinel and Cluster forms)
  SESSION_TTL           how long an idle conversation is kept (default 168h)
  LOG_LEVEL             debug, info, warn, error (default info; warn for console)
  LOG_FORMAT            json (default) or text
`

// command splits args into the command and its arguments. No command, or a flag first, is serve.
func command(args []string) (cmd string, rest []string) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "-help" && args[0] != "--help" {
		return "serve", args
	}
	return args[0], args[1:]
}

// run is the whole program: it reads settings from args and getenv, builds everything, and
// returns when the command is done or ctx is cancelled (then nil: a clean exit). A value on
// reload makes serve re-read its config; nil never reloads.
func run(ctx context.Context, reload <-chan struct{}, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, reload, args, getenv, stdin, stdout, stderr)
	switch {
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		return nil // stopped by the user or the orchestrator, as asked
	case errors.Is(err, errHelpShown):
		return nil
	}
	return err
}

func dispatch(ctx context.Context, reload <-chan struct{}, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, rest := command(args)
	switch cmd {
	case "serve":
		return runServe(ctx, reload, rest, getenv, stderr)
	case "console":
		return runConsole(ctx, rest, getenv, stdin, stdout, stderr)
	case "rank":
		return runRank(rest, getenv, stdout, stderr)
	case "understand":
		return runUnderstand(rest, getenv, stdout, stderr)
	case "check-config":
		return runCheckConfig(rest, getenv, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, getenv, stdout)
	case "help", "-h", "-help", "--help":
		_, err := io.WriteString(stdout, usage)
		return err
	}
	return fmt.Errorf("unknown command %q; run \"bot help\" for usage", cmd)
}

// listed words a failure made of problems: "what: " and the problem when there is one; else
// "what: N problems:" and then one problem a line.
func listed(what string, problems []string) error {
	if len(problems) == 1 {
		return fmt.Errorf("%s: %s", what, problems[0])
	}
	return fmt.Errorf("%s: %d problems:\n%s", what, len(problems), strings.Join(problems, "\n"))
}
