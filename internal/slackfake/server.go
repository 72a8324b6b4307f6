package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Identities of the fake workspace and app. Only AppToken opens sockets and
// only BotToken is accepted by the Web API.
const (
	AppToken  = "xapp-1-A0STACKPICK-1-test"
	BotToken  = "xoxb-1-test-bot-token"
	TeamID    = "T0TEST"
	BotUserID = "UBOT"
	BotID     = "BBOT"
	AppID     = "A0STACKPICK"
	// WorkspaceURL is the workspace's address, as auth.test answers it; permalinks start with it.
	WorkspaceURL = "https://fake.slack/"
)

// PingInterval is how often the fake sends a WebSocket PING control frame on
// every open socket (the first one right after hello). It is well below
// slack-go's default 30 s watchdog.
const PingInterval = 2 * time.Second

// tsBase is the seconds part of the first timestamp the fake hands out.
const tsBase = 1760000000

// Server is a running fake Slack. All methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever recorded state changes
	closed  bool
	seq     int // source of unique ids
	tsSeq   int // source of monotonic timestamps

	// Socket Mode.
	tickets map[string]int // unused ticket -> the connections.open call that issued it (1, 2…)
	opened  int
	conns   map[*socket]struct{} // every upgraded socket, for Close
	live    []*socket            // hello sent, not closed, not told to disconnect
	rr      int
	sentAt  map[string]time.Time
	sent    map[string]sentEnvelope // by envelope id, for Redeliver

	// Rate limits (SetLimits).
	limits    map[string]Limit
	limiters  map[string]*rate.Limiter
	throttled int

	// Lean (load-test) mode.
	lean        bool
	observeCall func(Call)
	observeAck  func(Ack)
	acks        []Ack
	pingers     sync.WaitGroup

	// Web API.
	calls    []Call
	logLines []string
	faults   map[string][]fault
	messages []*Message
	channels map[string]*channel
	views    map[string]json.RawMessage
	viewIDs  map[string]string
	holds    []*Hold // waiting for their call (HoldNext)
	held     []*Hold // withholding a response

	// Modals, canvases and files.
	triggers map[string]*trigger
	modals   []*OpenedView
	canvases []*Canvas
	uploads  map[string]*upload // by file id, until completed
	files    []*File
	refusals map[string]string // method -> error it answers (Refuse)

	// Team features: scheduled messages, bookmarks, users, messages users typed.
	now       func() time.Time // SetNow
	scheduled []*Scheduled
	bookmarks []*bookmark
	users     map[string]member
	typed     map[string]bool // channel + "/" + ts of messages users typed (ChannelMessage, DirectMessage)
}

type channel struct {
	id, name string
	members  []string
	archived bool
}

type fault struct {
	status, retryAfter int
	slackErr           string
}

// Call is one recorded Web API request (or response_url POST).
type Call struct {
	Seq    int // position in the record, from 0
	Method string
	// Args holds form fields, or the top-level fields of a JSON body with
	// non-string values as their JSON text. The token is removed. For
	// response_url calls Args["url"] is the full response URL that was used.
	Args   map[string]string
	At     time.Time
	Status int    // HTTP status returned
	Error  string // Slack error returned, "" when ok
}

// Message is a message the bot posted (or an ephemeral it showed to User).
type Message struct {
	Channel, TS, ThreadTS, Text string
	Blocks                      json.RawMessage // as posted (the "blocks" JSON), nil when none
	User                        string          // ephemeral target
	Ephemeral                   bool
	Updated                     int      // how many chat.update calls changed it
	Files                       []string // ids of the files it shares (files.completeUploadExternal)
}

// New starts a fake on a free 127.0.0.1 port. Call Close when done.
func New() *Server {
	s := &Server{
		changed:  make(chan struct{}),
		tickets:  map[string]int{},
		conns:    map[*socket]struct{}{},
		sentAt:   map[string]time.Time{},
		sent:     map[string]sentEnvelope{},
		faults:   map[string][]fault{},
		channels: map[string]*channel{},
		views:    map[string]json.RawMessage{},
		viewIDs:  map[string]string{},
		triggers: map[string]*trigger{},
		uploads:  map[string]*upload{},
		refusals: map[string]string{},
		now:      time.Now,
		users:    map[string]member{},
		typed:    map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.handleAPI)
	mux.HandleFunc("/response/", s.handleAPI)
	mux.HandleFunc("/upload/", s.handleUpload)
	mux.HandleFunc("/link/", s.handleSocket)
	// Assigned before Start so handlers may read s.srv without a data race.
	s.srv = httptest.NewUnstartedServer(mux)
	s.srv.Start()
	return s
}

// Close closes every socket and stops the server. It is idempotent.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := make([]*socket, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.live = nil
	s.broadcastLocked()
	held := s.held
	s.mu.Unlock()
	for _, h := range held {
		h.Release() // the server cannot stop while a response is withheld
	}
	for _, c := range conns {
		_ = c.conn.Close() // unblocks the handler's read loop
	}
	s.srv.Close()
	s.pingers.Wait()
}

// APIURL returns the Web API base URL with its trailing slash, for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.srv.URL + "/api/" }

