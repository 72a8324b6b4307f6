package slackfake

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
)

// Block Kit checks, answered as Slack answers them: every problem is one line
// "[ERROR] <what> [json-pointer:<where>]" in response_metadata.messages. These wordings appear in
// Slack answers quoted in public bug reports and SDK tests: "must be less than N characters",
// "must be more than 0 characters", "no more than N items allowed", "unsupported type: T",
// "must provide an object", "must define either `text` or `fields`", "failed to match all
// allowed schemas" and "must define `submit` to use an `input` block in modals". For a repeated
// id, a table's ragged row and a value of the wrong JSON type no Slack answer was found; the fake
// says "must be unique", "must have as many cells as the first row" and "must provide a string"
// (or "a number", "an array").
//
// The limits are the Block Kit reference's (docs.slack.dev/reference/block-kit), unless noted.
const (
	maxMessageBlocks   = 50
	maxViewBlocks      = 100
	maxText            = 3000 // any text object, and a section's text
	maxFields          = 10
	maxFieldText       = 2000
	maxBlockID         = 255
	maxHeaderText      = 150
	maxButtonText      = 75
	maxButtonValue     = 2000
	maxURL             = 3000
	maxActionID        = 255
	maxActionsElements = 25
	maxContextElements = 10
	maxSelectOptions   = 100 // options, or option groups, of a static select
	maxOptionText      = 75  // an option's text and description, a group's label
	maxOptionValue     = 150
	maxChoiceOptions   = 10 // checkboxes and radio buttons
	maxOverflowOptions = 5
	maxPlaceholder     = 150
	maxLabel           = 2000 // an input block's label and hint
	maxAltText         = 2000
	maxTableRows       = 100
	maxTableCells      = 20 // cells in a row, and column settings
	maxMarkdownText    = 12000
	maxViewButtonText  = 24 // a modal's title, submit and close
	maxPrivateMetadata = 3000
	maxCallbackID      = 255
	maxAccessibility   = 75 // a button's accessibility_label
)

// maxMessageText is the text all of a message's blocks may hold before Slack answers
// msg_blocks_too_long. Slack documents it only for markdown blocks ("cumulative 12,000
// characters", markdown block reference); a Slack maintainer gives the same figure for any blocks
// ("12,000 text characters with a buffer for block containers", slackapi/bolt-js#2509), and
// reports see the refusal at about 13,000 (ibid.; bolt-js#2867 at 11,341 of counted text). The
// fake counts every "text" string in the blocks.
const maxMessageText = 12000

// surface is where blocks are shown: a message, or the type of a view.
type surface string

const (
	inMessage surface = "message"
	inModal   surface = "modal"
	inHome    surface = "home"
)

var everywhere = []surface{inMessage, inModal, inHome}

// blockSurfaces lists the block types the fake knows and where Slack shows them
// (docs.slack.dev/blocks.json; input blocks joined messages in April 2021). Tables are for
// messages: no Slack reference or report shows one in a view.
var blockSurfaces = map[string][]surface{
	"actions": everywhere, "context": everywhere, "divider": everywhere, "header": everywhere,
	"image": everywhere, "input": everywhere, "rich_text": everywhere, "section": everywhere,
	"video": everywhere, "card": everywhere,
	"carousel":  {inMessage, inHome},
	"alert":     {inModal},
	"container": {inMessage}, "file": {inMessage}, "markdown": {inMessage}, "table": {inMessage},
}

// knownElements are the block element types the fake accepts.
var knownElements = map[string]bool{
	"button": true, "checkboxes": true, "radio_buttons": true, "overflow": true, "image": true,
	"datepicker": true, "timepicker": true, "datetimepicker": true, "workflow_button": true,
	"plain_text_input": true, "email_text_input": true, "url_text_input": true, "number_input": true,
	"rich_text_input": true, "file_input": true,
	"static_select": true, "multi_static_select": true, "external_select": true, "multi_external_select": true,
	"users_select": true, "multi_users_select": true, "conversations_select": true,
	"multi_conversations_select": true, "channels_select": true, "multi_channels_select": true,
}

// textKind says which text objects a field takes.
type textKind int

const (
	anyText   textKind = iota // plain_text or mrkdwn
	plainText                 // plain_text only
)

