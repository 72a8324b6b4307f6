package slackbot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// Handler logic against a hand-written fake of the Web API (no server): the handlers are called
// as the read loop calls them, and queues.wait returns once every queued turn has run.

// sent is one call the bot made on fakeAPI.
type sent struct {
	method, channel, user, ts string
	args                      url.Values
}

func (s sent) text() string { return s.args.Get("text") }

// fakeAPI records the bot's Web API calls and answers them from its tables.
type fakeAPI struct {
	mu      sync.Mutex
	calls   []sent
	seq     int
	postErr map[string]error          // chat.postMessage fails in these channels
	info    map[string]*slack.Channel // conversations.info; missing: channel_not_found
	members map[string][]string
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{postErr: map[string]error{}, info: map[string]*slack.Channel{}, members: map[string][]string{}}
}

func (f *fakeAPI) record(method, channel, user, ts string, opts []slack.MsgOption) sent {
	_, args, _ := slack.UnsafeApplyMsgOptions("xoxb-test", channel, "https://slack.invalid/api/", opts...)
	s := sent{method: method, channel: channel, user: user, ts: ts, args: args}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
	return s
}

func (f *fakeAPI) sent(method string, match func(sent) bool) []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sent
	for _, c := range f.calls {
		if c.method == method && (match == nil || match(c)) {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeAPI) AuthTestContext(context.Context) (*slack.AuthTestResponse, error) {
	return &slack.AuthTestResponse{UserID: "UBOT", TeamID: "T1"}, nil
}

func (f *fakeAPI) ChatPost(_ context.Context, m chatMessage) (string, error) {
	f.mu.Lock()
	err := f.postErr[m.Channel]
	f.seq++
	ts := fmt.Sprintf("1700000000.%06d", f.seq)
	f.mu.Unlock()
	f.recordChat("chat.postMessage", ts, m)
	return ts, err
}

// recordChat records a message posted or updated as the arguments slack-go would have sent.
func (f *fakeAPI) recordChat(method, ts string, m chatMessage) {
	blocks, _ := json.Marshal(m.Blocks)
	args := url.Values{"channel": {m.Channel}, "text": {m.Text}, "blocks": {string(blocks)}}
	if m.ThreadTS != "" {
		args.Set("thread_ts", m.ThreadTS)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, sent{method: method, channel: m.Channel, ts: ts, args: args})
}

// PostMessageContext is the bot's answer through a slash command's response_url.
func (f *fakeAPI) PostMessageContext(_ context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	f.record("response_url", channel, "", "", opts)
	return channel, "", nil
}

func (f *fakeAPI) ChatUpdate(_ context.Context, m chatMessage) error {
	f.recordChat("chat.update", m.TS, m)
	return nil
}

func (f *fakeAPI) PostEphemeralContext(_ context.Context, channel, user string, opts ...slack.MsgOption) (string, error) {
	f.record("chat.postEphemeral", channel, user, "", opts)
	return "", nil
}

func (f *fakeAPI) OpenConversationContext(_ context.Context, p *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error) {
	ch := &slack.Channel{}
	ch.ID = dmOf(p.Users[0])
	return ch, false, false, nil
}

func (f *fakeAPI) GetConversationInfoContext(_ context.Context, in *slack.GetConversationInfoInput) (*slack.Channel, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ch, ok := f.info[in.ChannelID]; ok {
		return ch, nil
	}
	return nil, slack.SlackErrorResponse{Err: "channel_not_found"}
}

func (f *fakeAPI) GetUsersInConversationContext(_ context.Context, p *slack.GetUsersInConversationParameters) ([]string, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.members[p.ChannelID], "", nil
}

func (f *fakeAPI) OpenViewContext(_ context.Context, trigger string, view slack.ModalViewRequest) (*slack.ViewResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, _ := json.Marshal(view)
	f.calls = append(f.calls, sent{method: "views.open", args: url.Values{"trigger_id": {trigger}, "view": {string(data)}}})
	return &slack.ViewResponse{}, nil
}

func (f *fakeAPI) CreateCanvasContext(_ context.Context, title string, content slack.DocumentContent, _ ...slack.CreateCanvasOption) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, sent{method: "canvases.create", args: url.Values{"title": {title}, "markdown": {content.Markdown}}})
	return "F0CANVAS", nil
}

