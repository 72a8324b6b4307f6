package slackfake_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// trigger returns a trigger_id the fake hands out with a slash command of user.
func trigger(ctx context.Context, t *testing.T, s *slackfake.Server, b *bot, user string) string {
	t.Helper()
	if _, err := s.SlashCommand(ctx, user, "D"+user, "/stackpick", ""); err != nil {
		t.Fatal(err)
	}
	return receive(ctx, t, b.slash).TriggerID
}

func form(callbackID string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type: slack.VTModal, Title: plain("Your project"), Submit: plain("Save"), Close: plain("Cancel"),
		CallbackID: callbackID, PrivateMetadata: "session-7",
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("name", plain("Name"), nil, slack.NewPlainTextInputBlockElement(nil, "text")),
			slack.NewInputBlock("size", plain("Size"), nil,
				slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pick"), "pick", options(3, 1, 1)...)),
		}},
	}
}

// views.open takes the trigger_id of an interaction once, and answers the stored view as Slack
// does; a used, unknown or expired trigger draws the error views.open's reference lists.
func TestOpenView(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)
	trig := trigger(ctx, t, s, b, "U1")

	resp, err := b.api.OpenViewContext(ctx, trig, form("project"))
	if err != nil {
		t.Fatal(err)
	}
	v := resp.View
	if !strings.HasPrefix(v.ID, "V") || v.Hash == "" || v.TeamID != slackfake.TeamID || v.AppID != slackfake.AppID ||
		v.BotID != slackfake.BotID || v.RootViewID != v.ID || v.CallbackID != "project" || v.PrivateMetadata != "session-7" ||
		v.State == nil || len(v.Blocks.BlockSet) != 2 || v.Title.Text != "Your project" {
		t.Errorf("opened view = %+v", v)
	}
	opened, err := s.WaitOpenedView(ctx, func(o slackfake.OpenedView) bool { return o.ID == v.ID })
	if err != nil || opened.User != "U1" || opened.Closed || !strings.Contains(string(opened.View), `"callback_id":"project"`) {
		t.Errorf("stored view = %+v, %v", opened, err)
	}
	if views := s.OpenedViews("U1"); len(views) != 1 || views[0].ID != v.ID {
		t.Errorf("OpenedViews(U1) = %+v", views)
	}

	_, err = b.api.OpenViewContext(ctx, trig, form("again"))
	if se := slackError(t, err); se.Err != "exchanged_trigger_id" {
		t.Errorf("second use of a trigger: %v", se.Err)
	}
	_, err = b.api.OpenViewContext(ctx, "123.456.unknown", form("x"))
	if se := slackError(t, err); se.Err != "invalid_trigger_id" {
		t.Errorf("unknown trigger: %v", se.Err)
	}
	late := trigger(ctx, t, s, b, "U2")
	s.ExpireTriggers()
	_, err = b.api.OpenViewContext(ctx, late, form("x"))
	if se := slackError(t, err); se.Err != "expired_trigger_id" {
		t.Errorf("expired trigger: %v", se.Err)
	}
	if want := "views.open trigger_id=" + trig + " view=modal(blocks=2) -> ok view_id=" + v.ID; !strings.Contains(s.Log(), want) {
		t.Errorf("log lacks %q:\n%s", want, s.Log())
	}
}