// blockCheck collects the problems of one message's or view's blocks.
type blockCheck struct {
	surface  surface
	problems []string
	blockIDs map[string]bool
}

func newBlockCheck(s surface) *blockCheck {
	return &blockCheck{surface: s, blockIDs: map[string]bool{}}
}

// pointed is one of Slack's explanations: "[ERROR] <what> [json-pointer:<where>]".
func pointed(ptr, format string, args ...any) string {
	return fmt.Sprintf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), ptr)
}

func (c *blockCheck) fail(ptr, format string, args ...any) {
	c.problems = append(c.problems, pointed(ptr, format, args...))
}

// checkMessageBlocks returns Slack's refusal of a message's blocks (its "blocks" argument), or
// false when Slack would take them: invalid_blocks_format for JSON that is no JSON (chat.postMessage
// reference), invalid_blocks with the problems, then the totals. A message may hold one table: a
// second draws invalid_attachments with only_one_table_allowed (reported for tables in messages;
// the fake assumes the same answer for top-level blocks).
func checkMessageBlocks(raw json.RawMessage) (reply, bool) {
	var blocks any
	if json.Unmarshal(raw, &blocks) != nil {
		return fail("invalid_blocks_format"), true
	}
	c := newBlockCheck(inMessage)
	c.items("/blocks", blocks, maxMessageBlocks, c.block)
	switch {
	case len(c.problems) > 0:
		return refusal("invalid_blocks", c.problems...), true
	case tableCount(blocks) > 1:
		return refusal("invalid_attachments", "[ERROR] only_one_table_allowed"), true
	case textChars(blocks) > maxMessageText:
		return fail("msg_blocks_too_long"), true
	}
	return reply{}, false
}

// checkView returns Slack's refusal of a view for views.open (surface inModal) or views.publish
// (inHome): invalid_arguments with the problems. views.open's view may be one of several schemas,
// so Slack first says none matched (seen in views.open answers).
func checkView(view map[string]any, s surface) (reply, bool) {
	c := newBlockCheck(s)
	if view["type"] != string(s) {
		c.fail("/view/type", "unsupported type: %v", view["type"])
	}
	c.optLength("/view", view, "private_metadata", maxPrivateMetadata)
	c.optLength("/view", view, "callback_id", maxCallbackID)
	if s == inModal {
		c.modal(view)
	}
	c.items("/view/blocks", view["blocks"], maxViewBlocks, c.block)
	if len(c.problems) == 0 {
		return reply{}, false
	}
	if s == inModal {
		c.problems = slices.Insert(c.problems, 0, "[ERROR] failed to match all allowed schemas [json-pointer:/view]")
	}
	return refusal("invalid_arguments", c.problems...), true
}

func (c *blockCheck) modal(view map[string]any) {
	c.text("/view/title", view["title"], maxViewButtonText, plainText)
	c.optText("/view", view, "submit", maxViewButtonText, plainText)
	c.optText("/view", view, "close", maxViewButtonText, plainText)
	if _, found := view["submit"]; found {
		return
	}
	blocks, _ := view["blocks"].([]any)
	for i, b := range blocks {
		if m, _ := b.(map[string]any); m["type"] == "input" {
			c.fail(fmt.Sprintf("/view/blocks/%d/input", i), "must define `submit` to use an `input` block in modals")
			return
		}
	}
}

// items checks that v is an array of at most max items and checks each with each.
func (c *blockCheck) items(ptr string, v any, max int, each func(ptr string, item any)) {
	list, ok := v.([]any)
	if !ok {
		c.fail(ptr, "must provide an array")
		return
	}
	if len(list) > max {
		c.fail(ptr, "no more than %d items allowed", max)
	}
	for i, item := range list {
		each(fmt.Sprintf("%s/%d", ptr, i), item)
	}
}

// object returns v as a JSON object, or reports that it is not one.
func (c *blockCheck) object(ptr string, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		c.fail(ptr, "must provide an object")
	}
	return m, ok
}

// length checks that v is a string of min..max characters (runes, as slack-go counts them).
func (c *blockCheck) length(ptr string, v any, min, max int) {
	s, ok := v.(string)
	if !ok {
		c.fail(ptr, "must provide a string")
		return
	}
	switch n := utf8.RuneCountInString(s); {
	case n < min:
		c.fail(ptr, "must be more than %d characters", min-1)
	case n > max:
		c.fail(ptr, "must be less than %d characters", max+1)
	}
}

