package slackfake_test

import (
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackfake"
)

func markdown(s string) slack.DocumentContent {
	return slack.DocumentContent{Type: "markdown", Markdown: s}
}

// A canvas is created, tabbed in a DM, edited, shared with the DM's user, and found with
// files.info under the permalink Slack gives canvases.
func TestCanvasLifecycle(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)

	id, err := api.CreateCanvasContext(ctx, "Your stack", markdown("# Shortlist\n1. Go"), slack.CreateCanvasOptionChannelID("DU1"))
	if err != nil || !strings.HasPrefix(id, "F") {
		t.Fatalf("canvases.create = %q, %v", id, err)
	}
	for _, op := range []slack.CanvasChange{
		{Operation: "insert_at_end", DocumentContent: markdown("2. Rust")},
		{Operation: "insert_at_start", DocumentContent: markdown("_Draft_")},
		{Operation: "delete", SectionID: "temp:C:abc"},
	} {
		if err := api.EditCanvasContext(ctx, slack.EditCanvasParams{CanvasID: id, Changes: []slack.CanvasChange{op}}); err != nil {
			t.Fatalf("canvases.edit %s: %v", op.Operation, err)
		}
	}
	if err := api.SetCanvasAccessContext(ctx, slack.SetCanvasAccessParams{CanvasID: id, AccessLevel: "write", UserIDs: []string{"U1"}}); err != nil {
		t.Fatal(err)
	}

	c, err := s.WaitCanvas(ctx, func(c slackfake.Canvas) bool { return c.ID == id && len(c.Edits) == 3 })
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Your stack" || c.Channel != "DU1" || c.ChannelCanvas || c.Markdown != "_Draft_\n# Shortlist\n1. Go\n2. Rust" ||
		c.Edits[2] != (slackfake.CanvasEdit{Operation: "delete", SectionID: "temp:C:abc"}) ||
		!maps.Equal(c.Access, map[string]string{"U1": "write"}) {
		t.Errorf("canvas = %+v", c)
	}
	replace := slack.CanvasChange{Operation: "replace", DocumentContent: markdown("# Final")}
	if err := api.EditCanvasContext(ctx, slack.EditCanvasParams{CanvasID: id, Changes: []slack.CanvasChange{replace}}); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Canvas(id); c.Markdown != "# Final" || len(c.Edits) != 4 {
		t.Errorf("after a replace of the whole canvas: %+v", c)
	}
	file, _, _, err := api.GetFileInfoContext(ctx, id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := slackfake.WorkspaceURL + "docs/" + slackfake.TeamID + "/" + id
	if file.Permalink != want || c.Permalink() != want || file.Title != "Your stack" || file.Filetype != "quip" ||
		file.PrettyType != "Canvas" || len(file.IMs) != 1 || file.IMs[0] != "DU1" {
		t.Errorf("files.info = %+v, want permalink %s", file, want)
	}
	if auth, err := api.AuthTestContext(ctx); err != nil || !strings.HasPrefix(want, auth.URL) {
		t.Errorf("auth.test url %q is not the permalink's workspace (%v)", auth.URL, err)
	}
	if log := s.Log(); !strings.Contains(log, `canvases.create channel_id=DU1 title="Your stack" document_content=markdown(17 chars) -> ok canvas_id=`+id) {
		t.Errorf("log:\n%s", log)
	}
}

// A channel has one channel canvas: a second conversations.canvases.create for it is refused.
func TestChannelCanvas(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C1", "eng", slackfake.BotUserID)
	s.AddChannel("C_OUT", "random")

	id, err := api.CreateChannelCanvasContext(ctx, "C1", markdown("Agenda"), slack.CreateChannelCanvasOptionTitle("Eng"))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Canvas(id); !c.ChannelCanvas || c.Channel != "C1" || c.Title != "Eng" || c.Markdown != "Agenda" {
		t.Errorf("canvas = %+v", c)
	}
	for _, tc := range []struct{ channel, want string }{
		{"C1", "channel_canvas_already_exists"},
		{"C_OUT", "not_in_channel"},
		{"C_NOPE", "channel_not_found"},
	} {
		_, err := api.CreateChannelCanvasContext(ctx, tc.channel, markdown("x"))
		if se := slackError(t, err); se.Err != tc.want {
			t.Errorf("channel canvas in %s: %v, want %s", tc.channel, se.Err, tc.want)
		}
	}
	if n := len(s.Canvases()); n != 1 {
		t.Errorf("%d canvases stored", n)
	}
}

