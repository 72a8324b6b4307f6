package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Canvas is a canvas the bot created with canvases.create or conversations.canvases.create.
type Canvas struct {
	ID, Title string
	// Markdown is the document: the markdown it was created with, after the edits that apply to the
	// whole canvas (insert_at_start, insert_at_end, replace without section_id). The fake keeps no
	// sections, so edits of a section are only recorded in Edits.
	Markdown      string
	Channel       string // the channel it is tabbed in; "" for a standalone canvas
	ChannelCanvas bool   // the channel's canvas (conversations.canvases.create)
	Edits         []CanvasEdit
	Access        map[string]string // user or channel id -> access level granted with canvases.access.set
}

// CanvasEdit is one change canvases.edit applied.
type CanvasEdit struct {
	Operation, SectionID, Markdown string
}

// Permalink is the canvas's link as files.info answers it: WorkspaceURL + "docs/<team>/<id>".
func (c Canvas) Permalink() string { return fmt.Sprintf("%sdocs/%s/%s", WorkspaceURL, TeamID, c.ID) }

func (c Canvas) clone() Canvas {
	c.Edits, c.Access = slices.Clone(c.Edits), maps.Clone(c.Access)
	return c
}

// Canvases returns the canvases created so far, in creation order.
func (s *Server) Canvases() []Canvas {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Canvas, 0, len(s.canvases))
	for _, c := range s.canvases {
		out = append(out, c.clone())
	}
	return out
}

// Canvas returns the canvas with id id, and whether there is one.
func (s *Server) Canvas(id string) (Canvas, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.canvasLocked(id); c != nil {
		return c.clone(), true
	}
	return Canvas{}, false
}

// WaitCanvas returns the first canvas (created before or later) for which match returns true
// (nil matches any), in its current state, or ctx.Err() if ctx ends first.
func (s *Server) WaitCanvas(ctx context.Context, match func(Canvas) bool) (Canvas, error) {
	return waitRecord(ctx, s, "a canvas", func() []*Canvas { return s.canvases }, (*Canvas).clone, match)
}

func (s *Server) canvasLocked(id string) *Canvas {
	i := slices.IndexFunc(s.canvases, func(c *Canvas) bool { return c.ID == id })
	if i < 0 {
		return nil
	}
	return s.canvases[i]
}

// document is a document_content argument.
type document struct {
	Type     string `json:"type"`
	Markdown string `json:"markdown"`
}

// parseDocument parses the document_content at ptr, which must be {"type":"markdown",...}
// (canvases take markdown only). It returns the markdown, or Slack's explanation of the problem.
func parseDocument(raw json.RawMessage, ptr string) (markdown, problem string) {
	var doc document
	if json.Unmarshal(raw, &doc) != nil {
		return "", pointed(ptr, "must provide an object")
	}
	if doc.Type != "markdown" {
		return "", pointed(ptr+"/type", "unsupported type: %s", doc.Type)
	}
	return doc.Markdown, ""
}

func (s *Server) createCanvas(args map[string]string) reply { return s.newCanvasLocked(args, false) }

func (s *Server) createChannelCanvas(args map[string]string) reply {
	if args["channel_id"] == "" {
		return missing("channel_id")
	}
	return s.newCanvasLocked(args, true)
}

// newCanvasLocked creates a canvas from the arguments of canvases.create or (channelCanvas)
// conversations.canvases.create, of which a channel has one.
func (s *Server) newCanvasLocked(args map[string]string, channelCanvas bool) reply {
	ch := args["channel_id"]
	if ch != "" {
		if e := s.postErrLocked(ch); e != "" {
			return fail(e)
		}
	}
	if channelCanvas && slices.ContainsFunc(s.canvases, func(c *Canvas) bool { return c.ChannelCanvas && c.Channel == ch }) {
		return fail("channel_canvas_already_exists")
	}
	var markdown string
	if raw, found := args["document_content"]; found {
		md, problem := parseDocument(json.RawMessage(raw), "/document_content")
		if problem != "" {
			return refusal("invalid_arguments", problem)
		}
		markdown = md
	}
	c := &Canvas{ID: fmt.Sprintf("F%08d", s.nextIDLocked()), Title: args["title"], Markdown: markdown,
		Channel: ch, ChannelCanvas: channelCanvas, Access: map[string]string{}}
	s.canvases = append(s.canvases, c)
	return ok(map[string]any{"canvas_id": c.ID}, "canvas_id="+c.ID)
}

// canvasChange is one element of canvases.edit's changes.
type canvasChange struct {
	Operation       string          `json:"operation"`
	SectionID       string          `json:"section_id"`
	DocumentContent json.RawMessage `json:"document_content"`
}