func (f *fakeAPI) SetCanvasAccessContext(_ context.Context, p slack.SetCanvasAccessParams) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, sent{method: "canvases.access.set", args: url.Values{"canvas_id": {p.CanvasID}, "access_level": {p.AccessLevel}}})
	return nil
}

func (f *fakeAPI) UploadFileContext(_ context.Context, p slack.UploadFileParameters) (*slack.FileSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, sent{method: "files.upload", channel: p.Channel, args: url.Values{"filename": {p.Filename}, "content": {p.Content}}})
	return &slack.FileSummary{ID: "F0FILE", Title: p.Title}, nil
}

// The team decision's calls are tested end to end against the fake Slack; here they only record.

func (f *fakeAPI) GetFileInfoContext(_ context.Context, id string, _, _ int) (*slack.File, []slack.Comment, *slack.Paging, error) {
	f.record("files.info", "", "", "", nil)
	return &slack.File{ID: id, Permalink: "https://fake.slack.com/files/" + id}, nil, nil, nil
}

func (f *fakeAPI) CreateChannelCanvasContext(_ context.Context, channel string, _ slack.DocumentContent, _ ...slack.CreateChannelCanvasOption) (string, error) {
	f.record("conversations.canvases.create", channel, "", "", nil)
	return "F0CANVAS", nil
}

func (f *fakeAPI) ScheduleMessageContext(_ context.Context, channel, _ string, _ ...slack.MsgOption) (string, string, error) {
	f.record("chat.scheduleMessage", channel, "", "", nil)
	return channel, "Q0SCHEDULED", nil
}

func (f *fakeAPI) AddBookmarkContext(_ context.Context, channel string, _ slack.AddBookmarkParameters) (slack.Bookmark, error) {
	f.record("bookmarks.add", channel, "", "", nil)
	return slack.Bookmark{ID: "Bk0"}, nil
}

func (f *fakeAPI) GetUserInfoContext(_ context.Context, user string, _ ...slack.GetUserInfoOption) (*slack.User, error) {
	f.record("users.info", "", user, "", nil)
	return &slack.User{ID: user, Name: strings.ToLower(user)}, nil
}

func (f *fakeAPI) PublishViewContext(_ context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, _ := json.Marshal(req.View)
	f.calls = append(f.calls, sent{method: "views.publish", user: req.UserID, args: url.Values{"view": {string(data)}}})
	return &slack.ViewResponse{}, nil
}

func dmOf(user string) string { return "D" + user }

// countingStore counts admissions: what reaches the store.
type countingStore struct {
	*memstore.Store
	mu     sync.Mutex
	admits int
}

func (k *countingStore) Admit(ctx context.Context, req admit.Request) (admit.Result, error) {
	k.mu.Lock()
	k.admits++
	k.mu.Unlock()
	return k.Store.Admit(ctx, req)
}

func (k *countingStore) count() int { k.mu.Lock(); defer k.mu.Unlock(); return k.admits }

type unitBot struct {
	*Bot
	sessions *countingStore
	api      *fakeAPI
	eng      *trickyEngine
	logs     *lockedWriter
}