// Each limit of a modal: the view at the limit opens, one past it draws invalid_arguments with
// Slack's explanations, and the refusal leaves the trigger unused.
func TestModalLimits(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)
	modal := func(edit func(*slack.ModalViewRequest)) slack.ModalViewRequest {
		v := slack.ModalViewRequest{Type: slack.VTModal, Title: plain("Title"), Blocks: slack.Blocks{BlockSet: dividers(1)}}
		edit(&v)
		return v
	}
	for _, tc := range []struct {
		name    string
		ok, bad slack.ModalViewRequest
		want    string
	}{
		{"blocks", modal(func(v *slack.ModalViewRequest) { v.Blocks.BlockSet = dividers(100) }),
			modal(func(v *slack.ModalViewRequest) { v.Blocks.BlockSet = dividers(101) }),
			"[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"},
		{"title", modal(func(v *slack.ModalViewRequest) { v.Title = plain(chars(24)) }),
			modal(func(v *slack.ModalViewRequest) { v.Title = plain(chars(25)) }),
			"[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"},
		{"submit", modal(func(v *slack.ModalViewRequest) { v.Submit = plain(chars(24)) }),
			modal(func(v *slack.ModalViewRequest) { v.Submit = plain(chars(25)) }),
			"[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]"},
		{"close", modal(func(v *slack.ModalViewRequest) { v.Close = plain(chars(24)) }),
			modal(func(v *slack.ModalViewRequest) { v.Close = plain(chars(25)) }),
			"[ERROR] must be less than 25 characters [json-pointer:/view/close/text]"},
		{"private_metadata", modal(func(v *slack.ModalViewRequest) { v.PrivateMetadata = chars(3000) }),
			modal(func(v *slack.ModalViewRequest) { v.PrivateMetadata = chars(3001) }),
			"[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]"},
		{"callback_id", modal(func(v *slack.ModalViewRequest) { v.CallbackID = chars(255) }),
			modal(func(v *slack.ModalViewRequest) { v.CallbackID = chars(256) }),
			"[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]"},
		{"input needs submit", form("f"), modal(func(v *slack.ModalViewRequest) { v.Blocks = form("f").Blocks }),
			"[ERROR] must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/0/input]"},
		{"no table", modal(func(v *slack.ModalViewRequest) { v.Blocks.BlockSet = []slack.Block{section("a")} }),
			modal(func(v *slack.ModalViewRequest) { v.Blocks.BlockSet = []slack.Block{table(1, 1)} }),
			"[ERROR] unsupported type: table [json-pointer:/view/blocks/0/type]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trig := trigger(ctx, t, s, b, "U1")
			_, err := b.api.OpenViewContext(ctx, trig, tc.bad)
			wantRefusal(t, err, "invalid_arguments", tc.want)
			if se := slackError(t, err); se.ResponseMetadata.Messages[0] != "[ERROR] failed to match all allowed schemas [json-pointer:/view]" {
				t.Errorf("messages = %q", se.ResponseMetadata.Messages)
			}
			if _, err := b.api.OpenViewContext(ctx, trig, tc.ok); err != nil {
				t.Errorf("at the limit, with the same trigger: %v", err)
			}
		})
	}
}