// optLength checks m[key], when present, as a string of at most max characters.
func (c *blockCheck) optLength(ptr string, m map[string]any, key string, max int) {
	if v, found := m[key]; found {
		c.length(ptr+"/"+key, v, 0, max)
	}
}

// text checks a text object holding 1..max characters.
func (c *blockCheck) text(ptr string, v any, max int, kind textKind) {
	t, ok := c.object(ptr, v)
	if !ok {
		return
	}
	if typ := t["type"]; typ != "plain_text" && (kind == plainText || typ != "mrkdwn") {
		c.fail(ptr+"/type", "unsupported type: %v", typ)
		return
	}
	c.length(ptr+"/text", t["text"], 1, max)
}

// optText checks m[key], when present, as a text object.
func (c *blockCheck) optText(ptr string, m map[string]any, key string, max int, kind textKind) {
	if v, found := m[key]; found {
		c.text(ptr+"/"+key, v, max, kind)
	}
}

func (c *blockCheck) block(ptr string, v any) {
	b, ok := c.object(ptr, v)
	if !ok {
		return
	}
	typ, _ := b["type"].(string)
	if !slices.Contains(blockSurfaces[typ], c.surface) {
		c.fail(ptr+"/type", "unsupported type: %s", typ)
		return
	}
	c.blockID(ptr, b)
	switch typ {
	case "section":
		c.section(ptr, b)
	case "header":
		c.text(ptr+"/text", b["text"], maxHeaderText, plainText)
	case "context":
		c.items(ptr+"/elements", b["elements"], maxContextElements, c.contextElement)
	case "actions":
		c.actions(ptr, b)
	case "input":
		c.text(ptr+"/label", b["label"], maxLabel, plainText)
		c.optText(ptr, b, "hint", maxLabel, plainText)
		c.element(ptr+"/element", b["element"])
	case "image":
		c.image(ptr, b)
	case "markdown":
		c.length(ptr+"/text", b["text"], 1, maxMarkdownText)
	case "table":
		c.table(ptr, b)
	}
}

// blockID checks a block's block_id, which must be unique within the message or view.
func (c *blockCheck) blockID(ptr string, b map[string]any) {
	v, found := b["block_id"]
	if !found {
		return
	}
	c.length(ptr+"/block_id", v, 1, maxBlockID)
	if id, _ := v.(string); id != "" {
		if c.blockIDs[id] {
			c.fail(ptr+"/block_id", "must be unique")
		}
		c.blockIDs[id] = true
	}
}

func (c *blockCheck) section(ptr string, b map[string]any) {
	_, hasText := b["text"]
	fields, hasFields := b["fields"]
	if !hasText && !hasFields {
		c.fail(ptr+"/type", "must define either `text` or `fields`")
	}
	c.optText(ptr, b, "text", maxText, anyText)
	if hasFields {
		c.items(ptr+"/fields", fields, maxFields, func(p string, f any) { c.text(p, f, maxFieldText, anyText) })
	}
	if accessory, found := b["accessory"]; found {
		c.element(ptr+"/accessory", accessory)
	}
}

// contextElement checks an element of a context block: an image or a text object.
func (c *blockCheck) contextElement(ptr string, v any) {
	if m, _ := v.(map[string]any); m["type"] == "image" {
		c.element(ptr, v)
		return
	}
	c.text(ptr, v, maxText, anyText)
}

// actions checks an actions block, whose elements' action_ids must be unique within it.
func (c *blockCheck) actions(ptr string, b map[string]any) {
	seen := map[string]bool{}
	c.items(ptr+"/elements", b["elements"], maxActionsElements, func(p string, e any) {
		c.element(p, e)
		m, _ := e.(map[string]any)
		if id, _ := m["action_id"].(string); id != "" {
			if seen[id] {
				c.fail(p+"/action_id", "must be unique")
			}
			seen[id] = true
		}
	})
}

func (c *blockCheck) image(ptr string, b map[string]any) {
	c.length(ptr+"/alt_text", b["alt_text"], 1, maxAltText)
	c.optText(ptr, b, "title", maxAltText, plainText)
	c.optLength(ptr, b, "image_url", maxURL)
}

