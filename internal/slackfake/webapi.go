package slackfake

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// reply is what one Web API call answers.
type reply struct {
	status, retryAfter int
	body               map[string]any // nil: plain text
	plain              string         // the plain-text body; "" for an unknown method's 404
	note               string         // result summary for Log
}

func ok(body map[string]any, note string) reply {
	if body == nil {
		body = map[string]any{}
	}
	body["ok"] = true
	return reply{status: http.StatusOK, body: body, note: note}
}

func fail(slackErr string) reply {
	return reply{status: http.StatusOK, body: map[string]any{"ok": false, "error": slackErr}}
}

// refusal is fail with Slack's explanations in response_metadata.messages.
func refusal(slackErr string, messages ...string) reply {
	rep := fail(slackErr)
	rep.body["response_metadata"] = map[string]any{"messages": messages}
	rep.note = strings.Join(messages, " ")
	return rep
}

// missing is Slack's answer to a call without a required argument.
func missing(field string) reply {
	return refusal("invalid_arguments", "[ERROR] missing required field: "+field)
}

// handleAPI serves /api/<method> and /response/<n> (recorded as "response_url").
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	args, token, err := readArgs(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/response/") {
		method = "response_url"
		args["url"] = "http://" + r.Host + r.URL.Path
	}
	s.answer(w, r, method, token, args, s.handler(method))
}

// answer serves one call with handler (nil: the fake lacks the method) and writes the reply.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, method, token string, args map[string]string, handler func(map[string]string) reply) {
	rep, hold, c := s.serve(method, token, args, handler)
	if hold != nil {
		hold.withhold(r.Context(), c)
	}
	if rep.body == nil {
		if rep.plain == "" {
			rep.plain = "slackfake: unknown method " + method
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.plain)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(rep.retryAfter))
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(slackOrder(rep.body))
}

// slackOrder encodes a reply's members in the order Slack sends them: "ok" first and the copy of
// the message last (chat.postMessage: ok, channel, ts, message), the others by name between.
func slackOrder(body map[string]any) []byte {
	place := func(name string) int {
		switch name {
		case "ok":
			return 0
		case "message":
			return 2
		}
		return 1
	}
	names := slices.Sorted(maps.Keys(body))
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(place(a), place(b)) })
	out := []byte{'{'}
	for i, name := range names {
		value, err := json.Marshal(body[name])
		if err != nil {
			panic(fmt.Sprintf("slackfake: reply member %s: %v", name, err)) // the fake's own values
		}
		if i > 0 {
			out = append(out, ',')
		}
		out = append(strconv.AppendQuote(out, name), ':')
		out = append(out, value...)
	}
	return append(out, '}', '\n')
}

// readArgs returns form fields or top-level JSON fields, and the token from the
// "token" field or else the Bearer header.
func readArgs(r *http.Request) (map[string]string, string, error) {
	args := map[string]string{}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		var fields map[string]json.RawMessage
		// apps.connections.open has an empty body.
		if err := json.NewDecoder(r.Body).Decode(&fields); err != nil && !errors.Is(err, io.EOF) {
			return nil, "", fmt.Errorf("decode JSON body: %w", err)
		}
		for k, v := range fields {
			var str string
			if json.Unmarshal(v, &str) != nil {
				str = string(v)
			}
			args[k] = str
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return nil, "", fmt.Errorf("parse form: %w", err)
		}
		for k, v := range r.Form {
			args[k] = v[0]
		}
	}
	if t, found := args["token"]; found {
		token = t
		delete(args, "token")
	}
	return args, token, nil
}

// serve applies faults, auth, refusals and handler, and records the call (or, in lean mode,
// hands it to the observer); hold is set when its response is to be withheld.
func (s *Server) serve(method, token string, args map[string]string, handler func(map[string]string) reply) (rep reply, hold *Hold, c Call) {
	s.mu.Lock()
	rep, c = s.serveLocked(method, token, args, handler)
	if hold = s.takeHoldLocked(method, args); hold != nil {
		s.held = append(s.held, hold)
	}
	observe := s.observeCall
	s.mu.Unlock()
	if observe != nil {
		observe(c)
	}
	return rep, hold, c
}

