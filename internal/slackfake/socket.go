package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/websocket"
)

// Ack is one acknowledgement a client sent over a socket.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack had none
	// ResponseAction and Errors are the payload's "response_action" and "errors", with which an app
	// answers a view_submission ("" and nil when absent).
	ResponseAction string
	Errors         map[string]string
	Latency        time.Duration // from the envelope's write to the ack's arrival; 0 if not sent by SendEnvelope
}

// viewResponse is what an ack may answer a view_submission with.
type viewResponse struct {
	ResponseAction string            `json:"response_action"`
	Errors         map[string]string `json:"errors"`
	View           json.RawMessage   `json:"view"`
}

type socket struct {
	opened int // which connections.open call issued its ticket
	conn   *websocket.Conn
	wmu    chan struct{} // one-slot semaphore: gorilla allows one writer at a time
	done   chan struct{} // closed when the read loop ends
	sent   int           // envelopes written to it (EnvelopesPerConnection); guarded by Server.mu
}

// handleSocket serves ws://.../link/?ticket=N for the lifetime of one socket.
func (s *Server) handleSocket(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	opened, valid := s.tickets[ticket]
	delete(s.tickets, ticket) // single use
	s.mu.Unlock()
	if !valid {
		http.Error(w, "unknown or used ticket", http.StatusForbidden)
		return
	}
	// slack-go sends Origin https://api.slack.com, which differs from our host.
	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has replied already
	}
	c := &socket{opened: opened, conn: conn, wmu: make(chan struct{}, 1), done: make(chan struct{})}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = conn.Close()
		return
	}
	s.conns[c] = struct{}{}
	n := len(s.live) + 1
	s.mu.Unlock()

	defer func() {
		close(c.done)
		_ = conn.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.dropLocked(c)
		s.mu.Unlock()
	}()

	hello, _ := json.Marshal(map[string]any{
		"type":            "hello",
		"num_connections": n,
		"connection_info": map[string]any{"app_id": AppID},
		"debug_info":      map[string]any{"host": "slackfake", "build_number": 1, "approximate_connection_time": 18060},
	})
	if err := c.write(context.Background(), hello, nil); err != nil {
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.live = append(s.live, c)
	s.broadcastLocked()
	s.pingers.Add(1) // before Close's Wait: Close waits for this handler first
	s.mu.Unlock()
	go s.ping(c)

	for {
		_, frame, err := conn.ReadMessage()
		if err != nil {
			return
		}
		s.recordAck(frame)
	}
}

// ping sends PING control frames until the socket's read loop ends.
func (s *Server) ping(c *socket) {
	defer s.pingers.Done()
	t := time.NewTicker(PingInterval)
	defer t.Stop()
	for {
		// WriteControl may run concurrently with other writes (gorilla docs).
		if err := c.conn.WriteControl(websocket.PingMessage, []byte("Ping from slackfake"), time.Now().Add(time.Second)); err != nil {
			return
		}
		select {
		case <-c.done:
			return
		case <-t.C:
		}
	}
}

func (s *Server) recordAck(frame []byte) {
	var a struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(frame, &a) != nil || a.EnvelopeID == "" {
		return // not an ack; Slack ignores such frames too
	}
	if string(a.Payload) == "null" {
		a.Payload = nil
	}
	var resp viewResponse
	_ = json.Unmarshal(a.Payload, &resp) // a payload that is no view response has none of its fields
	s.mu.Lock()
	ack := Ack{EnvelopeID: a.EnvelopeID, Payload: a.Payload, ResponseAction: resp.ResponseAction, Errors: resp.Errors}
	if at, ok := s.sentAt[a.EnvelopeID]; ok {
		ack.Latency = time.Since(at)
	}
	observe := s.observeAck
	if s.lean {
		delete(s.sentAt, a.EnvelopeID)
	} else {
		s.acks = append(s.acks, ack)
		s.answerSubmissionLocked(a.EnvelopeID, resp)
		s.broadcastLocked()
	}
	s.mu.Unlock()
	if observe != nil {
		observe(ack)
	}
}

// dropLocked removes c from the live sockets. Callers hold s.mu.
func (s *Server) dropLocked(c *socket) {
	if i := slices.Index(s.live, c); i >= 0 {
		s.live = slices.Delete(s.live, i, i+1)
		s.broadcastLocked()
	}
}