// newUnitBot returns a bot on a fake Web API; sessions is shared when given (another replica).
func newUnitBot(t *testing.T, turnsPerMinute int, sessions *memstore.Store) *unitBot {
	t.Helper()
	clk := func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) }
	if sessions == nil {
		sessions = memstore.New(time.Hour, clk)
	}
	store := &countingStore{Store: sessions}
	eng := &trickyEngine{
		Engine:  dialog.New(loadCatalog(t), sessions, clk),
		entered: make(chan struct{}, 1), release: make(chan struct{}), cancelled: make(chan error, 1),
	}
	u := &unitBot{sessions: store, api: newFakeAPI(), eng: eng, logs: &lockedWriter{mu: &sync.Mutex{}, b: &strings.Builder{}}}
	u.Bot = newBot(Config{
		Engine: eng, Store: store, Log: zerolog.New(u.logs), TurnTimeout: 30 * time.Second,
		Grace: time.Second, Now: clk, TurnsPerMinute: turnsPerMinute,
	}, u.api)
	u.botUserID = "UBOT"
	return u
}

func (u *unitBot) log() string { u.logs.mu.Lock(); defer u.logs.mu.Unlock(); return u.logs.b.String() }

var eventSeq int

// say delivers a DM from user, as the read loop does, without waiting for it to be handled.
func (u *unitBot) say(user, text string) {
	eventSeq++
	u.onEvent(context.Background(), slackevents.EventsAPIEvent{
		TeamID:     "T1",
		Data:       &slackevents.EventsAPICallbackEvent{EventID: fmt.Sprintf("Ev%d", eventSeq)},
		InnerEvent: slackevents.EventsAPIInnerEvent{Data: &slackevents.MessageEvent{ChannelType: "im", User: user, Channel: dmOf(user), Text: text}},
	})
}

// click delivers a click by user on the button a of the message at ts.
func (u *unitBot) click(user, ts string, a *slack.BlockAction) {
	eventSeq++
	u.onInteraction(context.Background(), slack.InteractionCallback{
		Type: slack.InteractionTypeBlockActions, TriggerID: fmt.Sprintf("trig%d", eventSeq),
		Team: slack.Team{ID: "T1"}, User: slack.User{ID: user},
		Container:      slack.Container{ChannelID: dmOf(user), MessageTs: ts},
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{a}},
	})
}

// start begins user's conversation with /stackpick and returns the first question's post.
func (u *unitBot) start(t *testing.T, user string) sent {
	t.Helper()
	u.onSlash(context.Background(), slack.SlashCommand{TeamID: "T1", UserID: user, TriggerID: "start-" + user})
	u.queues.wait()
	return u.question(t, user, 1)
}

// question returns the latest post of question n in user's DM.
func (u *unitBot) question(t *testing.T, user string, n int) sent {
	t.Helper()
	want := fmt.Sprintf("Question %d of %d", n, len(u.eng.Catalog().Questions))
	posts := u.api.sent("chat.postMessage", func(s sent) bool { return s.channel == dmOf(user) && strings.HasPrefix(s.text(), want) })
	if len(posts) == 0 {
		t.Fatalf("no post of %q in %s's DM", want, user)
	}
	return posts[len(posts)-1]
}

// button is a click on control actionID as the renderer draws it for user's conversation now
// (the fake cannot read blocks back: slack-go encodes them only when it sends).
func (u *unitBot) button(t *testing.T, user, actionID string) *slack.BlockAction {
	t.Helper()
	c := u.control(t, user)
	return &slack.BlockAction{ActionID: actionID, BlockID: c.BlockID("controls"), Value: c.Encode()}
}

func (u *unitBot) control(t *testing.T, user string) blockkit.Control {
	t.Helper()
	s, err := u.sessions.Load(context.Background(), dialog.Key{Team: "T1", User: user})
	if err != nil {
		t.Fatal(err)
	}
	return blockkit.Control{Owner: user, Session: s.ID, Step: s.Step, Question: s.Current}
}