func (c *blockCheck) element(ptr string, v any) {
	e, ok := c.object(ptr, v)
	if !ok {
		return
	}
	typ, _ := e["type"].(string)
	if !knownElements[typ] {
		c.fail(ptr+"/type", "unsupported type: %s", typ)
		return
	}
	c.optLength(ptr, e, "action_id", maxActionID)
	c.optText(ptr, e, "placeholder", maxPlaceholder, plainText)
	switch typ {
	case "button":
		c.text(ptr+"/text", e["text"], maxButtonText, plainText)
		c.optLength(ptr, e, "value", maxButtonValue)
		c.optLength(ptr, e, "url", maxURL)
		c.optLength(ptr, e, "accessibility_label", maxAccessibility)
	case "static_select", "multi_static_select":
		c.staticSelect(ptr, e)
	case "checkboxes", "radio_buttons":
		c.options(ptr+"/options", e["options"], maxChoiceOptions, anyText)
	case "overflow":
		c.options(ptr+"/options", e["options"], maxOverflowOptions, plainText)
	case "image":
		c.length(ptr+"/alt_text", e["alt_text"], 1, maxAltText)
	}
}

// staticSelect checks a static select's options, or its option groups.
func (c *blockCheck) staticSelect(ptr string, e map[string]any) {
	groups, grouped := e["option_groups"]
	if !grouped {
		c.options(ptr+"/options", e["options"], maxSelectOptions, plainText)
		return
	}
	c.items(ptr+"/option_groups", groups, maxSelectOptions, func(p string, v any) {
		if g, ok := c.object(p, v); ok {
			c.text(p+"/label", g["label"], maxOptionText, plainText)
			c.options(p+"/options", g["options"], maxSelectOptions, plainText)
		}
	})
}

func (c *blockCheck) options(ptr string, v any, max int, kind textKind) {
	c.items(ptr, v, max, func(p string, v any) {
		o, ok := c.object(p, v)
		if !ok {
			return
		}
		c.text(p+"/text", o["text"], maxOptionText, kind)
		c.optText(p, o, "description", maxOptionText, kind)
		c.optLength(p, o, "value", maxOptionValue)
	})
}

// table checks a table block: every row has as many cells as the first.
func (c *blockCheck) table(ptr string, b map[string]any) {
	width := -1
	c.items(ptr+"/rows", b["rows"], maxTableRows, func(p string, v any) {
		if row, ok := v.([]any); ok {
			if width < 0 {
				width = len(row)
			} else if len(row) != width {
				c.fail(p, "must have as many cells as the first row")
			}
		}
		c.items(p, v, maxTableCells, c.cell)
	})
	if settings, found := b["column_settings"]; found {
		c.items(ptr+"/column_settings", settings, maxTableCells, func(string, any) {})
	}
}

// cell checks a table cell: raw_text, raw_number or rich_text.
func (c *blockCheck) cell(ptr string, v any) {
	cell, ok := c.object(ptr, v)
	if !ok {
		return
	}
	switch cell["type"] {
	case "raw_text":
		c.length(ptr+"/text", cell["text"], 1, math.MaxInt)
	case "raw_number":
		if _, isNumber := cell["value"].(float64); !isNumber {
			c.fail(ptr+"/value", "must provide a number")
		}
	case "rich_text":
		c.items(ptr+"/elements", cell["elements"], math.MaxInt, func(string, any) {})
	default:
		c.fail(ptr+"/type", "unsupported type: %v", cell["type"])
	}
}

// tableCount counts the table blocks among blocks.
func tableCount(blocks any) int {
	list, _ := blocks.([]any)
	n := 0
	for _, b := range list {
		if m, _ := b.(map[string]any); m["type"] == "table" {
			n++
		}
	}
	return n
}

// textChars counts the characters of every "text" string in v, at any depth.
func textChars(v any) int {
	n := 0
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			n += textChars(item)
		}
	case map[string]any:
		for k, item := range v {
			if s, isString := item.(string); isString && k == "text" {
				n += utf8.RuneCountInString(s)
			} else {
				n += textChars(item)
			}
		}
	}
	return n
}