// write sends one text frame, giving up at ctx's deadline (or after 5 s).
// write sends one frame; onTurn, when set, runs once this frame's turn to be written has come
// (after frames queued before it), just before it goes on the wire.
func (c *socket) write(ctx context.Context, frame []byte, onTurn func()) error {
	select {
	case c.wmu <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-c.wmu }()
	if onTurn != nil {
		onTurn()
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(5 * time.Second)
	}
	_ = c.conn.SetWriteDeadline(deadline)
	return c.conn.WriteMessage(websocket.TextMessage, frame)
}

// WaitConnected returns when at least n sockets are open, have been sent
// hello and have not been sent a disconnect, or returns ctx.Err().
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	if err := s.wait(ctx, func() bool { return len(s.live) >= n }); err != nil {
		return fmt.Errorf("wait for %d sockets: %w", n, err)
	}
	return nil
}

// WaitSockets waits until exactly n sockets are live: after a client was killed, until the fake
// has seen its socket close.
func (s *Server) WaitSockets(ctx context.Context, n int) error {
	if err := s.wait(ctx, func() bool { return len(s.live) == n }); err != nil {
		return fmt.Errorf("wait for exactly %d sockets: %w", n, err)
	}
	return nil
}

// WaitConnectedAfter is WaitConnected counting only sockets opened after the first opened
// connections.open calls (see ConnectionsOpened): a restarted app's new sockets, not the old ones
// the fake has not seen close yet.
func (s *Server) WaitConnectedAfter(ctx context.Context, opened, n int) error {
	fresh := func() bool {
		k := 0
		for _, c := range s.live {
			if c.opened > opened {
				k++
			}
		}
		return k >= n
	}
	if err := s.wait(ctx, fresh); err != nil {
		return fmt.Errorf("wait for %d sockets opened after %d: %w", n, opened, err)
	}
	return nil
}

// ConnectionsOpened returns how many apps.connections.open calls succeeded so far.
func (s *Server) ConnectionsOpened() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened
}

// SendEnvelope wraps payload (marshalled to JSON) in a Socket Mode envelope of
// type typ with a new unique envelope id, writes it to one open socket
// (round-robin) and returns the id. It fails when no socket is open.
func (s *Server) SendEnvelope(ctx context.Context, typ string, payload any) (string, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("marshal %s payload: %w", typ, err)
	}
	return s.sendEnvelope(ctx, typ, body, 0, "")
}

// Redeliver sends the payload of an earlier envelope again, as Slack does when an ack came too
// late or a socket dropped: a new envelope id, retry_attempt 1 and retry_reason "timeout". It
// returns the new envelope id.
func (s *Server) Redeliver(ctx context.Context, envelopeID string) (string, error) {
	s.mu.Lock()
	sent, ok := s.sent[envelopeID]
	s.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("redeliver %s: no such envelope", envelopeID)
	}
	return s.sendEnvelope(ctx, sent.typ, sent.payload, 1, "timeout")
}

func (s *Server) sendEnvelope(ctx context.Context, typ string, body json.RawMessage, attempt int, reason string) (string, error) {
	s.mu.Lock()
	id := fmt.Sprintf("env-%d", s.nextIDLocked())
	if !s.lean {
		s.sent[id] = sentEnvelope{typ: typ, payload: body}
	}
	s.mu.Unlock()
	frame, _ := json.Marshal(map[string]any{
		"envelope_id":              id,
		"type":                     typ,
		"payload":                  body,
		"accepts_response_payload": acceptsResponse(typ, body),
		"retry_attempt":            attempt,
		"retry_reason":             reason,
	})
	if err := s.writeOne(ctx, frame, id); err != nil {
		return "", fmt.Errorf("send %s envelope %s: %w", typ, id, err)
	}
	return id, nil
}

// acceptsResponse says whether the ack of an envelope may carry a response: a slash command's
// message, or a view submission's response_action (the Java SDK's fixtures show false for
// block_actions; Slack documents response_action acks for view_submission).
func acceptsResponse(typ string, payload json.RawMessage) bool {
	return typ == "slash_commands" || typ == "interactive" && payloadType(payload) == "view_submission"
}

// payloadType is the "type" of an envelope's payload.
func payloadType(payload json.RawMessage) string {
	var p struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(payload, &p)
	return p.Type
}

// sentEnvelope is what Redeliver needs of an envelope sent before.
type sentEnvelope struct {
	typ     string
	payload json.RawMessage
}