func TestAClickOnAnEarlierStepIsRefusedAsStale(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	q1 := u.start(t, "U1")
	skip := u.button(t, "U1", blockkit.ActSkip) // drawn on question 1
	u.click("U1", q1.ts, skip)
	u.queues.wait()
	u.question(t, "U1", 2) // the skip was applied
	posts := len(u.api.sent("chat.postMessage", nil))

	u.click("U1", q1.ts, skip) // the same button again: its step has passed
	u.queues.wait()
	notes := u.api.sent("chat.postEphemeral", nil)
	if len(notes) != 1 || notes[0].user != "U1" || !strings.Contains(notes[0].text(), "That button is from an earlier step") {
		t.Fatalf("private notes = %+v; want one stale-button note to U1", notes)
	}
	if n := len(u.api.sent("chat.postMessage", nil)); n != posts {
		t.Errorf("the stale click posted %d messages; it must change nothing", n-posts)
	}
}

// A typed answer leaves its question's message as it is: no chat.update (the reply confirms how
// it was read: blockkit's tests, and the fake Slack's end to end, read the blocks). Its buttons
// stay on screen, and a click on them is from an earlier step, refused as stale with the usual
// note. A clicked answer updates the message clicked.
func TestATypedAnswerIsNotUpdatedInPlaceAndAClickedOneIs(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	cat := u.eng.Catalog()
	q1 := u.start(t, "U1")
	c := u.control(t, "U1") // the controls drawn on question 1
	done := &slack.BlockAction{ActionID: blockkit.ActDone, BlockID: c.BlockID("submit"), Value: c.Encode()}

	u.say("U1", "1")
	u.queues.wait()
	q2 := u.question(t, "U1", 2)
	if updates := u.api.sent("chat.update", nil); len(updates) != 0 {
		t.Errorf("a typed answer updated messages in place: %+v", updates)
	}

	posts := len(u.api.sent("chat.postMessage", nil))
	u.click("U1", q1.ts, done) // question 1's Done, still on screen
	u.queues.wait()
	notes := u.api.sent("chat.postEphemeral", nil)
	if len(notes) != 1 || !strings.Contains(notes[0].text(), "That button is from an earlier step") {
		t.Fatalf("private notes = %+v; want one stale-button note", notes)
	}
	if n := len(u.api.sent("chat.postMessage", nil)); n != posts || len(u.api.sent("chat.update", nil)) != 0 {
		t.Errorf("the stale click posted %d messages or updated one; it must change nothing", n-posts)
	}

	c = u.control(t, "U1")
	c.Option = cat.Questions[1].Options[0].ID
	u.click("U1", q2.ts, &slack.BlockAction{ActionID: blockkit.ActAnswerPrefix + c.Option, BlockID: c.BlockID("answer"), Value: c.Encode()})
	u.queues.wait()
	updates := u.api.sent("chat.update", nil)
	if len(updates) != 1 || updates[0].ts != q2.ts || !strings.Contains(updates[0].text(), "→ "+cat.Questions[1].Options[0].Label) {
		t.Fatalf("updates after a click = %+v; want question 2's message showing its answer", updates)
	}
	if result := u.api.sent("chat.postMessage", func(s sent) bool { return strings.HasPrefix(s.text(), "Your backend shortlist") }); len(result) != 1 {
		t.Errorf("%d results posted after the last answer, want 1", len(result))
	}
}

func TestAClickOnSomeoneElsesButtonIsRefused(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	q1 := u.start(t, "U1")
	posts := len(u.api.sent("chat.postMessage", nil))
	skip := u.button(t, "U1", blockkit.ActSkip)
	u.click("U2", q1.ts, skip)
	u.queues.wait()
	notes := u.api.sent("chat.postEphemeral", nil)
	if len(notes) != 1 || notes[0].user != "U2" || !strings.Contains(notes[0].text(), "belong to someone else's conversation") {
		t.Fatalf("private notes = %+v; want one note to U2", notes)
	}
	if n := len(u.api.sent("chat.postMessage", nil)); n != posts {
		t.Errorf("the foreign click posted %d messages", n-posts)
	}
	// U1's conversation is untouched: their own skip still applies to question 1.
	u.click("U1", q1.ts, skip)
	u.queues.wait()
	u.question(t, "U1", 2)
}

