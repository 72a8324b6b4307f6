package blockkit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stackpick/stackpick/internal/dialog"
)

// Action ids of the controls the renderer draws. Option buttons are "answer:<option id>", so
// every action id is unique within its block.
const (
	ActAnswerPrefix = "answer:"
	ActChoose       = "choose" // checkboxes or multi-select of a several-choice question; any menu of the review modal
	ActDone         = "done"   // submits the choose control
	ActSkip         = "skip"
	ActBack         = "back"
	ActFinish       = "finish"
	ActResume       = "resume"
	ActRestart      = "restart"
	ActChange       = "change" // static select of the question to change
	ActShare        = "share"  // conversations select of the channel to share to
	ActUndo         = "undo"   // takes back the answers the notes confirm
	ActHomeStart    = "home_start"
	// After the shortlist.
	ActShowPrefix = "show:"   // "show:<detail>" shows a part of the shortlist (DetailNames)
	ActWhyNot     = "why_not" // static select of the framework to explain
	ActCompare    = "compare" // compares the framework in Control.Option with the top pick
	ActKeep       = "keep"    // keeps the what-if shown
	ActExport     = "export"  // writes the decision record (a canvas, or a Markdown file)
	ActReview     = "review"  // opens the modal that edits every answer at once
)

// ReviewCallback is the callback id of the review modal; its private metadata is the encoded
// Control of the result it was opened from, so a stale submit is recognised like a stale click.
const ReviewCallback = "review"

// ReviewBlockPrefix prefixes a question id into the block id of its input in the review modal.
const ReviewBlockPrefix = "q:"

// DetailNames names the details of a shortlist in action ids ("show:checklist").
var DetailNames = map[string]dialog.Detail{
	"reasons": dialog.DetailReasons, "checklist": dialog.DetailChecklist, "plan": dialog.DetailPlan,
	"ranking": dialog.DetailRanking, "all": dialog.DetailAll,
}

// Block kinds: the first part of the block id of a block whose control rides in its id.
const (
	// KindChoose is the block of a several-choice question's checkboxes or multi-select; the
	// selection is read from the click's state under Control.BlockID(KindChoose).
	KindChoose = "choose"
)

// Control is what a button or menu carries back: whose conversation it belongs to, and the
// conversation and step it was rendered at, so a click on an old message is recognised as stale.
type Control struct {
	Owner    string // Slack user id
	Session  string
	Step     int
	Question string // optional
	Option   string // optional
}

const controlSep = "|"

// Encode packs the control into a button value or block id (ids contain no "|").
func (c Control) Encode() string {
	return strings.Join([]string{c.Owner, c.Session, strconv.Itoa(c.Step), c.Question, c.Option}, controlSep)
}

// BlockID prefixes the encoded control with a kind, for menus whose value Slack does not send.
func (c Control) BlockID(kind string) string { return blockID(kind, c.Encode()) }

// blockID prefixes an encoded control with a kind.
func blockID(kind, encoded string) string { return kind + controlSep + encoded }

// DecodeControl reverses Encode; it fails on a value this package did not encode.
func DecodeControl(s string) (Control, error) {
	parts := strings.Split(s, controlSep)
	if len(parts) != 5 {
		return Control{}, fmt.Errorf("control %q: want 5 fields, got %d", s, len(parts))
	}
	step, err := strconv.Atoi(parts[2])
	if err != nil {
		return Control{}, fmt.Errorf("control %q: bad step: %w", s, err)
	}
	return Control{Owner: parts[0], Session: parts[1], Step: step, Question: parts[3], Option: parts[4]}, nil
}

// DecodeBlockID reverses BlockID.
func DecodeBlockID(blockID string) (kind string, c Control, err error) {
	kind, rest, ok := strings.Cut(blockID, controlSep)
	if !ok {
		return "", Control{}, fmt.Errorf("block id %q carries no control", blockID)
	}
	c, err = DecodeControl(rest)
	return kind, c, err
}
