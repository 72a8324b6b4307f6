package blockkit

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
)

// Slack's limits on a modal.
const (
	maxModalBlocks = 100
	maxModalText   = 24   // title, submit and close
	maxInputText   = 2000 // an input's label and hint
)

// ReviewModal is the form that edits every answer at once: an optional input per question, its
// current answer selected, the Control of the result it was opened from as private metadata.
// Past Slack's 100 blocks it shows the first questions and says so.
func ReviewModal(prompts []dialog.Prompt, c Control) slack.ModalViewRequest {
	shown := prompts
	if len(prompts) > maxModalBlocks {
		shown = prompts[:maxModalBlocks-1]
	}
	var blocks []slack.Block
	for i := range shown {
		blocks = append(blocks, reviewInput(&shown[i]))
	}
	if len(shown) < len(prompts) {
		blocks = append(blocks, contextText(fmt.Sprintf("This form holds the first %d of %d questions; change the others in the thread.", len(shown), len(prompts))))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      ReviewCallback,
		Title:           plain("Review answers", maxModalText),
		Submit:          plain("Apply changes", maxModalText),
		Close:           plain("Cancel", maxModalText),
		PrivateMetadata: c.Encode(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// reviewInput is one question of the review modal.
func reviewInput(p *dialog.Prompt) *slack.InputBlock {
	var hint *slack.TextBlockObject
	if p.Help != "" {
		hint = plain(p.Help, maxInputText)
	}
	label := plain(fmt.Sprintf("%d. %s", p.Number, p.Text), maxInputText)
	return slack.NewInputBlock(ReviewBlockPrefix+p.QuestionID, label, hint, reviewElement(p)).WithOptional(true)
}

// reviewElement is a menu for a one-choice question, a chooser for a several-choice one.
func reviewElement(p *dialog.Prompt) slack.BlockElement {
	const unanswered = "Not answered"
	if p.Kind == catalog.Several {
		return chooser(p, unanswered)
	}
	opts, selected := choiceOptions(p)
	menu := staticSelect(ActChoose, unanswered, opts)
	if len(selected) > 0 {
		menu.InitialOption = selected[0]
	}
	return menu
}

// ReviewAnswers reads a submitted review modal: the Control it was opened with, and the option
// ids chosen for each question answered in it. It fails on a view that is not a review modal or
// whose private metadata this package did not encode.
func ReviewAnswers(view slack.View) (Control, catalog.Answers, error) {
	if view.CallbackID != ReviewCallback {
		return Control{}, nil, fmt.Errorf("view %q is not the review modal", view.CallbackID)
	}
	c, err := DecodeControl(view.PrivateMetadata)
	if err != nil {
		return Control{}, nil, fmt.Errorf("review modal: %w", err)
	}
	answers := catalog.Answers{}
	if view.State == nil {
		return c, answers, nil
	}
	for blockID, actions := range view.State.Values {
		qid, ok := strings.CutPrefix(blockID, ReviewBlockPrefix)
		if !ok {
			continue
		}
		var ids []string
		for _, a := range actions {
			if a.SelectedOption.Value != "" {
				ids = append(ids, a.SelectedOption.Value)
			}
			for _, o := range a.SelectedOptions {
				ids = append(ids, o.Value)
			}
		}
		if len(ids) > 0 {
			answers[qid] = ids
		}
	}
	return c, answers, nil
}