// The Undo button under notes that confirm a typed answer takes the answer back and asks its
// question again; pressed again, it is from an earlier step and changes nothing.
func TestTheUndoButtonTakesBackWhatWasReadFromTypedText(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	posts := func(prefix string) []sent {
		return u.api.sent("chat.postMessage", func(s sent) bool { return strings.HasPrefix(s.text(), prefix) })
	}
	u.start(t, "U1")
	u.say("U1", "we use python")
	u.queues.wait()
	u.question(t, "U1", 2)
	notes := posts("Understood: languages: Python")
	if len(notes) != 1 {
		t.Fatalf("%d notes confirm the typed answer, want 1", len(notes))
	}
	c := u.control(t, "U1")
	c.Question = "" // the Undo button names no question
	undo := &slack.BlockAction{ActionID: blockkit.ActUndo, BlockID: c.BlockID("notes"), Value: c.Encode()}
	u.click("U1", notes[0].ts, undo)
	u.queues.wait()
	s, err := u.sessions.Load(context.Background(), dialog.Key{Team: "T1", User: "U1"})
	if err != nil || s.Answers["languages"] != nil || s.Current != "languages" {
		t.Fatalf("after undo: answers %v, asking %q, %v; want no answer and languages asked again", s.Answers, s.Current, err)
	}
	if len(posts("Undone:")) != 1 || len(posts("Question 1 of")) != 2 {
		t.Fatal("the undo was not confirmed, or its question not asked again")
	}
	before := len(posts(""))
	u.click("U1", notes[0].ts, undo)
	u.queues.wait()
	if eph := u.api.sent("chat.postEphemeral", nil); len(eph) != 1 || !strings.Contains(eph[0].text(), "earlier step") {
		t.Errorf("private notes after a second undo = %+v; want one stale-button note", eph)
	}
	if n := len(posts("")); n != before {
		t.Errorf("the second undo posted %d messages; it must change nothing", n-before)
	}
}

// finish brings user's conversation to its result and returns the result's post.
func (u *unitBot) finish(t *testing.T, user string) sent {
	t.Helper()
	q1 := u.start(t, user)
	u.click(user, q1.ts, u.button(t, user, blockkit.ActFinish))
	u.queues.wait()
	posts := u.api.sent("chat.postMessage", func(s sent) bool { return strings.HasPrefix(s.text(), "Your backend shortlist") })
	if len(posts) != 1 {
		t.Fatalf("%d results posted, want 1", len(posts))
	}
	return posts[0]
}

// shareTo clicks the result's share menu, choosing channel.
func (u *unitBot) shareTo(t *testing.T, user string, result sent, channel string) {
	t.Helper()
	c := u.control(t, user)
	c.Question = ""
	u.click(user, result.ts, &slack.BlockAction{ActionID: blockkit.ActShare, BlockID: c.BlockID("share"), SelectedConversation: channel})
	u.queues.wait()
}