// SendRaw writes an arbitrary text frame to one open socket (round-robin),
// e.g. a malformed envelope. It fails when no socket is open.
func (s *Server) SendRaw(ctx context.Context, frame []byte) error {
	if err := s.writeOne(ctx, frame, ""); err != nil {
		return fmt.Errorf("send raw frame: %w", err)
	}
	return nil
}

// EnvelopesPerConnection returns how many envelopes (SendEnvelope and the helpers built on it;
// not SendRaw frames) each live socket was written, in the order the sockets became live. Frames
// go to live sockets in turn, one counter for them all: with n sockets, n consecutive frames
// reach each socket once, so two replicas share a run of envelopes evenly (to one envelope,
// depending on whose turn came first). A socket told to disconnect or dropped is no longer live,
// and no longer listed.
func (s *Server) EnvelopesPerConnection() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int, len(s.live))
	for i, c := range s.live {
		out[i] = c.sent
	}
	return out
}

// writeOne writes frame to one live socket, round-robin. A socket whose write fails is dead (its
// app closed it and the read loop has not noticed yet), so it is dropped and the frame goes to the
// next live one, as Slack delivers over another of the app's connections; it fails when none is
// left.
func (s *Server) writeOne(ctx context.Context, frame []byte, envelopeID string) error {
	var stamp func()
	if envelopeID != "" {
		// Latency runs from the moment the frame goes on the wire (not from when it queued behind
		// other frames in this fake), stamped before the write so that a fast ack always finds it.
		stamp = func() {
			s.mu.Lock()
			s.sentAt[envelopeID] = time.Now()
			s.mu.Unlock()
		}
	}
	for {
		s.mu.Lock()
		if len(s.live) == 0 {
			s.mu.Unlock()
			return errors.New("no open socket")
		}
		c := s.live[s.rr%len(s.live)]
		s.rr++
		s.mu.Unlock()
		err := c.write(ctx, frame, stamp)
		if err == nil && envelopeID != "" {
			s.mu.Lock()
			c.sent++
			s.mu.Unlock()
		}
		if err == nil || ctx.Err() != nil {
			return err
		}
		s.mu.Lock()
		s.dropLocked(c)
		s.mu.Unlock()
		_ = c.conn.Close()
	}
}

// WaitAck returns the ack for envelopeID, whether it already arrived or
// arrives later, or ctx.Err() if ctx ends first.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	found, err := waitFirst(ctx, s, func() (Ack, bool) {
		i := slices.IndexFunc(s.acks, func(a Ack) bool { return a.EnvelopeID == envelopeID })
		if i < 0 {
			return Ack{}, false
		}
		return s.acks[i], true
	})
	if err != nil {
		return Ack{}, fmt.Errorf("wait for ack of %s: %w", envelopeID, err)
	}
	return found, nil
}

// Acks returns a copy of every ack received, in arrival order.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.acks)
}

// Disconnect sends {"type":"disconnect","reason":reason,...} to every open
// socket and stops counting them as live (WaitConnected, round-robin). The
// fake keeps reading acks from them until the client closes them, as Slack does.
func (s *Server) Disconnect(reason string) {
	frame, _ := json.Marshal(map[string]any{
		"type": "disconnect", "reason": reason,
		"debug_info": map[string]any{"host": "slackfake"},
	})
	for _, c := range s.takeLive() {
		_ = c.write(context.Background(), frame, nil) // a dead socket needs no notice
	}
}

// Drop closes every open socket without a word, as a network failure would; the client has to
// notice and reconnect.
func (s *Server) Drop() {
	for _, c := range s.takeLive() {
		_ = c.conn.Close()
	}
}

// takeLive removes every socket from the live set (they no longer count as connected) and
// returns them.
func (s *Server) takeLive() []*socket {
	s.mu.Lock()
	defer s.mu.Unlock()
	targets := s.live
	s.live = nil
	s.broadcastLocked()
	return targets
}

// Lean switches the server to load-test mode: calls, acks and posted messages are no longer
// kept (chat.update succeeds on any ts), and each call and each ack is handed to the observers
// instead, outside the server's lock. Posts and updates are still answered as Slack answers them,
// with the message object, blocks included, so a client decodes what it would decode from Slack. Waiting on calls or acks no longer works in lean mode.
func (s *Server) Lean(observeCall func(Call), observeAck func(Ack)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lean, s.observeCall, s.observeAck = true, observeCall, observeAck
}
