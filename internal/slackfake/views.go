package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// OpenedView is a modal the bot opened with views.open, or pushed with a view_submission's ack.
type OpenedView struct {
	ID, User string
	// View is the view as Slack stores it (with id, hash and state); an "update" response and a
	// submission's state replace it.
	View   json.RawMessage
	Closed bool // a submission's ack closed it: no response_action, or "clear"
}

// trigger is a trigger_id the fake handed out with an interaction or slash command.
type trigger struct {
	user          string
	used, expired bool
}

// triggerIDLocked hands out a new trigger_id for an interaction of user.
func (s *Server) triggerIDLocked(user string) string {
	id := fmt.Sprintf("%d.%d.fake", tsBase, s.nextIDLocked())
	s.triggers[id] = &trigger{user: user}
	return id
}

// ExpireTriggers makes every trigger_id handed out so far expired, as Slack does about 3 s after
// the interaction: views.open answers expired_trigger_id for them.
func (s *Server) ExpireTriggers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.triggers {
		t.expired = true
	}
}

// OpenedViews returns the modals opened for user, in opening order, closed ones included.
func (s *Server) OpenedViews(user string) []OpenedView {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OpenedView
	for _, v := range s.modals {
		if v.User == user {
			out = append(out, *v)
		}
	}
	return out
}

// OpenedView returns the modal with view id id, and whether there is one.
func (s *Server) OpenedView(id string) (OpenedView, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.modalLocked(id); v != nil {
		return *v, true
	}
	return OpenedView{}, false
}

// WaitOpenedView returns the first modal (opened before or later) for which match returns true
// (nil matches any), in its current state, or ctx.Err() if ctx ends first.
func (s *Server) WaitOpenedView(ctx context.Context, match func(OpenedView) bool) (OpenedView, error) {
	return waitRecord(ctx, s, "an opened view", func() []*OpenedView { return s.modals }, deref, match)
}

func (s *Server) modalLocked(id string) *OpenedView {
	i := slices.IndexFunc(s.modals, func(v *OpenedView) bool { return v.ID == id })
	if i < 0 {
		return nil
	}
	return s.modals[i]
}

// SubmitView sends a view_submission interactive envelope, as Slack does when user presses the
// submit button of their open modal viewID with the given state.values; the modal keeps that
// state. The app's ack then acts on the modal as in Slack: no response_action closes it, "clear"
// closes all of the user's modals, "update" replaces its view, "push" opens one on top, "errors"
// keeps it open. SubmitView fails if user has no such open modal, and returns the envelope id.
func (s *Server) SubmitView(ctx context.Context, user, viewID string, values map[string]map[string]StateValue) (string, error) {
	s.mu.Lock()
	v := s.modalLocked(viewID)
	if v == nil || v.Closed || v.User != user {
		s.mu.Unlock()
		return "", fmt.Errorf("submit view %s as %s: no such open view", viewID, user)
	}
	var view map[string]any
	_ = json.Unmarshal(v.View, &view) // stored by the fake, so valid
	view["state"] = map[string]any{"values": stateJSON(values)}
	v.View, _ = json.Marshal(view)
	s.broadcastLocked()
	// The shape of bolt-python's view_submission fixtures (tests/scenario_tests/test_view_submission.py).
	payload := map[string]any{
		"type": "view_submission", "team": teamJSON(), "user": userJSON(user), "api_app_id": AppID,
		"token": "legacy-verification-token", "trigger_id": s.triggerIDLocked(user), "view": v.View,
		"response_urls": []any{}, "is_enterprise_install": false, "enterprise": nil,
	}
	s.mu.Unlock()
	return s.SendEnvelope(ctx, "interactive", payload)
}