func (s *Server) serveLocked(method, token string, args map[string]string, handler func(map[string]string) reply) (reply, Call) {
	var rep reply
	switch {
	case handler == nil:
		rep = reply{status: http.StatusNotFound}
	case len(s.faults[method]) > 0:
		rep = s.popFaultLocked(method)
	case s.overLimitLocked(method, args, &rep):
	case needsToken(method) && token != wantToken(method):
		rep = fail("invalid_auth")
	case s.refusals[method] != "":
		rep = refusalOf(method, s.refusals[method])
	default:
		rep = handler(args)
	}
	c := Call{Seq: len(s.calls), Method: method, Args: args, At: time.Now(), Status: rep.status}
	if rep.body != nil {
		c.Error, _ = rep.body["error"].(string)
	}
	if s.lean {
		return rep, c
	}
	s.calls = append(s.calls, c)
	s.logLines = append(s.logLines, logLine(c, rep))
	s.broadcastLocked()
	return rep, c
}

// overLimitLocked sets *rep to a 429 and reports true when the call is over its rate limit.
func (s *Server) overLimitLocked(method string, args map[string]string, rep *reply) bool {
	r, over := s.throttleLocked(method, args)
	if over {
		*rep = r
	}
	return over
}

// needsToken says whether method checks the token: the URLs Slack hands out (response_url, the
// upload URL) work without one.
func needsToken(method string) bool { return method != "response_url" && method != "upload_url" }

// wantToken is the only token method accepts.
func wantToken(method string) string {
	if method == "apps.connections.open" {
		return AppToken
	}
	return BotToken
}

func (s *Server) popFaultLocked(method string) reply {
	f := s.faults[method][0]
	s.faults[method] = s.faults[method][1:]
	rep := fail(f.slackErr)
	if f.status == http.StatusOK {
		return rep
	}
	rep.status, rep.retryAfter = f.status, f.retryAfter
	if f.slackErr == "" {
		rep.body["error"] = "fake_failure"
		if f.status == http.StatusTooManyRequests {
			rep.body["error"] = "ratelimited"
		}
	}
	return rep
}

