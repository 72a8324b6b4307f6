package slackfake

import (
	"context"
	"fmt"
	"maps"
	"strings"
)

// Action is the element a user clicked or changed in a block_actions payload.
type Action struct {
	ActionID, BlockID, Type string   // Type: "button", "static_select", "multi_static_select", "checkboxes", "conversations_select"
	Value                   string   // button value
	SelectedOption          string   // static_select: the chosen option's value
	SelectedOptions         []string // checkboxes / multi_static_select: the chosen values
	SelectedConversation    string   // conversations_select
}

// StateValue is one entry of state.values[blockID][actionID], in a block_actions or
// view_submission payload.
type StateValue struct {
	Type                 string
	SelectedOptions      []string // checkboxes, multi_static_select: the chosen values
	SelectedOption       string   // static_select, radio_buttons: the chosen value
	SelectedConversation string   // conversations_select
	Value                string   // plain_text_input: the text typed
}

// SlashCommand sends a slash_commands envelope for user invoking command with
// text in channel, with a response_url on this fake and a unique trigger_id.
// It returns the envelope id.
func (s *Server) SlashCommand(ctx context.Context, user, channel, command, text string) (string, error) {
	s.mu.Lock()
	payload := map[string]string{
		"token": "legacy-verification-token", "team_id": TeamID, "team_domain": "fake",
		"channel_id": channel, "channel_name": s.channelNameLocked(channel),
		"user_id": user, "user_name": strings.ToLower(user),
		"command": command, "text": text, "api_app_id": AppID,
		"response_url": s.responseURLLocked(), "trigger_id": s.triggerIDLocked(user),
	}
	s.mu.Unlock()
	return s.SendEnvelope(ctx, "slash_commands", payload)
}

// DirectMessage sends an events_api envelope carrying a "message" event typed
// by user in their DM with the bot, in thread threadTS ("" for top level).
// It returns the envelope id and the new message's ts.
func (s *Server) DirectMessage(ctx context.Context, user, text, threadTS string) (envelopeID, ts string, err error) {
	return s.userMessage(ctx, user, s.DMChannel(user), "im", text, threadTS)
}

// ChannelMessage is DirectMessage in channel: the event's channel_type is "group" for a private
// channel (an id starting with G), else "channel". Like Slack, it delivers the message whether or
// not the bot is a member.
func (s *Server) ChannelMessage(ctx context.Context, user, channel, text, threadTS string) (envelopeID, ts string, err error) {
	channelType := "channel"
	if strings.HasPrefix(channel, "G") {
		channelType = "group"
	}
	return s.userMessage(ctx, user, channel, channelType, text, threadTS)
}

// userMessage sends the message event of a message user typed; chat.update refuses to edit it.
func (s *Server) userMessage(ctx context.Context, user, channel, channelType, text, threadTS string) (envelopeID, ts string, err error) {
	s.mu.Lock()
	ts = s.nextTSLocked()
	s.typed[channel+"/"+ts] = true
	event := map[string]any{
		"type": "message", "channel": channel, "channel_type": channelType, "user": user,
		"text": text, "ts": ts, "event_ts": ts, "team": TeamID,
		"client_msg_id": fmt.Sprintf("00000000-0000-4000-8000-%012d", s.nextIDLocked()),
	}
	if threadTS != "" {
		event["thread_ts"] = threadTS
	}
	s.mu.Unlock()
	envelopeID, err = s.SendEvent(ctx, event)
	return envelopeID, ts, err
}

