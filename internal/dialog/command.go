package dialog

import (
	"regexp"
	"strings"
)

// words maps whole typed messages to commands.
var words = map[string]Action{
	"skip": ActSkip, "pass": ActSkip, "next": ActSkip,
	"back": ActBack, "go back": ActBack, "previous": ActBack, "undo": ActBack,
	"done": ActFinish, "finish": ActFinish, "finish now": ActFinish, "rank": ActFinish, "rank now": ActFinish,
	"results": ActFinish, "show results": ActFinish,
	"restart": ActRestart, "start over": ActRestart, "reset": ActRestart,
	"resume": ActResume, "continue": ActResume,
	"status": ActStatus, "progress": ActStatus, "where am i": ActStatus,
	"help": ActHelp, "?": ActHelp, "commands": ActHelp,
}

// changeRE matches "change traffic to massive", "set team: small", "change 5" (answer optional).
var changeRE = regexp.MustCompile(`^(?:change|set|update)\s+(.+?)(?:\s+to\s+|\s*[:=]\s*)(.+)$|^(?:change|set|update)\s+(.+)$`)

// command is a typed message understood as a command.
type command struct {
	action   Action
	question string // change: the question reference as typed
	answer   string // change: the new answer as typed; empty to ask the question again
}

// parseCommand recognises a typed command. ok is false for anything else, which is then read as
// an answer.
func parseCommand(text string) (cmd command, ok bool) {
	t := normalize(text)
	if a, found := words[t]; found {
		return command{action: a}, true
	}
	if a, found := words[trimPunct(t)]; found {
		return command{action: a}, true
	}
	if m := changeRE.FindStringSubmatch(t); m != nil {
		if m[1] != "" {
			return command{action: ActChange, question: m[1], answer: m[2]}, true
		}
		return command{action: ActChange, question: m[3]}, true
	}
	return command{}, false
}

// looksLikeSlashCommand reports text such as "/foo", which is never an answer.
func looksLikeSlashCommand(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), "/")
}
