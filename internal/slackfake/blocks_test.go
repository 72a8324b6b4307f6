package slackfake_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackfake"
)

func chars(n int) string { return strings.Repeat("a", n) }
func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}
func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}
func section(s string) *slack.SectionBlock { return slack.NewSectionBlock(mrkdwn(s), nil, nil) }

func dividers(n int) []slack.Block {
	var out []slack.Block
	for range n {
		out = append(out, slack.NewDividerBlock())
	}
	return out
}

func fields(n, size int) []slack.Block {
	var fs []*slack.TextBlockObject
	for range n {
		fs = append(fs, mrkdwn(chars(size)))
	}
	return []slack.Block{slack.NewSectionBlock(nil, fs, nil)}
}

func buttons(n int) []slack.Block {
	var els []slack.BlockElement
	for i := range n {
		els = append(els, slack.NewButtonBlockElement(fmt.Sprintf("b%d", i), "v", plain("Go")))
	}
	return []slack.Block{slack.NewActionBlock("", els...)}
}

func button(actionID, value, text string) slack.BlockElement {
	return slack.NewButtonBlockElement(actionID, value, plain(text))
}

func actions(els ...slack.BlockElement) []slack.Block {
	return []slack.Block{slack.NewActionBlock("", els...)}
}

func options(n, textSize, valueSize int) []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for i := range n {
		out = append(out, slack.NewOptionBlockObject(fmt.Sprintf("%0*d", valueSize, i), plain(chars(textSize)), nil))
	}
	return out
}

func staticSelect(placeholder string, opts ...*slack.OptionBlockObject) []slack.Block {
	return actions(slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(placeholder), "pick", opts...))
}

func contextTexts(n, size int) []slack.Block {
	var els []slack.MixedElement
	for range n {
		els = append(els, mrkdwn(chars(size)))
	}
	return []slack.Block{slack.NewContextBlock("", els...)}
}

func withIDs(ids ...string) []slack.Block {
	var out []slack.Block
	for _, id := range ids {
		out = append(out, slack.NewSectionBlock(mrkdwn("x"), nil, nil, slack.SectionBlockOptionBlockID(id)))
	}
	return out
}

func cells(n int) []slack.TableCell {
	var out []slack.TableCell
	for range n {
		out = append(out, slack.NewTableRawTextCell("x"))
	}
	return out
}

func table(rows, width int) *slack.TableBlock {
	t := slack.NewTableBlock("")
	for range rows {
		t.AddRow(cells(width)...)
	}
	return t
}

func buttonWith(edit func(*slack.ButtonBlockElement)) []slack.Block {
	b := slack.NewButtonBlockElement("b", "v", plain("Go"))
	edit(b)
	return actions(b)
}

func optionGroups(n int) []slack.Block {
	var groups []*slack.OptionGroupBlockObject
	for i := range n {
		groups = append(groups, slack.NewOptionGroupBlockElement(plain("Group"), slack.NewOptionBlockObject(fmt.Sprint(i), plain("a"), nil)))
	}
	return actions(slack.NewOptionsGroupSelectBlockElement(slack.OptTypeStatic, plain("Pick"), "pick", groups...))
}

func described(size int) []slack.Block {
	return actions(slack.NewCheckboxGroupsBlockElement("c", slack.NewOptionBlockObject("v", plain("a"), mrkdwn(chars(size)))))
}

func hinted(size int) []slack.Block {
	return []slack.Block{slack.NewInputBlock("in", plain("Name"), plain(chars(size)), slack.NewPlainTextInputBlockElement(nil, "text"))}
}

func columns(n int) []slack.Block {
	settings := make([]slack.ColumnSetting, n)
	return []slack.Block{table(1, 1).WithColumnSettings(settings...)}
}

// raw decodes blocks from JSON, for blocks slack-go has no constructor for.
func raw(t *testing.T, js string) []slack.Block {
	t.Helper()
	var b slack.Blocks
	if err := json.Unmarshal([]byte(js), &b); err != nil {
		t.Fatal(err)
	}
	return b.BlockSet
}