func TestSharingToAChannel(t *testing.T) {
	member := func(id string, in bool) *slack.Channel {
		ch := &slack.Channel{}
		ch.ID, ch.IsMember = id, in
		return ch
	}
	for name, tc := range map[string]struct {
		info    *slack.Channel
		members []string
		postErr error
		say     string
		shared  bool
	}{
		"the bot is not in the channel":  {info: member("C9", false), members: []string{"U1"}, say: "I'm not a member of <#C9> yet. Invite me there"},
		"the user is not in the channel": {info: member("C9", true), members: []string{"U7"}, say: "you are not in <#C9>"},
		"a channel the bot cannot see":   {say: "I can't see that channel"},
		"Slack refuses the post":         {info: member("C9", true), members: []string{"U1"}, postErr: slack.SlackErrorResponse{Err: "is_archived"}, say: "<#C9> is archived"},
		"a shared shortlist":             {info: member("C9", true), members: []string{"U1"}, say: "Shared your shortlist to <#C9>.", shared: true},
	} {
		t.Run(name, func(t *testing.T) {
			u := newUnitBot(t, 0, nil)
			if tc.info != nil {
				u.api.info["C9"] = tc.info
			}
			u.api.members["C9"] = tc.members
			if tc.postErr != nil {
				u.api.postErr["C9"] = tc.postErr
			}
			result := u.finish(t, "U1")
			u.shareTo(t, "U1", result, "C9")
			said := u.api.sent("chat.postMessage", func(s sent) bool { return s.channel == dmOf("U1") && strings.Contains(s.text(), tc.say) })
			if len(said) != 1 || said[0].args.Get("thread_ts") == "" {
				t.Errorf("the user was told %d times %q in their thread; want once", len(said), tc.say)
			}
			// The post is tried only once every check has passed.
			tried := 0
			if tc.shared || tc.postErr != nil {
				tried = 1
			}
			if posted := u.api.sent("chat.postMessage", func(s sent) bool { return s.channel == "C9" }); len(posted) != tried {
				t.Errorf("%d posts to the channel, want %d", len(posted), tried)
			}
		})
	}
}

// A failed chat.postMessage is logged once (handle or return, never both), and the turn stops
// without saving a thread it could not post in.
func TestASlackErrorOnPostIsLoggedOnce(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	u.api.postErr[dmOf("U1")] = slack.SlackErrorResponse{Err: "msg_too_long"}
	u.onSlash(context.Background(), slack.SlashCommand{TeamID: "T1", UserID: "U1", TriggerID: "t1"})
	u.queues.wait()
	if n := strings.Count(u.log(), "msg_too_long"); n != 1 {
		t.Fatalf("the Slack error was logged %d times, want once:\n%s", n, u.log())
	}
	if posts := u.api.sent("chat.postMessage", nil); len(posts) != 1 {
		t.Fatalf("%d posts after the thread's parent failed; the turn must stop", len(posts))
	}
	delete(u.api.postErr, dmOf("U1"))
	u.say("U1", "status") // the next turn opens the thread afresh: nothing was recorded
	u.queues.wait()
	parents := u.api.sent("chat.postMessage", func(s sent) bool { return strings.HasPrefix(s.text(), "Choosing a backend framework") })
	if len(parents) != 2 {
		t.Errorf("%d thread parents posted, want the failed one and a new one", len(parents))
	}
}

// answersStatus reports whether a post answers a typed "status" with the conversation's progress
// (the first one also starts the conversation, read as its description).
func answersStatus(text string) bool { return strings.HasPrefix(text, "Progress:") }

// A user over the limit is told once per window; past the limit plus one, their events are
// refused before any store round trip.
func TestTheRateLimitNoteAndTheEarlyRefusal(t *testing.T) {
	const limit, events = 2, 10
	u := newUnitBot(t, limit, nil)
	for i := 0; i < events; i++ {
		u.say("U1", "status")
	}
	u.queues.wait()
	notes := u.api.sent("chat.postMessage", func(s sent) bool {
		return strings.HasPrefix(s.text(), fmt.Sprintf("You're going faster than I can follow: at most %d messages", limit))
	})
	if len(notes) != 1 || notes[0].channel != dmOf("U1") {
		t.Fatalf("%d rate-limit notes, want one in U1's DM", len(notes))
	}
	if n := len(u.api.sent("chat.postMessage", func(s sent) bool { return answersStatus(s.text()) })); n != limit {
		t.Errorf("%d turns answered, want %d", n, limit)
	}
	if n := u.sessions.count(); n != limit+1 {
		t.Errorf("%d of %d events reached the store, want %d (the limit and the one explained)", n, events, limit+1)
	}
}

