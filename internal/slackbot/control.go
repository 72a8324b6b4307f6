package slackbot

import (
	"fmt"
	"strconv"
	"strings"
)

// Action ids of the controls the bot renders. Option buttons are "answer:<option id>", so every
// action id is unique within its block.
const (
	actAnswerPrefix = "answer:"
	actChoose       = "choose" // checkboxes or multi-select of a several-choice question
	actDone         = "done"   // submits the choose control
	actSkip         = "skip"
	actBack         = "back"
	actFinish       = "finish"
	actResume       = "resume"
	actRestart      = "restart"
	actFullRanking  = "full_ranking"
	actChange       = "change" // static select of the question to change
	actShare        = "share"  // conversations select of the channel to share to
	actHomeStart    = "home_start"
)

// control is what a button or menu carries back: whose conversation it belongs to, and the
// conversation and step it was rendered at, so a click on an old message is recognised as stale.
type control struct {
	Owner    string // Slack user id
	Session  string
	Step     int
	Question string // optional
	Option   string // optional
}

const controlSep = "|"

// encode packs the control into a button value or block id (ids contain no "|").
func (c control) encode() string {
	return strings.Join([]string{c.Owner, c.Session, strconv.Itoa(c.Step), c.Question, c.Option}, controlSep)
}

// blockID prefixes the encoded control with a kind, for menus whose value Slack does not send.
func (c control) blockID(kind string) string { return kind + controlSep + c.encode() }

func decodeControl(s string) (control, error) {
	parts := strings.Split(s, controlSep)
	if len(parts) != 5 {
		return control{}, fmt.Errorf("control %q: want 5 fields, got %d", s, len(parts))
	}
	step, err := strconv.Atoi(parts[2])
	if err != nil {
		return control{}, fmt.Errorf("control %q: bad step: %w", s, err)
	}
	return control{Owner: parts[0], Session: parts[1], Step: step, Question: parts[3], Option: parts[4]}, nil
}

// decodeBlockID reverses blockID.
func decodeBlockID(blockID string) (kind string, c control, err error) {
	kind, rest, ok := strings.Cut(blockID, controlSep)
	if !ok {
		return "", control{}, fmt.Errorf("block id %q carries no control", blockID)
	}
	c, err = decodeControl(rest)
	return kind, c, err
}