// SendEvent sends an events_api envelope whose event_callback carries event (a
// map with at least "type"; "event_ts" is added when missing). It returns the
// envelope id.
func (s *Server) SendEvent(ctx context.Context, event map[string]any) (string, error) {
	event = maps.Clone(event)
	s.mu.Lock()
	if _, found := event["event_ts"]; !found {
		event["event_ts"] = s.nextTSLocked()
	}
	payload := map[string]any{
		"token": "legacy-verification-token", "team_id": TeamID, "api_app_id": AppID,
		"type": "event_callback", "event_id": fmt.Sprintf("Ev%08d", s.nextIDLocked()),
		"event_time": tsBase + s.tsSeq/1_000_000, "event_context": "4-fake",
		"is_ext_shared_channel": false, "event": event,
		"authorizations": []map[string]any{{"team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false}},
	}
	s.mu.Unlock()
	return s.SendEnvelope(ctx, "events_api", payload)
}

// Click sends a block_actions interactive envelope: user acted on the stored
// message channel/messageTS, with the given state.values. It fails if the
// fake stores no such message. For an ephemeral message the container says so
// and, as in Slack, the payload has no "message". It returns the envelope id.
func (s *Server) Click(ctx context.Context, user, channel, messageTS string, action Action, state map[string]map[string]StateValue) (string, error) {
	s.mu.Lock()
	m := s.findLocked(channel, messageTS)
	if m == nil {
		s.mu.Unlock()
		return "", fmt.Errorf("click on %s/%s: no such message", channel, messageTS)
	}
	container := map[string]any{"type": "message", "message_ts": m.TS, "channel_id": channel, "is_ephemeral": m.Ephemeral}
	if m.ThreadTS != "" {
		container["thread_ts"] = m.ThreadTS
	}
	payload := s.blockActionsLocked(user, action, container)
	payload["response_url"] = s.responseURLLocked()
	payload["channel"] = map[string]any{"id": channel, "name": s.channelNameLocked(channel)}
	payload["state"] = map[string]any{"values": stateJSON(state)}
	if !m.Ephemeral {
		payload["message"] = messageJSON(m)
	}
	s.mu.Unlock()
	return s.SendEnvelope(ctx, "interactive", payload)
}

// ClickHome sends a block_actions interactive envelope for user acting on the
// App Home view last published for them. It fails if there is none. It returns
// the envelope id.
func (s *Server) ClickHome(ctx context.Context, user string, action Action) (string, error) {
	s.mu.Lock()
	view, found := s.views[user]
	if !found {
		s.mu.Unlock()
		return "", fmt.Errorf("click on home of %s: no view published", user)
	}
	payload := s.blockActionsLocked(user, action, map[string]any{"type": "view", "view_id": s.viewIDs[user]})
	payload["view"] = view
	s.mu.Unlock()
	return s.SendEnvelope(ctx, "interactive", payload)
}

// blockActionsLocked builds the fields every block_actions payload shares.
func (s *Server) blockActionsLocked(user string, a Action, container map[string]any) map[string]any {
	act := map[string]any{"action_id": a.ActionID, "block_id": a.BlockID, "action_ts": s.nextTSLocked()}
	if a.Value != "" {
		act["value"] = a.Value
	}
	addSelection(act, StateValue{Type: a.Type, SelectedOptions: a.SelectedOptions, SelectedOption: a.SelectedOption,
		SelectedConversation: a.SelectedConversation})
	return map[string]any{
		"type": "block_actions", "user": userJSON(user), "team": teamJSON(), "api_app_id": AppID,
		"trigger_id": s.triggerIDLocked(user), "container": container, "actions": []any{act},
	}
}

// userJSON is the "user" of an interaction payload.
func userJSON(user string) map[string]any {
	name := strings.ToLower(user)
	return map[string]any{"id": user, "username": name, "name": name, "team_id": TeamID}
}

// teamJSON is the "team" of an interaction payload.
func teamJSON() map[string]any { return map[string]any{"id": TeamID, "domain": "fake"} }

func stateJSON(state map[string]map[string]StateValue) map[string]any {
	out := map[string]any{}
	for block, byAction := range state {
		entries := map[string]any{}
		for actionID, v := range byAction {
			entries[actionID] = addSelection(map[string]any{}, v)
		}
		out[block] = entries
	}
	return out
}

// addSelection sets type and the selected_* fields of an action or state entry.
func addSelection(m map[string]any, v StateValue) map[string]any {
	m["type"] = v.Type
	if v.SelectedOption != "" {
		m["selected_option"] = option(v.SelectedOption)
	}
	if v.SelectedOptions != nil || v.Type == "checkboxes" || v.Type == "multi_static_select" {
		opts := []any{}
		for _, o := range v.SelectedOptions {
			opts = append(opts, option(o))
		}
		m["selected_options"] = opts
	}
	if v.SelectedConversation != "" {
		m["selected_conversation"] = v.SelectedConversation
	}
	if v.Value != "" {
		m["value"] = v.Value
	}
	return m
}

// option renders a chosen option; the fake does not know its label, so the
// value doubles as the text.
func option(value string) map[string]any {
	return map[string]any{"value": value, "text": map[string]any{"type": "plain_text", "text": value}}
}

func (s *Server) channelNameLocked(id string) string {
	if c, found := s.channels[id]; found {
		return c.name
	}
	if strings.HasPrefix(id, "D") {
		return "directmessage"
	}
	return "unknown"
}

func (s *Server) responseURLLocked() string {
	return fmt.Sprintf("%s/response/%d", s.srv.URL, s.nextIDLocked())
}