// The store's count is the truth across replicas: two replicas whose own counts stay under the
// local refusal still refuse past the shared limit, and the user is told once in all.
func TestTheRateLimitHoldsAcrossReplicas(t *testing.T) {
	const limit = 2
	shared := memstore.New(time.Hour, func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) })
	a, b := newUnitBot(t, limit, shared), newUnitBot(t, limit, shared)
	for i := 0; i < 2*(limit+1); i++ { // each replica sees limit+1 events: none refused locally
		r := a
		if i%2 == 1 {
			r = b
		}
		r.say("U1", "status")
		r.queues.wait()
	}
	count := func(prefix string) int {
		n := 0
		for _, r := range []*unitBot{a, b} {
			n += len(r.api.sent("chat.postMessage", func(s sent) bool { return strings.HasPrefix(s.text(), prefix) }))
		}
		return n
	}
	n := 0
	for _, r := range []*unitBot{a, b} {
		n += len(r.api.sent("chat.postMessage", func(s sent) bool { return answersStatus(s.text()) }))
	}
	if n != limit {
		t.Errorf("%d turns answered across the replicas, want %d", n, limit)
	}
	if n := count("You're going faster"); n != 1 {
		t.Errorf("the limit was explained %d times across the replicas, want once", n)
	}
}

// A user's queue holds a bounded number of events: past it, events are dropped, not queued.
func TestAUsersQueueIsBounded(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	u.say("U1", "slow")
	<-u.eng.entered // the first turn is running and holds the queue
	for i := 0; i < maxQueuedPerUser+10; i++ {
		u.say("U1", "status")
	}
	u.say("U2", "status") // another user has a queue of their own
	close(u.eng.release)
	u.queues.wait()
	answered := func(user string) int {
		return len(u.api.sent("chat.postMessage", func(s sent) bool {
			return s.channel == dmOf(user) && answersStatus(s.text())
		}))
	}
	// The running turn started U1's conversation; each queued one shows its progress.
	if n := answered("U1"); n != maxQueuedPerUser {
		t.Errorf("%d of U1's queued turns were handled, want %d", n, maxQueuedPerUser)
	}
	if n := answered("U2"); n != 1 {
		t.Errorf("U2's turn was handled %d times, want once", n)
	}
	if !strings.Contains(u.log(), "the user's queue is full") {
		t.Error("the dropped events were not logged")
	}
}

func TestTheHomeTabCountsTheCatalogsFrameworks(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	u.onEvent(context.Background(), slackevents.EventsAPIEvent{
		TeamID: "T1", Data: &slackevents.EventsAPICallbackEvent{EventID: "EvHome"},
		InnerEvent: slackevents.EventsAPIInnerEvent{Data: &slackevents.AppHomeOpenedEvent{User: "U1", Tab: "home"}},
	})
	u.queues.wait()
	views := u.api.sent("views.publish", nil)
	want := fmt.Sprintf("rank %d frameworks for your answers", len(u.eng.Catalog().Frameworks))
	if len(views) != 1 || views[0].user != "U1" || !strings.Contains(views[0].args.Get("view"), want) {
		t.Fatalf("views.publish = %+v; want U1's home saying %q", views, want)
	}
}

func TestTheCatalogListingShowsTheLoadedCatalog(t *testing.T) {
	u := newUnitBot(t, 0, nil)
	cat := u.eng.Catalog()
	data, _ := json.Marshal(u.slashAck(slack.SlashCommand{Text: "catalog"}))
	if want := fmt.Sprintf("The %d frameworks I know", len(cat.Frameworks)); !strings.Contains(string(data), want) {
		t.Errorf("the listing lacks %q: %s", want, data)
	}
	for _, f := range cat.Frameworks {
		if !strings.Contains(string(data), f.Name) {
			t.Errorf("the listing lacks %s", f.Name)
		}
	}
}
