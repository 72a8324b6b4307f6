package dialog

import (
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// Action says what an Input asks for.
type Action int

// The actions. Controls (buttons, menus) send the specific actions; typed text is ActText and is
// parsed into a command or an answer.
const (
	ActText    Action = iota // typed text: a command, an answer, or a description of the project
	ActStart                 // start a conversation; Text may describe the project
	ActAnswer                // answer Question with Options
	ActSkip                  // skip the current question
	ActBack                  // go back to the previous question
	ActFinish                // rank now with what is known
	ActRestart               // drop the conversation and start over
	ActResume                // continue the conversation in progress
	ActStatus                // show progress
	ActHelp                  // explain the commands
	ActChange                // ask Question again, to change its answer
	ActUndo                  // take back the last answers read from typed text
	// After the shortlist.
	ActWhyNot   // explain why Frameworks[0] is not the top pick
	ActCompare  // compare Frameworks[0] with Frameworks[1], or alone with the top pick
	ActShow     // show the Detail of the shortlist
	ActFirmness // say how firm the top pick is
	ActKeep     // keep the what-if last shown
	ActExport   // write the decision record
	ActReview   // open every answer for review (Answers nil), or apply the Answers reviewed
)

// Detail says which part of a shortlist a reply shows.
type Detail int

// The details. A result is compact unless more is asked for.
const (
	DetailCompact   Detail = iota // the top choices with their strongest reason and watchout
	DetailReasons                 // the top choices with every reason and watchout
	DetailChecklist               // the final checklist
	DetailPlan                    // the proof-of-concept plan
	DetailRanking                 // every framework, one line each
	DetailAll                     // all of it
)

// Input is one conversation turn from the user.
type Input struct {
	Action   Action
	Text     string
	Question string   // ActAnswer, ActChange
	Options  []string // ActAnswer: chosen option ids
	// Frameworks are the framework ids of ActWhyNot (one) and ActCompare (two).
	Frameworks []string
	Detail     Detail // ActShow
	// WhatIf is the what-if a Keep control keeps (Reply.WhatIf); a control whose what-if is no
	// longer the one on offer is stale. Empty for a typed keep, which keeps the one on offer.
	WhatIf  string
	Answers catalog.Answers // ActReview: the answers reviewed (question id -> option ids)
	// Session and Step are those of the Reply the control was rendered from; empty for typed
	// input. A control whose Session or Step no longer matches is stale.
	Session string
	Step    int
}

// NoteKind tells a renderer how to present a Note.
type NoteKind int

// The note kinds.
const (
	NoteInfo    NoteKind = iota // neutral information
	NoteSaved                   // something was recorded: prefilled or changed answers
	NoteUnclear                 // the input could not be understood; the note lists what would be
	NoteRefused                 // the input was refused (too long, unknown command)
)

// Note is one short message to the user, in plain text (no markup). It may quote a word the user
// typed (a corrected typo), so front ends must escape it like any user text.
type Note struct {
	Kind NoteKind
	Text string
}

// Reply is everything a front end needs to render one turn. Exactly the non-nil parts are shown.
type Reply struct {
	// Session and Step identify the state this reply reflects; controls rendered from it must
	// carry them back in Input.
	Session string
	Step    int

	Notes []Note
	// Undo is set when the notes confirm answers read from typed text: offer a one-tap way back
	// (an Input with ActUndo and this reply's Session and Step).
	Undo bool
	// Explain answers a question back about a checklist question.
	Explain *Explanation
	// Answered is the question this turn answered or skipped, so a front end can show the answer:
	// in place of the question's controls after a click, or as how a typed answer was read.
	Answered *Answered
	// Ask is the question waiting for an answer. Reask is true when it was already shown and is
	// unchanged (after help, status or an unclear answer).
	Ask   *Prompt
	Reask bool
	// Resume is set when a conversation is in progress and the user asked to start: offer to
	// resume it or start over.
	Resume *Status
	Status *Status
	Help   []Command
	Result *ranking.Result
	// Detail says which part of Result to show.
	Detail Detail
	// Firmness says how firm Result's top pick is (or answers "how sure are you?" alone).
	Firmness *ranking.Firmness
	// Movement is what the last change of answers did to the shortlist, shown before it. When
	// Hypothetical, the change is a what-if that was not saved: offer to keep it (ActKeep).
	Movement     *ranking.Movement
	Hypothetical bool
	// WhatIf names the hypothetical change, for the control that keeps it (Input.WhatIf).
	WhatIf  string
	WhyNot  *ranking.WhyNot
	Compare *ranking.Comparison
	// Export is the decision record to write, for the front end to render (package record).
	Export *Export
	// Review lists every question with its current answer, for a form that edits them all at
	// once (returned as ActReview with Answers).
	Review []Prompt
	// Questions lists the checklist's questions (ID, and the short name as Label) with a Result,
	// for a control that changes an earlier answer.
	Questions []Choice
	// Lifecycle says what this turn did to the conversation as a whole (for metrics).
	Lifecycle Lifecycle
}

// Export is what a decision record is written from: the shortlist and how firm it is, the day,
// the questions left open and the catalog's seeds.
type Export struct {
	Result   ranking.Result
	Firmness ranking.Firmness
	Date     time.Time
	Open     []string // short names of the questions left open (catalog.Open)
	Seeds    []catalog.Seed
}

// Lifecycle marks the turns that start, complete or abandon a conversation.
type Lifecycle struct {
	Started   bool // a new conversation began
	Completed bool // the conversation reached its shortlist for the first time
	Abandoned bool // an unfinished conversation was replaced by a new one (restart)
}

// Prompt is a question to show.
type Prompt struct {
	QuestionID string
	Number     int // 1-based position in the checklist
	Total      int
	Text       string
	Help       string
	Kind       catalog.Kind
	Choices    []Choice
	CanGoBack  bool
}

// Choice is one option of a Prompt.
type Choice struct {
	ID       string
	Label    string
	Selected bool // the user's current answer, when a question is asked again
}

// Answered is a question the user just answered or skipped.
type Answered struct {
	QuestionID string
	Number     int // 1-based position in the checklist
	Total      int
	Text       string
	Short      string   // the question's short name, e.g. "team size"
	Answers    []string // option labels; empty when skipped or unsure
	Skipped    bool
	Unsure     bool // the user said they do not know
	// Typed: the answer was read from a typed message (a number, a label, own words, "skip" or
	// "not sure"), not a click, so the message the user is looking at is their own.
	Typed bool
}

// Explanation is what a checklist question and its options mean.
type Explanation struct {
	Question string // the question's text
	Help     string
	Tradeoff string
	Options  []Meaning
}

// Meaning is what one option means; Asked marks those the user asked about.
type Meaning struct {
	Label string
	Means string
	Asked bool
}

// Status is the progress of a conversation.
type Status struct {
	Answered  []ranking.Fact
	Skipped   []string // short names of skipped questions
	Unsure    []string // short names of questions the user did not know
	Remaining []string // short names of questions still to answer
	Total     int
	Finished  bool
}

// Command is one typed command, for help.
type Command struct {
	Usage string // e.g. "change <question> to <answer>"
	Does  string
}

// Commands lists what a user may type at any point of a conversation.
func Commands() []Command {
	return []Command{
		{"<number>, <label> or your own words", "answer the current question"},
		{"skip", "skip this question; it counts as neutral"},
		{"back", "go back to the previous question"},
		{"undo", "take back what I read from your last message"},
		{"change <question> to <answer>", "change an earlier answer, e.g. change traffic to massive, add go, drop java"},
		{"what is …? / not sure", "ask what a question or an option means, or say you don't know"},
		{"done", "rank now with what you have answered"},
		{"status", "show what is answered and what is left"},
		{"restart", "drop this conversation and start over"},
		{"help", "show this list"},
	}
}