// slackError returns the Slack error err carries.
func slackError(t *testing.T, err error) slack.SlackErrorResponse {
	t.Helper()
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a Slack error", err)
	}
	return se
}

// wantRefusal checks that err is Slack's refusal slackErr explaining itself with message.
func wantRefusal(t *testing.T, err error, slackErr, message string) {
	t.Helper()
	se := slackError(t, err)
	if se.Err != slackErr || !slices.Contains(se.ResponseMetadata.Messages, message) {
		t.Errorf("err = %q %q, want %q with %q", se.Err, se.ResponseMetadata.Messages, slackErr, message)
	}
}

// Each limit of a message's blocks: the blocks at the limit are posted, one past it draw
// invalid_blocks with Slack's explanation.
func TestMessageBlockLimits(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	for _, tc := range []struct {
		name    string
		ok, bad []slack.Block
		want    string
	}{
		{"blocks", dividers(50), dividers(51), "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"},
		{"section text", []slack.Block{section(chars(3000))}, []slack.Block{section(chars(3001))},
			"[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"},
		{"empty text", []slack.Block{section("a")}, []slack.Block{section("")},
			"[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]"},
		{"section without text or fields", []slack.Block{section("a")}, []slack.Block{slack.NewSectionBlock(nil, nil, nil)},
			"[ERROR] must define either `text` or `fields` [json-pointer:/blocks/0/type]"},
		{"fields", fields(10, 1), fields(11, 1), "[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]"},
		{"field text", fields(1, 2000), fields(1, 2001), "[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]"},
		{"block_id", withIDs(chars(255)), withIDs(chars(256)), "[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]"},
		{"repeated block_id", withIDs("a", "b"), withIDs("a", "a"), "[ERROR] must be unique [json-pointer:/blocks/1/block_id]"},
		{"header", []slack.Block{slack.NewHeaderBlock(plain(chars(150)))}, []slack.Block{slack.NewHeaderBlock(plain(chars(151)))},
			"[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]"},
		{"header in mrkdwn", []slack.Block{slack.NewHeaderBlock(plain("a"))}, []slack.Block{slack.NewHeaderBlock(mrkdwn("a"))},
			"[ERROR] unsupported type: mrkdwn [json-pointer:/blocks/0/text/type]"},
		{"context elements", contextTexts(10, 1), contextTexts(11, 1), "[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements]"},
		{"context text", contextTexts(1, 3000), contextTexts(1, 3001), "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/elements/0/text]"},
		{"actions elements", buttons(25), buttons(26), "[ERROR] no more than 25 items allowed [json-pointer:/blocks/0/elements]"},
		{"button text", actions(button("b", "v", chars(75))), actions(button("b", "v", chars(76))),
			"[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"},
		{"button value", actions(button("b", chars(2000), "Go")), actions(button("b", chars(2001), "Go")),
			"[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"},
		{"action_id", actions(button(chars(255), "v", "Go")), actions(button(chars(256), "v", "Go")),
			"[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]"},
		{"repeated action_id", append(actions(button("a", "v", "Go")), actions(button("a", "v", "Go"))...),
			actions(button("a", "v", "Go"), button("a", "v", "Go")),
			"[ERROR] must be unique [json-pointer:/blocks/0/elements/1/action_id]"},
		{"select options", staticSelect("Pick", options(100, 1, 1)...), staticSelect("Pick", options(101, 1, 3)...),
			"[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]"},
		{"option text", staticSelect("Pick", options(1, 75, 1)...), staticSelect("Pick", options(1, 76, 1)...),
			"[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/text/text]"},
		{"option value", staticSelect("Pick", options(1, 1, 150)...), staticSelect("Pick", options(1, 1, 151)...),
			"[ERROR] must be less than 151 characters [json-pointer:/blocks/0/elements/0/options/0/value]"},
		{"placeholder", staticSelect(chars(150), options(1, 1, 1)...), staticSelect(chars(151), options(1, 1, 1)...),
			"[ERROR] must be less than 151 characters [json-pointer:/blocks/0/elements/0/placeholder/text]"},
		{"multi select options",
			actions(slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plain("Pick"), "pick", options(100, 1, 3)...)),
			actions(slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plain("Pick"), "pick", options(101, 1, 3)...)),
			"[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]"},
		{"checkboxes", actions(slack.NewCheckboxGroupsBlockElement("c", options(10, 1, 2)...)),
			actions(slack.NewCheckboxGroupsBlockElement("c", options(11, 1, 2)...)),
			"[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements/0/options]"},
		{"radio buttons", actions(slack.NewRadioButtonsBlockElement("r", options(10, 1, 2)...)),
			actions(slack.NewRadioButtonsBlockElement("r", options(11, 1, 2)...)),
			"[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements/0/options]"},
		{"input label",
			[]slack.Block{slack.NewInputBlock("in", plain(chars(2000)), nil, slack.NewPlainTextInputBlockElement(nil, "text"))},
			[]slack.Block{slack.NewInputBlock("in", plain(chars(2001)), nil, slack.NewPlainTextInputBlockElement(nil, "text"))},
			"[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/label/text]"},
		{"table rows", []slack.Block{table(100, 2)}, []slack.Block{table(101, 2)},
			"[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/rows]"},
		{"table cells", []slack.Block{table(2, 20)}, []slack.Block{table(2, 21)},
			"[ERROR] no more than 20 items allowed [json-pointer:/blocks/0/rows/0]"},
		{"ragged table", []slack.Block{table(2, 3)}, []slack.Block{table(1, 3).AddRow(cells(2)...)},
			"[ERROR] must have as many cells as the first row [json-pointer:/blocks/0/rows/1]"},
		{"table cell types",
			[]slack.Block{slack.NewTableBlock("").AddRow(slack.NewTableRawTextCell("a"), slack.NewTableRawNumberCell(2),
				slack.NewTableRichTextCell(slack.NewRichTextSection(slack.NewRichTextSectionTextElement("b", nil))))},
			[]slack.Block{slack.NewTableBlock("").AddRow(slack.NewTableRawTextCell(""))},
			"[ERROR] must be more than 0 characters [json-pointer:/blocks/0/rows/0/0/text]"},
		{"overflow options", actions(slack.NewOverflowBlockElement("o", options(5, 1, 1)...)),
			actions(slack.NewOverflowBlockElement("o", options(6, 1, 1)...)),
			"[ERROR] no more than 5 items allowed [json-pointer:/blocks/0/elements/0/options]"},
		{"option groups", optionGroups(100), optionGroups(101),
			"[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/elements/0/option_groups]"},
		{"option description", described(75), described(76),
			"[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/description/text]"},
		{"button url", buttonWith(func(b *slack.ButtonBlockElement) { b.URL = "https://" + chars(2992) }),
			buttonWith(func(b *slack.ButtonBlockElement) { b.URL = "https://" + chars(2993) }),
			"[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]"},
		{"accessibility label", buttonWith(func(b *slack.ButtonBlockElement) { b.AccessibilityLabel = chars(75) }),
			buttonWith(func(b *slack.ButtonBlockElement) { b.AccessibilityLabel = chars(76) }),
			"[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/accessibility_label]"},
		{"image alt text", []slack.Block{slack.NewImageBlock("https://x.example/a.png", chars(2000), "", nil)},
			[]slack.Block{slack.NewImageBlock("https://x.example/a.png", chars(2001), "", nil)},
			"[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/alt_text]"},
		{"context image", []slack.Block{slack.NewContextBlock("", slack.NewImageBlockElement("https://x.example/a.png", "a"))},
			[]slack.Block{slack.NewContextBlock("", slack.NewImageBlockElement("https://x.example/a.png", ""))},
			"[ERROR] must be more than 0 characters [json-pointer:/blocks/0/elements/0/alt_text]"},
		{"input hint", hinted(2000), hinted(2001), "[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/hint/text]"},
		{"markdown block", []slack.Block{slack.NewMarkdownBlock("", chars(12000))}, []slack.Block{slack.NewMarkdownBlock("", chars(12001))},
			"[ERROR] must be less than 12001 characters [json-pointer:/blocks/0/text]"},
		{"column settings", columns(20), columns(21), "[ERROR] no more than 20 items allowed [json-pointer:/blocks/0/column_settings]"},
		{"unknown block", dividers(1), raw(t, `[{"type":"sparkles"}]`), "[ERROR] unsupported type: sparkles [json-pointer:/blocks/0/type]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(tc.ok...)); err != nil {
				t.Errorf("at the limit: %v", err)
			}
			_, _, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(tc.bad...))
			wantRefusal(t, err, "invalid_blocks", tc.want)
		})
	}
	if log := s.Log(); !strings.Contains(log, "-> error invalid_blocks [ERROR] no more than 50 items allowed [json-pointer:/blocks]") {
		t.Errorf("the log does not explain the refusal:\n%s", log)
	}
}

// Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
// (msg_blocks_too_long), and a message with a second table.
func TestMessageBlockTotals(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	post := func(blocks ...slack.Block) error {
		_, _, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(blocks...))
		return err
	}
	full := []slack.Block{section(chars(3000)), section(chars(3000)), section(chars(3000)), section(chars(3000))}
	if err := post(full...); err != nil {
		t.Errorf("12,000 characters: %v", err)
	}
	if err := post(append(full, section("a"))...); slackError(t, err).Err != "msg_blocks_too_long" {
		t.Errorf("12,001 characters: err = %v, want msg_blocks_too_long", err)
	}
	if err := post(table(2, 2), section("between")); err != nil {
		t.Errorf("one table: %v", err)
	}
	wantRefusal(t, post(table(2, 2), table(2, 2)), "invalid_attachments", "[ERROR] only_one_table_allowed")
}

// chat.update and chat.postEphemeral check blocks as chat.postMessage does; a refused update
// leaves the message as it was.
func TestUpdateAndEphemeralCheckBlocks(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	_, ts, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(section("before")))
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, err = api.UpdateMessageContext(ctx, "DU1", ts, slack.MsgOptionBlocks(section(chars(3001))))
	wantRefusal(t, err, "invalid_blocks", "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]")
	if m, _ := s.Message("DU1", ts); !strings.Contains(string(m.Blocks), "before") || m.Updated != 0 {
		t.Errorf("after a refused update the message is %+v", m)
	}
	_, err = api.PostEphemeralContext(ctx, "DU1", "U1", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(dividers(51)...))
	wantRefusal(t, err, "invalid_blocks", "[ERROR] no more than 50 items allowed [json-pointer:/blocks]")
}

// views.publish checks the Home tab's blocks (100 of them; no table) and answers invalid_arguments.
func TestHomeViewLimits(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	publish := func(blocks ...slack.Block) error {
		_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1",
			View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}})
		return err
	}
	if err := publish(dividers(100)...); err != nil {
		t.Errorf("100 blocks: %v", err)
	}
	wantRefusal(t, publish(dividers(101)...), "invalid_arguments", "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]")
	wantRefusal(t, publish(table(1, 1)), "invalid_arguments", "[ERROR] unsupported type: table [json-pointer:/view/blocks/0/type]")
	_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1",
		View: slack.HomeTabViewRequest{Type: slack.VTModal, Blocks: slack.Blocks{BlockSet: dividers(1)}}})
	wantRefusal(t, err, "invalid_arguments", "[ERROR] unsupported type: modal [json-pointer:/view/type]")
	wantRefusal(t, publish(section(chars(3001))), "invalid_arguments",
		"[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]")
}