// handler returns the implementation of method, or nil if the fake lacks it.
func (s *Server) handler(method string) func(map[string]string) reply {
	switch method {
	case "apps.connections.open":
		return s.connectionsOpen
	case "auth.test":
		return func(map[string]string) reply {
			return ok(map[string]any{"url": WorkspaceURL, "team": "Fake", "user": "stackpick",
				"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID}, "")
		}
	case "conversations.open":
		return s.conversationsOpen
	case "conversations.info":
		return s.conversationsInfo
	case "conversations.members":
		return s.conversationsMembers
	case "chat.postMessage":
		return s.postMessage
	case "chat.postEphemeral":
		return s.postEphemeral
	case "chat.update":
		return s.update
	case "views.publish":
		return s.publishView
	case "views.open":
		return s.openView
	case "canvases.create":
		return s.createCanvas
	case "conversations.canvases.create":
		return s.createChannelCanvas
	case "canvases.edit":
		return s.editCanvas
	case "canvases.access.set":
		return s.setCanvasAccess
	case "files.getUploadURLExternal":
		return s.getUploadURL
	case "files.completeUploadExternal":
		return s.completeUpload
	case "files.info":
		return s.fileInfo
	case "chat.scheduleMessage":
		return s.scheduleMessage
	case "chat.scheduledMessages.list":
		return s.listScheduled
	case "chat.deleteScheduledMessage":
		return s.deleteScheduled
	case "bookmarks.add":
		return s.addBookmark
	case "bookmarks.list":
		return s.listBookmarks
	case "users.info":
		return s.userInfo
	case "response_url":
		return func(map[string]string) reply { return ok(nil, "") }
	}
	return nil
}

// The handlers below run with s.mu held.

func (s *Server) connectionsOpen(map[string]string) reply {
	ticket := strconv.Itoa(s.nextIDLocked())
	s.opened++
	s.tickets[ticket] = s.opened
	url := "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/link/?ticket=" + ticket
	return ok(map[string]any{"url": url}, "url="+url)
}

func (s *Server) conversationsOpen(args map[string]string) reply {
	user, _, _ := strings.Cut(args["users"], ",")
	if user == "" {
		return fail("users_list_not_supplied")
	}
	id := s.DMChannel(user)
	return ok(map[string]any{"channel": map[string]any{"id": id, "is_im": true, "user": user}}, "channel="+id)
}

// postErrLocked says why the bot cannot post to channel id, or "".
func (s *Server) postErrLocked(id string) string {
	c, known := s.channels[id]
	switch {
	case !known && strings.HasPrefix(id, "D"):
		return ""
	case !known:
		return "channel_not_found"
	case c.archived:
		return "is_archived"
	case !slices.Contains(c.members, BotUserID):
		return "not_in_channel"
	}
	return ""
}

// knownChannelLocked says whether channel id exists: added with AddChannel, or a DM.
func (s *Server) knownChannelLocked(id string) bool {
	_, known := s.channels[id]
	return known || strings.HasPrefix(id, "D")
}

// messageContent returns a new message's "blocks" argument (nil when absent or empty) and, when
// Slack would refuse the message's content, the refusal: its blocks', or no_text for a message
// with neither text, blocks nor attachments.
func messageContent(args map[string]string) (json.RawMessage, *reply) {
	blocks, refused := messageBlocks(args)
	if refused == nil && args["text"] == "" && blocks == nil && args["attachments"] == "" {
		no := fail("no_text")
		refused = &no
	}
	return blocks, refused
}

// messageBlocks returns a message's "blocks" argument (nil when absent or empty) and, when Slack
// would refuse them, the refusal.
func messageBlocks(args map[string]string) (json.RawMessage, *reply) {
	b, found := args["blocks"]
	if !found || b == "" {
		return nil, nil
	}
	if rep, refused := checkMessageBlocks(json.RawMessage(b)); refused {
		return nil, &rep
	}
	return json.RawMessage(b), nil
}

func (s *Server) postMessage(args map[string]string) reply {
	ch := args["channel"]
	if e := s.postErrLocked(ch); e != "" {
		return fail(e)
	}
	blocks, refused := messageContent(args)
	if refused != nil {
		return *refused
	}
	m := &Message{Channel: ch, TS: s.nextTSLocked(), ThreadTS: args["thread_ts"], Text: args["text"], Blocks: blocks}
	if s.lean { // not kept, but answered as Slack answers: with the message, blocks included
		return ok(map[string]any{"channel": ch, "ts": m.TS, "message": messageJSON(m)}, "")
	}
	s.messages = append(s.messages, m)
	return ok(map[string]any{"channel": ch, "ts": m.TS, "message": messageJSON(m)}, "ts="+m.TS)
}

func (s *Server) postEphemeral(args map[string]string) reply {
	ch, user := args["channel"], args["user"]
	if e := s.postErrLocked(ch); e != "" {
		return fail(e)
	}
	blocks, refused := messageBlocks(args)
	if refused != nil {
		return *refused
	}
	m := &Message{Channel: ch, TS: s.nextTSLocked(), ThreadTS: args["thread_ts"], Text: args["text"],
		Blocks: blocks, User: user, Ephemeral: true}
	s.messages = append(s.messages, m)
	return ok(map[string]any{"message_ts": m.TS}, "message_ts="+m.TS)
}

func (s *Server) update(args map[string]string) reply {
	ch, ts := args["channel"], args["ts"]
	if s.lean { // nothing is kept to update, but the answer is Slack's: the message as it now is
		blocks, refused := messageBlocks(args)
		if refused != nil {
			return *refused
		}
		m := &Message{Channel: ch, TS: ts, Text: args["text"], Blocks: blocks}
		return ok(map[string]any{"channel": ch, "ts": ts, "text": m.Text, "message": messageJSON(m)}, "")
	}
	m := s.findLocked(ch, ts)
	switch {
	case !s.knownChannelLocked(ch):
		return fail("channel_not_found")
	case s.channels[ch] != nil && s.channels[ch].archived:
		return fail("is_inactive") // Slack's answer for a frozen, archived or deleted channel
	case s.typed[ch+"/"+ts]:
		return fail("cant_update_message") // a user's message: the bot may not edit it
	case m == nil || m.Ephemeral: // Slack cannot update ephemerals either
		return fail("message_not_found")
	}
	blocks, refused := messageBlocks(args)
	if refused != nil {
		return *refused
	}
	// Like Slack, fields the call leaves out keep their old value.
	if text, found := args["text"]; found {
		m.Text = text
	}
	if _, found := args["blocks"]; found {
		m.Blocks = blocks
	}
	m.Updated++
	return ok(map[string]any{"channel": m.Channel, "ts": m.TS, "text": m.Text, "message": messageJSON(m)}, "ts="+m.TS)
}

func (s *Server) conversationsInfo(args map[string]string) reply {
	id := args["channel"]
	if c, known := s.channels[id]; known {
		return ok(map[string]any{"channel": map[string]any{"id": id, "name": c.name,
			"is_member": slices.Contains(c.members, BotUserID), "is_archived": c.archived,
			"is_channel": true, "is_private": strings.HasPrefix(id, "G"), "is_im": false}}, "")
	}
	if strings.HasPrefix(id, "D") {
		return ok(map[string]any{"channel": map[string]any{"id": id, "user": id[1:], "is_member": true,
			"is_archived": false, "is_channel": false, "is_private": false, "is_im": true}}, "")
	}
	return fail("channel_not_found")
}

func (s *Server) conversationsMembers(args map[string]string) reply {
	id := args["channel"]
	var members []string
	if c, known := s.channels[id]; known {
		members = c.members
	} else if strings.HasPrefix(id, "D") {
		members = []string{id[1:], BotUserID}
	} else {
		return fail("channel_not_found")
	}
	page, next := pageOf(members, args)
	return ok(map[string]any{"members": page, "response_metadata": map[string]any{"next_cursor": next}},
		fmt.Sprintf("members=%d", len(page)))
}

// pageOf returns the page of items that the "cursor" and "limit" arguments ask for (cursors are
// opaque offsets here; limit defaults to 100), never nil, and the next page's cursor ("" after the
// last page).
func pageOf[T any](items []T, args map[string]string) ([]T, string) {
	from, _ := strconv.Atoi(args["cursor"])
	limit, err := strconv.Atoi(args["limit"])
	if err != nil || limit <= 0 {
		limit = 100
	}
	from = min(max(from, 0), len(items))
	to, next := min(from+limit, len(items)), ""
	if to < len(items) {
		next = strconv.Itoa(to)
	}
	return append([]T{}, items[from:to]...), next
}

// messageJSON renders a stored message as Slack returns it.
func messageJSON(m *Message) map[string]any {
	out := map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "app_id": AppID,
		"team": TeamID, "text": m.Text, "ts": m.TS}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.Blocks != nil {
		out["blocks"] = m.Blocks
	}
	if len(m.Files) > 0 {
		files := []map[string]any{}
		for _, id := range m.Files {
			files = append(files, map[string]any{"id": id})
		}
		out["files"], out["upload"] = files, true
	}
	return out
}

// logLine renders one call for Log.
func logLine(c Call, rep reply) string {
	// Identifying fields first, then the rest alphabetically.
	first := []string{"channel", "channel_id", "user", "users", "user_id", "trigger_id", "canvas_id", "file", "file_id",
		"scheduled_message_id", "ts", "thread_ts", "post_at", "title", "type", "link", "filename", "text", "blocks", "view"}
	keys := slices.DeleteFunc(slices.Clone(first), func(k string) bool { _, found := c.Args[k]; return !found })
	for _, k := range slices.Sorted(maps.Keys(c.Args)) {
		if !slices.Contains(first, k) {
			keys = append(keys, k)
		}
	}
	var b strings.Builder
	b.WriteString(c.Method)
	for _, k := range keys {
		b.WriteString(" " + summarize(k, c.Args[k]))
	}
	switch {
	case c.Status != http.StatusOK && rep.retryAfter > 0:
		fmt.Fprintf(&b, " -> HTTP %d retry_after=%d", c.Status, rep.retryAfter)
	case c.Status != http.StatusOK:
		fmt.Fprintf(&b, " -> HTTP %d", c.Status)
	case c.Error != "":
		b.WriteString(strings.TrimRight(" -> error "+c.Error+" "+rep.note, " "))
	default:
		b.WriteString(strings.TrimRight(" -> ok "+rep.note, " "))
	}
	return b.String()
}

func summarize(k, v string) string {
	switch k {
	case "blocks", "attachments":
		var items []json.RawMessage
		if json.Unmarshal([]byte(v), &items) == nil {
			return fmt.Sprintf("%s=%d", k, len(items))
		}
	case "view":
		var view struct {
			Type   string            `json:"type"`
			Blocks []json.RawMessage `json:"blocks"`
		}
		if json.Unmarshal([]byte(v), &view) == nil {
			return fmt.Sprintf("view=%s(blocks=%d)", view.Type, len(view.Blocks))
		}
	case "document_content":
		var doc document
		if json.Unmarshal([]byte(v), &doc) == nil {
			return fmt.Sprintf("document_content=%s(%d chars)", doc.Type, utf8.RuneCountInString(doc.Markdown))
		}
	case "changes":
		var changes []struct{ Operation string }
		if json.Unmarshal([]byte(v), &changes) == nil {
			var ops []string
			for _, ch := range changes {
				ops = append(ops, ch.Operation)
			}
			return "changes=" + strings.Join(ops, ",")
		}
	}
	if r := []rune(v); len(r) > 80 {
		v = string(r[:79]) + "…"
	}
	if k == "text" || strings.ContainsAny(v, " \"\n\t") {
		return k + "=" + strconv.Quote(v)
	}
	return k + "=" + v
}