// broadcastLocked wakes every waiter. Callers hold s.mu.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond (evaluated under s.mu) is true or ctx ends.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// waitFirst blocks until find (called under s.mu) finds something, and returns it, or ctx.Err().
func waitFirst[T any](ctx context.Context, s *Server, find func() (T, bool)) (T, error) {
	var found T
	err := s.wait(ctx, func() bool {
		var ok bool
		found, ok = find()
		return ok
	})
	return found, err
}

// waitRecord returns the view of the first of records (called under s.mu) whose view match
// returns true (nil matches any), waiting for one, or ctx.Err(), saying it waited for what.
func waitRecord[R, T any](ctx context.Context, s *Server, what string, records func() []R, view func(R) T, match func(T) bool) (T, error) {
	found, err := waitFirst(ctx, s, func() (T, bool) {
		for _, r := range records() {
			if v := view(r); match == nil || match(v) {
				return v, true
			}
		}
		var none T
		return none, false
	})
	if err != nil {
		return found, fmt.Errorf("wait for %s: %w", what, err)
	}
	return found, nil
}

// deref is the view of a record that holds no slices or maps to copy.
func deref[T any](p *T) T { return *p }

// nextIDLocked returns a new number, unique within this server.
func (s *Server) nextIDLocked() int { s.seq++; return s.seq }

// nextTSLocked returns a new Slack timestamp, greater than every earlier one.
func (s *Server) nextTSLocked() string {
	s.tsSeq += 100
	return fmt.Sprintf("%d.%06d", tsBase+s.tsSeq/1_000_000, s.tsSeq%1_000_000)
}

// Calls returns a copy of every recorded call, in arrival order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// WaitCall returns the first recorded call (past or future) of method for which
// match returns true (nil matches any). It returns ctx.Err() if ctx ends first.
func (s *Server) WaitCall(ctx context.Context, method string, match func(Call) bool) (Call, error) {
	c, err := s.WaitFor(ctx, func(c Call) bool { return c.Method == method && (match == nil || match(c)) })
	if err != nil {
		return Call{}, fmt.Errorf("%s: %w", method, err)
	}
	return c, nil
}

// WaitFor returns the first recorded call (past or future), of any method, for which match
// returns true. It returns ctx.Err() if ctx ends first.
func (s *Server) WaitFor(ctx context.Context, match func(Call) bool) (Call, error) {
	found, err := waitFirst(ctx, s, func() (Call, bool) {
		i := slices.IndexFunc(s.calls, match)
		if i < 0 {
			return Call{}, false
		}
		return s.calls[i], true
	})
	if err != nil {
		return Call{}, fmt.Errorf("wait for a call: %w", err)
	}
	return found, nil
}

// CountCalls counts the recorded calls of method, successful or not.
func (s *Server) CountCalls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

// Messages returns the messages stored for channel in posting order, ephemerals included.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.Channel == channel {
			out = append(out, *m)
		}
	}
	return out
}

// Message returns the stored message channel/ts, and whether it exists.
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.findLocked(channel, ts); m != nil {
		return *m, true
	}
	return Message{}, false
}

// WaitMessage waits until the stored message channel/ts (as updated since) satisfies match, and
// returns it as it stands. match runs under the fake's lock: it must not call the fake.
func (s *Server) WaitMessage(ctx context.Context, channel, ts string, match func(Message) bool) (Message, error) {
	m, err := waitFirst(ctx, s, func() (Message, bool) {
		if m := s.findLocked(channel, ts); m != nil && match(*m) {
			return *m, true
		}
		return Message{}, false
	})
	if err != nil {
		return m, fmt.Errorf("wait for message %s in %s: %w", ts, channel, err)
	}
	return m, nil
}

func (s *Server) findLocked(channel, ts string) *Message {
	for _, m := range s.messages {
		if m.Channel == channel && m.TS == ts {
			return m
		}
	}
	return nil
}

// DMChannel returns the id of the bot's DM with user: "D" + user.
func (s *Server) DMChannel(user string) string { return "D" + user }

// View returns the home view last published for user (as stored, with its
// "id"), and whether there is one.
func (s *Server) View(user string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[user]
	return v, ok
}

// AddChannel registers a channel for conversations.info/members and
// chat.postMessage checks. The bot is a member iff BotUserID is listed.
func (s *Server) AddChannel(id, name string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = &channel{id: id, name: name, members: slices.Clone(members)}
}

// ArchiveChannel marks a channel added with AddChannel as archived; it is a
// no-op for unknown ids.
func (s *Server) ArchiveChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[id]; ok {
		c.archived = true
	}
}

// FailNext makes the next n calls of method (a Web API method name, or
// "response_url") fail: with HTTP status and, when retryAfterSeconds > 0, a
// Retry-After header; or, when status is 200, with {"ok":false,"error":slackErr}.
func (s *Server) FailNext(method string, n, status, retryAfterSeconds int, slackErr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[method] = append(s.faults[method], fault{status, retryAfterSeconds, slackErr})
	}
}

// Log returns one human-readable line per recorded call, in order, e.g.
// `chat.postMessage channel=DU1 text="Hi" -> ok ts=1760000000.000200`.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.logLines, "\n")
}