// answerSubmissionLocked applies the ack of a view_submission envelope to its modal (see
// SubmitView). A response's view is not checked.
func (s *Server) answerSubmissionLocked(envelopeID string, resp viewResponse) {
	sent, found := s.sent[envelopeID]
	if !found || payloadType(sent.payload) != "view_submission" {
		return
	}
	var p struct {
		View struct {
			ID string `json:"id"`
		} `json:"view"`
	}
	_ = json.Unmarshal(sent.payload, &p)
	v := s.modalLocked(p.View.ID)
	if v == nil {
		return
	}
	next, hasView := decodeView(resp.View)
	switch {
	case resp.ResponseAction == "":
		v.Closed = true
	case resp.ResponseAction == "clear":
		for _, m := range s.modals {
			m.Closed = m.Closed || m.User == v.User
		}
	case resp.ResponseAction == "update" && hasView:
		v.View = s.storeViewLocked(next, v.ID)
	case resp.ResponseAction == "push" && hasView:
		s.addModalLocked(v.User, next, v)
	}
}

// openView answers views.open. A trigger is taken by the first views.open that succeeds; one
// whose view Slack refuses stays unused (the fake's assumption).
func (s *Server) openView(args map[string]string) reply {
	t := s.triggers[args["trigger_id"]]
	// The three trigger errors of views.open's reference.
	switch {
	case t == nil:
		return fail("invalid_trigger_id")
	case t.used:
		return fail("exchanged_trigger_id")
	case t.expired:
		return fail("expired_trigger_id")
	}
	view, valid := decodeView(json.RawMessage(args["view"]))
	if !valid {
		return fail("invalid_arguments")
	}
	if rep, refused := checkView(view, inModal); refused {
		return rep
	}
	t.used = true
	v := s.addModalLocked(t.user, view, nil)
	return ok(map[string]any{"view": v.View}, "view_id="+v.ID)
}

// addModalLocked stores view as a new modal of user, on top of parent (nil for a root view).
func (s *Server) addModalLocked(user string, view map[string]any, parent *OpenedView) *OpenedView {
	id := s.newViewIDLocked()
	view["root_view_id"], view["previous_view_id"] = id, nil
	if parent != nil {
		var p struct {
			Root string `json:"root_view_id"`
		}
		_ = json.Unmarshal(parent.View, &p)
		view["root_view_id"], view["previous_view_id"] = p.Root, parent.ID
	}
	v := &OpenedView{ID: id, User: user, View: s.storeViewLocked(view, id)}
	s.modals = append(s.modals, v)
	return v
}

func (s *Server) publishView(args map[string]string) reply {
	user := args["user_id"]
	view, valid := decodeView(json.RawMessage(args["view"]))
	if user == "" || !valid {
		return fail("invalid_arguments")
	}
	if rep, refused := checkView(view, inHome); refused {
		return rep
	}
	id, found := s.viewIDs[user]
	if !found {
		id = s.newViewIDLocked()
		s.viewIDs[user] = id
	}
	s.views[user] = s.storeViewLocked(view, id)
	return ok(map[string]any{"view": s.views[user]}, "view_id="+id)
}

func (s *Server) newViewIDLocked() string { return fmt.Sprintf("V%08d", s.nextIDLocked()) }

// storeViewLocked completes view as Slack answers it (view id id, the app's ids, a new hash, and
// the fields Slack always returns) and returns its JSON.
func (s *Server) storeViewLocked(view map[string]any, id string) json.RawMessage {
	view["id"], view["team_id"], view["app_id"], view["bot_id"] = id, TeamID, AppID, BotID
	view["app_installed_team_id"] = TeamID
	view["hash"] = fmt.Sprintf("%s.%d", s.nextTSLocked(), s.nextIDLocked())
	defaults := map[string]any{
		"state": map[string]any{"values": map[string]any{}}, "private_metadata": "", "callback_id": "",
		"external_id": "", "root_view_id": id, "previous_view_id": nil, "clear_on_close": false,
		"notify_on_close": false,
	}
	for k, v := range defaults {
		if _, found := view[k]; !found {
			view[k] = v
		}
	}
	stored, _ := json.Marshal(view)
	return stored
}

// decodeView decodes a view argument, and says whether it is a JSON object.
func decodeView(raw json.RawMessage) (map[string]any, bool) {
	var view map[string]any
	if json.Unmarshal(raw, &view) != nil || view == nil {
		return nil, false
	}
	return view, true
}