// Canvas arguments are checked as Slack checks them.
func TestCanvasArguments(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C1", "eng", slackfake.BotUserID)
	id, err := api.CreateCanvasContext(ctx, "", markdown("a"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = api.CreateCanvasContext(ctx, "t", slack.DocumentContent{Type: "html", Markdown: "<p>a</p>"})
	wantRefusal(t, err, "invalid_arguments", "[ERROR] unsupported type: html [json-pointer:/document_content/type]")

	edit := func(canvas string, changes ...slack.CanvasChange) error {
		return api.EditCanvasContext(ctx, slack.EditCanvasParams{CanvasID: canvas, Changes: changes})
	}
	end := slack.CanvasChange{Operation: "insert_at_end", DocumentContent: markdown("b")}
	wantRefusal(t, edit(id, end, end), "invalid_arguments", "[ERROR] no more than 1 items allowed [json-pointer:/changes]")
	wantRefusal(t, edit(id, slack.CanvasChange{Operation: "insert_after", DocumentContent: markdown("b")}),
		"invalid_arguments", "[ERROR] missing required field: section_id [json-pointer:/changes/0]")
	wantRefusal(t, edit(id, slack.CanvasChange{Operation: "insert_at_end"}),
		"invalid_arguments", "[ERROR] unsupported type:  [json-pointer:/changes/0/document_content/type]")
	if se := slackError(t, edit(id, slack.CanvasChange{Operation: "append", DocumentContent: markdown("b")})); se.Err != "invalid_arguments" {
		t.Errorf("unknown operation: %v", se.Err)
	}
	if se := slackError(t, edit("F404", end)); se.Err != "canvas_not_found" {
		t.Errorf("edit of an unknown canvas: %v", se.Err)
	}

	access := func(p slack.SetCanvasAccessParams) string {
		p.CanvasID = id
		return slackError(t, api.SetCanvasAccessContext(ctx, p)).Err
	}
	for _, tc := range []struct {
		name   string
		params slack.SetCanvasAccessParams
		want   string
	}{
		{"users and channels", slack.SetCanvasAccessParams{AccessLevel: "read", UserIDs: []string{"U1"}, ChannelIDs: []string{"C1"}}, "invalid_parameters"},
		{"neither", slack.SetCanvasAccessParams{AccessLevel: "read"}, "invalid_parameters"},
		{"channel owner", slack.SetCanvasAccessParams{AccessLevel: "owner", ChannelIDs: []string{"C1"}}, "invalid_arguments"},
		{"bad level", slack.SetCanvasAccessParams{AccessLevel: "admin", UserIDs: []string{"U1"}}, "invalid_arguments"},
		{"a DM", slack.SetCanvasAccessParams{AccessLevel: "read", ChannelIDs: []string{"DU1"}}, "channel_not_found"},
	} {
		if got := access(tc.params); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if err := api.SetCanvasAccessContext(ctx, slack.SetCanvasAccessParams{CanvasID: id, AccessLevel: "read", ChannelIDs: []string{"C1"}}); err != nil {
		t.Errorf("read access for a channel: %v", err)
	}
	if c, _ := s.Canvas(id); c.Access["C1"] != "read" || len(c.Edits) != 0 || c.Markdown != "a" {
		t.Errorf("canvas = %+v", c)
	}
	if _, _, _, err := api.GetFileInfoContext(ctx, "F404", 0, 0); slackError(t, err).Err != "file_not_found" {
		t.Errorf("files.info of an unknown file: %v", err)
	}
}

// RefuseCanvases refuses until lifted; missing_scope says which scope was needed. A one-shot
// fault still works for canvases.
func TestCanvasRefusals(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)

	s.RefuseCanvases("free_teams_cannot_create_standalone_canvases")
	for range 2 {
		if _, err := api.CreateCanvasContext(ctx, "t", markdown("a")); slackError(t, err).Err != "free_teams_cannot_create_standalone_canvases" {
			t.Errorf("refused canvases.create: %v", err)
		}
	}
	s.RefuseCanvases("missing_scope")
	_, err := api.CreateChannelCanvasContext(ctx, "DU1", markdown("a"))
	if se := slackError(t, err); se.Err != "missing_scope" || se.Needed != "canvases:write" || se.Provided != slackfake.BotScopes {
		t.Errorf("missing_scope = %+v", se)
	}
	s.RefuseCanvases("")
	if _, err := api.CreateCanvasContext(ctx, "t", markdown("a")); err != nil {
		t.Errorf("after the refusal was lifted: %v", err)
	}
	s.FailNext("canvases.create", 1, http.StatusTooManyRequests, 2, "")
	var rl *slack.RateLimitedError
	if _, err := api.CreateCanvasContext(ctx, "t", markdown("a")); !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Errorf("faulted canvases.create: %v", err)
	}
}