// A view_submission reaches the app as Slack sends it, and the app's ack acts on the modal:
// "errors" keeps it open, "update" replaces it, no response_action closes it.
func TestSubmitView(t *testing.T) {
	s, ctx := newFake(t)
	accepts := make(chan bool, 4)
	b := startAnsweringBot(ctx, t, s, func(evt socketmode.Event) any {
		ic, ok := evt.Data.(slack.InteractionCallback)
		if !ok || ic.Type != slack.InteractionTypeViewSubmission {
			return nil
		}
		accepts <- evt.Request.AcceptsResponsePayload
		switch ic.View.State.Values["name"]["text"].Value {
		case "":
			return slack.NewErrorsViewSubmissionResponse(map[string]string{"name": "Say a name"})
		case "Ana":
			next := form("confirm")
			next.Title = plain("Confirm")
			return slack.NewUpdateViewSubmissionResponse(&next)
		}
		return nil
	})
	resp, err := b.api.OpenViewContext(ctx, trigger(ctx, t, s, b, "U1"), form("project"))
	if err != nil {
		t.Fatal(err)
	}
	id := resp.View.ID
	if _, err := s.SubmitView(ctx, "U2", id, nil); err == nil {
		t.Error("another user submitted U1's view")
	}

	env, err := s.SubmitView(ctx, "U1", id, map[string]map[string]slackfake.StateValue{
		"name": {"text": {Type: "plain_text_input"}},
		"size": {"pick": {Type: "static_select", SelectedOption: "2"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ic := receive(ctx, t, b.clicks)
	if ic.Type != slack.InteractionTypeViewSubmission || ic.User.ID != "U1" || ic.Team.ID != slackfake.TeamID ||
		ic.APIAppID != slackfake.AppID || ic.TriggerID == "" || ic.View.ID != id || ic.View.CallbackID != "project" ||
		ic.View.PrivateMetadata != "session-7" || ic.View.Hash != resp.View.Hash ||
		ic.View.State.Values["size"]["pick"].SelectedOption.Value != "2" || ic.ResponseURLs == nil {
		t.Errorf("view_submission = %+v", ic)
	}
	if !receive(ctx, t, accepts) {
		t.Error("the view_submission envelope does not accept a response payload")
	}
	ack, err := s.WaitAck(ctx, env)
	if err != nil || ack.ResponseAction != "errors" || ack.Errors["name"] != "Say a name" {
		t.Errorf("ack = %+v, %v", ack, err)
	}
	if v, _ := s.OpenedView(id); v.Closed || !strings.Contains(string(v.View), `"type":"plain_text_input"`) {
		t.Errorf("after errors the view is %+v", v)
	}

	env, err = s.SubmitView(ctx, "U1", id, map[string]map[string]slackfake.StateValue{"name": {"text": {Type: "plain_text_input", Value: "Ana"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ic := receive(ctx, t, b.clicks); ic.View.State.Values["name"]["text"].Value != "Ana" {
		t.Errorf("state = %+v", ic.View.State.Values)
	}
	updated, err := s.WaitOpenedView(ctx, func(v slackfake.OpenedView) bool {
		return v.ID == id && strings.Contains(string(v.View), `"callback_id":"confirm"`)
	})
	if err != nil || updated.Closed {
		t.Fatalf("after update the view is %+v, %v", updated, err)
	}
	var view slack.View
	if err := json.Unmarshal(updated.View, &view); err != nil || view.Title.Text != "Confirm" || view.Hash == resp.View.Hash {
		t.Errorf("updated view = %+v, %v", view, err)
	}
	if ack, _ := s.WaitAck(ctx, env); ack.ResponseAction != "update" {
		t.Errorf("ack = %+v", ack)
	}

	if _, err := s.SubmitView(ctx, "U1", id, map[string]map[string]slackfake.StateValue{"name": {"text": {Type: "plain_text_input", Value: "Bo"}}}); err != nil {
		t.Fatal(err)
	}
	receive(ctx, t, b.clicks)
	if _, err := s.WaitOpenedView(ctx, func(v slackfake.OpenedView) bool { return v.ID == id && v.Closed }); err != nil {
		t.Errorf("an ack without response_action did not close the view: %v", err)
	}
	if _, err := s.SubmitView(ctx, "U1", id, nil); err == nil {
		t.Error("a closed view was submitted")
	}
}

// A submission answered with push opens a modal on top of the submitted one; one answered with
// clear closes every modal of the user.
func TestSubmissionPushAndClear(t *testing.T) {
	s, ctx := newFake(t)
	b := startAnsweringBot(ctx, t, s, func(evt socketmode.Event) any {
		ic, ok := evt.Data.(slack.InteractionCallback)
		if !ok || ic.Type != slack.InteractionTypeViewSubmission {
			return nil
		}
		if ic.View.CallbackID == "project" {
			next := form("details")
			return slack.NewPushViewSubmissionResponse(&next)
		}
		return slack.NewClearViewSubmissionResponse()
	})
	resp, err := b.api.OpenViewContext(ctx, trigger(ctx, t, s, b, "U1"), form("project"))
	if err != nil {
		t.Fatal(err)
	}
	root := resp.View.ID
	if _, err := s.SubmitView(ctx, "U1", root, nil); err != nil {
		t.Fatal(err)
	}
	pushed, err := s.WaitOpenedView(ctx, func(v slackfake.OpenedView) bool { return v.ID != root })
	if err != nil {
		t.Fatal(err)
	}
	var view slack.View
	if err := json.Unmarshal(pushed.View, &view); err != nil || view.CallbackID != "details" || view.RootViewID != root ||
		view.PreviousViewID != root || pushed.User != "U1" || pushed.Closed {
		t.Errorf("pushed view = %+v (%s), %v", pushed, pushed.View, err)
	}
	if v, _ := s.OpenedView(root); v.Closed {
		t.Error("a push closed the view under it")
	}
	if _, err := s.SubmitView(ctx, "U1", pushed.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitOpenedView(ctx, func(v slackfake.OpenedView) bool { return v.ID == root && v.Closed }); err != nil {
		t.Errorf("clear left the root view open: %v", err)
	}
	for _, v := range s.OpenedViews("U1") {
		if !v.Closed {
			t.Errorf("after clear %s is open", v.ID)
		}
	}
}