// canvasOperations are canvases.edit's operations and whether each needs a section_id and a
// document_content (canvases.edit reference; replace without section_id replaces the whole canvas).
var canvasOperations = map[string]struct{ section, content bool }{
	"insert_after": {true, true}, "insert_before": {true, true}, "insert_at_start": {false, true},
	"insert_at_end": {false, true}, "replace": {false, true}, "delete": {true, false},
}

func (s *Server) editCanvas(args map[string]string) reply {
	var changes []canvasChange
	switch err := json.Unmarshal([]byte(args["changes"]), &changes); {
	case err != nil:
		return refusal("invalid_arguments", pointed("/changes", "must provide an array"))
	case len(changes) == 0:
		return refusal("invalid_arguments", pointed("/changes", "no fewer than 1 items allowed"))
	case len(changes) > 1:
		// One change a call: Slack's answer to two, quoted in public reports.
		return refusal("invalid_arguments", pointed("/changes", "no more than 1 items allowed"))
	}
	edit, problem := parseChange(changes[0], "/changes/0")
	if problem != "" {
		return refusal("invalid_arguments", problem)
	}
	c := s.canvasLocked(args["canvas_id"])
	if c == nil {
		return fail("canvas_not_found")
	}
	c.apply(edit)
	return ok(nil, "")
}

// parseChange checks one change at ptr, and returns it or Slack's explanation of its problem.
func parseChange(ch canvasChange, ptr string) (CanvasEdit, string) {
	op, known := canvasOperations[ch.Operation]
	switch {
	case !known:
		return CanvasEdit{}, pointed(ptr+"/operation", "must be one of insert_after, insert_before, insert_at_start, insert_at_end, replace, delete")
	case op.section && ch.SectionID == "":
		return CanvasEdit{}, pointed(ptr, "missing required field: section_id")
	case op.content && ch.DocumentContent == nil:
		return CanvasEdit{}, pointed(ptr, "missing required field: document_content")
	}
	edit := CanvasEdit{Operation: ch.Operation, SectionID: ch.SectionID}
	if op.content {
		md, problem := parseDocument(ch.DocumentContent, ptr+"/document_content")
		if problem != "" {
			return CanvasEdit{}, problem
		}
		edit.Markdown = md
	}
	return edit, ""
}

func (c *Canvas) apply(e CanvasEdit) {
	c.Edits = append(c.Edits, e)
	switch {
	case e.Operation == "insert_at_start":
		c.Markdown = joinMarkdown(e.Markdown, c.Markdown)
	case e.Operation == "insert_at_end":
		c.Markdown = joinMarkdown(c.Markdown, e.Markdown)
	case e.Operation == "replace" && e.SectionID == "":
		c.Markdown = e.Markdown
	}
}

func joinMarkdown(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return strings.TrimRight(a, "\n") + "\n" + b
}

// maxAccessIDs is how many users or channels one canvases.access.set call may name (reference).
const maxAccessIDs = 20

// setCanvasAccess follows canvases.access.set's reference: one of user_ids or channel_ids
// (invalid_parameters otherwise), owner for users only (invalid_arguments), and channel_ids of
// regular channels only: DMs "will not be accepted", for which the fake answers channel_not_found,
// as it does for channels it does not know.
func (s *Server) setCanvasAccess(args map[string]string) reply {
	level := args["access_level"]
	users, hasUsers := args["user_ids"]
	channels, hasChannels := args["channel_ids"]
	switch {
	case level != "read" && level != "write" && level != "owner":
		return refusal("invalid_arguments", pointed("/access_level", "must be one of read, write, owner"))
	case hasUsers == hasChannels:
		return fail("invalid_parameters")
	case hasChannels && level == "owner":
		return fail("invalid_arguments")
	}
	key, list := "user_ids", users
	if hasChannels {
		key, list = "channel_ids", channels
	}
	var ids []string
	switch err := json.Unmarshal([]byte(list), &ids); {
	case err != nil:
		return refusal("invalid_arguments", pointed("/"+key, "must provide an array"))
	case len(ids) == 0:
		return refusal("invalid_arguments", pointed("/"+key, "no fewer than 1 items allowed"))
	case len(ids) > maxAccessIDs:
		return refusal("invalid_arguments", pointed("/"+key, "no more than %d items allowed", maxAccessIDs))
	}
	c := s.canvasLocked(args["canvas_id"])
	if c == nil {
		return fail("canvas_not_found")
	}
	for _, id := range ids {
		if _, known := s.channels[id]; hasChannels && !known {
			return fail("channel_not_found")
		}
	}
	for _, id := range ids {
		c.Access[id] = level
	}
	return ok(nil, "")
}
