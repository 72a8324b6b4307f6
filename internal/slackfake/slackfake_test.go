package slackfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// bot is the real slack-go client wired to a fake, acking every envelope with what answer returns.
type bot struct {
	api    *slack.Client
	answer func(socketmode.Event) any
	slash  chan slack.SlashCommand
	events chan slackevents.EventsAPIEvent
	clicks chan slack.InteractionCallback
}

func newFake(t *testing.T) (*slackfake.Server, context.Context) {
	t.Helper()
	t.Parallel()
	s := slackfake.New()
	t.Cleanup(s.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return s, ctx
}

func newAPI(s *slackfake.Server, botToken string) *slack.Client {
	return slack.New(botToken, slack.OptionAppLevelToken(slackfake.AppToken), slack.OptionAPIURL(s.APIURL()))
}

// startBot runs socketmode against s until the test ends and waits until it is connected. It acks
// a slash command with an ephemeral "working...", any other envelope without a payload.
func startBot(ctx context.Context, t *testing.T, s *slackfake.Server) *bot {
	t.Helper()
	return startAnsweringBot(ctx, t, s, func(evt socketmode.Event) any {
		if evt.Type == socketmode.EventTypeSlashCommand {
			return map[string]any{"response_type": "ephemeral", "text": "working..."}
		}
		return nil
	})
}

// startAnsweringBot is startBot acking each envelope with the payload answer returns (nil: none).
func startAnsweringBot(ctx context.Context, t *testing.T, s *slackfake.Server, answer func(socketmode.Event) any) *bot {
	t.Helper()
	b := &bot{
		api:    newAPI(s, slackfake.BotToken),
		answer: answer,
		slash:  make(chan slack.SlashCommand, 16),
		events: make(chan slackevents.EventsAPIEvent, 16),
		clicks: make(chan slack.InteractionCallback, 16),
	}
	client := socketmode.New(b.api)
	runCtx, stop := context.WithCancel(context.Background())
	ran, consumed := make(chan error, 1), make(chan struct{})
	go func() { ran <- client.RunContext(runCtx) }()
	go func() {
		defer close(consumed)
		for {
			select {
			case <-runCtx.Done():
				return
			case evt := <-client.Events:
				b.handle(runCtx, t, client, evt)
			}
		}
	}()
	t.Cleanup(func() {
		stop()
		if err := <-ran; !errors.Is(err, context.Canceled) {
			t.Errorf("RunContext returned %v, want context.Canceled", err)
		}
		<-consumed
	})
	if err := s.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *bot) handle(ctx context.Context, t *testing.T, client *socketmode.Client, evt socketmode.Event) {
	if evt.Type == socketmode.EventTypeErrorBadMessage {
		t.Errorf("slack-go rejected an envelope: %v", evt.Data.(*socketmode.ErrorBadMessage).Cause)
		return
	}
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return // lifecycle events and hello are not acked
	}
	if err := client.Ack(*evt.Request, b.answer(evt)); err != nil {
		t.Errorf("ack %s: %v", evt.Type, err)
	}
	switch data := evt.Data.(type) {
	case slack.SlashCommand:
		send(ctx, b.slash, data)
	case slackevents.EventsAPIEvent:
		send(ctx, b.events, data)
	case slack.InteractionCallback:
		send(ctx, b.clicks, data)
	}
}

func send[T any](ctx context.Context, ch chan<- T, v T) {
	select {
	case ch <- v:
	case <-ctx.Done():
	}
}

func receive[T any](ctx context.Context, t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		var zero T
		t.Fatalf("nothing received: %v", ctx.Err())
		return zero
	}
}

func TestSlashCommandIsDeliveredAndAcked(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)

	id, err := s.SlashCommand(ctx, "U1", "C1", "/stackpick", "go api")
	if err != nil {
		t.Fatal(err)
	}
	cmd := receive(ctx, t, b.slash)
	if cmd.UserID != "U1" || cmd.ChannelID != "C1" || cmd.Command != "/stackpick" || cmd.Text != "go api" ||
		cmd.TeamID != slackfake.TeamID || cmd.APIAppID != slackfake.AppID || cmd.TriggerID == "" {
		t.Errorf("slash command = %+v", cmd)
	}
	ack, err := s.WaitAck(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ack.Payload), `"text":"working..."`) || ack.Latency <= 0 {
		t.Errorf("ack = %+v (payload %s)", ack, ack.Payload)
	}

	// The response_url is served by the fake and recorded as a call.
	_, _, err = b.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral),
		slack.MsgOptionText("Starting your checklist", false))
	if err != nil {
		t.Fatalf("post to response_url: %v", err)
	}
	call, err := s.WaitCall(ctx, "response_url", nil)
	if err != nil {
		t.Fatal(err)
	}
	if call.Args["text"] != "Starting your checklist" || call.Args["response_type"] != "ephemeral" || call.Args["url"] != cmd.ResponseURL {
		t.Errorf("response_url call args = %v", call.Args)
	}
}

func TestDirectMessageArrivesAsMessageEvent(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)

	id, ts, err := s.DirectMessage(ctx, "U1", "Postgres", "1760000000.000100")
	if err != nil {
		t.Fatal(err)
	}
	ev := receive(ctx, t, b.events)
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || cb.EventID == "" || cb.TeamID != slackfake.TeamID || len(cb.Authorizations) != 1 {
		t.Fatalf("outer event = %#v", ev.Data)
	}
	msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok {
		t.Fatalf("inner event is %T, want *slackevents.MessageEvent", ev.InnerEvent.Data)
	}
	if msg.Channel != s.DMChannel("U1") || msg.ChannelType != "im" || msg.User != "U1" || msg.Text != "Postgres" ||
		msg.TimeStamp != ts || msg.ThreadTimeStamp != "1760000000.000100" || msg.ClientMsgID == "" || msg.BotID != "" {
		t.Errorf("message event = %+v", msg)
	}
	ack, err := s.WaitAck(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Payload != nil {
		t.Errorf("ack payload = %s, want none", ack.Payload)
	}

	// Other inner events go through SendEvent.
	if _, err := s.SendEvent(ctx, map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}); err != nil {
		t.Fatal(err)
	}
	ev = receive(ctx, t, b.events)
	if home, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); !ok || home.User != "U1" || home.Tab != "home" || home.EventTimeStamp == "" {
		t.Errorf("app_home_opened = %#v", ev.InnerEvent.Data)
	}
}

func TestClickCarriesActionContainerAndState(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)

	blocks := slack.MsgOptionBlocks(
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*Database?*", false, false), nil, nil),
		slack.NewActionBlock("q_db", slack.NewButtonBlockElement("q_db_postgres", "postgres",
			slack.NewTextBlockObject(slack.PlainTextType, "Postgres", false, false))),
	)
	ch, parent, err := b.api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("Question 1", false))
	if err != nil {
		t.Fatal(err)
	}
	_, ts, err := b.api.PostMessageContext(ctx, ch, slack.MsgOptionText("Database?", false), blocks, slack.MsgOptionTS(parent))
	if err != nil {
		t.Fatal(err)
	}

	_, err = s.Click(ctx, "U1", ch, ts,
		slackfake.Action{ActionID: "q_db_postgres", BlockID: "q_db", Type: "button", Value: "postgres"},
		map[string]map[string]slackfake.StateValue{"q_langs": {"langs": {Type: "checkboxes", SelectedOptions: []string{"go", "rust"}}}})
	if err != nil {
		t.Fatal(err)
	}
	ic := receive(ctx, t, b.clicks)
	if ic.Type != slack.InteractionTypeBlockActions || ic.User.ID != "U1" || ic.Channel.ID != ch || ic.TriggerID == "" || ic.ResponseURL == "" {
		t.Errorf("callback = %+v", ic)
	}
	if c := ic.Container; c.Type != "message" || c.ChannelID != ch || c.MessageTs != ts || c.ThreadTs != parent || c.IsEphemeral {
		t.Errorf("container = %+v", c)
	}
	if ic.Message.Timestamp != ts || ic.Message.ThreadTimestamp != parent || len(ic.Message.Blocks.BlockSet) != 2 {
		t.Errorf("message = ts %q thread %q blocks %d", ic.Message.Timestamp, ic.Message.ThreadTimestamp, len(ic.Message.Blocks.BlockSet))
	}
	if acts := ic.ActionCallback.BlockActions; len(acts) != 1 || acts[0].ActionID != "q_db_postgres" || acts[0].BlockID != "q_db" ||
		acts[0].Value != "postgres" || acts[0].ActionTs == "" {
		t.Errorf("actions = %+v", acts)
	}
	var selected []string
	for _, o := range ic.BlockActionState.Values["q_langs"]["langs"].SelectedOptions {
		selected = append(selected, o.Value)
	}
	if !slices.Equal(selected, []string{"go", "rust"}) {
		t.Errorf("state selected options = %v", selected)
	}

	// A select from the App Home view.
	if _, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: slack.HomeTabViewRequest{
		Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClickHome(ctx, "U1", slackfake.Action{ActionID: "pick", BlockID: "home", Type: "static_select", SelectedOption: "go"}); err != nil {
		t.Fatal(err)
	}
	ic = receive(ctx, t, b.clicks)
	if ic.Container.Type != "view" || ic.View.ID == "" || ic.Container.ViewID != ic.View.ID || ic.View.Type != slack.VTHomeTab ||
		ic.ActionCallback.BlockActions[0].SelectedOption.Value != "go" {
		t.Errorf("home click = container %+v view %q/%q actions %+v", ic.Container, ic.View.ID, ic.View.Type, ic.ActionCallback.BlockActions)
	}
	if _, err := s.Click(ctx, "U1", ch, "1.2", slackfake.Action{}, nil); err == nil {
		t.Error("click on an unknown message succeeded")
	}
}

func TestDisconnectMakesSlackGoReconnect(t *testing.T) {
	s, ctx := newFake(t)
	b := startBot(ctx, t, s)

	s.Disconnect("refresh_requested")
	if err := s.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := s.ConnectionsOpened(); got != 2 {
		t.Errorf("ConnectionsOpened = %d, want 2", got)
	}
	// The new socket carries envelopes.
	if _, err := s.SlashCommand(ctx, "U1", "DU1", "/stackpick", ""); err != nil {
		t.Fatal(err)
	}
	receive(ctx, t, b.slash)
}

func TestWebAPIMethodsAreServedAndRecorded(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C1", "eng", "U1", "U2", slackfake.BotUserID)

	auth, err := api.AuthTestContext(ctx)
	if err != nil || auth.UserID != slackfake.BotUserID || auth.BotID != slackfake.BotID || auth.TeamID != slackfake.TeamID {
		t.Fatalf("auth.test = %+v, %v", auth, err)
	}
	dm, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || dm.ID != "DU1" {
		t.Fatalf("conversations.open = %+v, %v", dm, err)
	}
	_, ts, err := api.PostMessageContext(ctx, dm.ID, slack.MsgOptionText("Question 1 of 2: What are you building?", false),
		slack.MsgOptionBlocks(slack.NewDividerBlock()))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, dm.ID, ts, slack.MsgOptionText("Answered", false)); err != nil {
		t.Fatal(err)
	}
	ephTS, err := api.PostEphemeralContext(ctx, "C1", "U2", slack.MsgOptionText("only you", false))
	if err != nil {
		t.Fatal(err)
	}

	msgs := s.Messages(dm.ID)
	if len(msgs) != 1 || msgs[0].Text != "Answered" || msgs[0].Updated != 1 || !strings.Contains(string(msgs[0].Blocks), "divider") {
		t.Errorf("DM messages = %+v", msgs)
	}
	if eph, ok := s.Message("C1", ephTS); !ok || !eph.Ephemeral || eph.User != "U2" {
		t.Errorf("ephemeral = %+v, %v", eph, ok)
	}

	info, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C1"})
	if err != nil || info.Name != "eng" || !info.IsMember || info.IsArchived {
		t.Errorf("conversations.info = %+v, %v", info, err)
	}
	members, next, err := api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: "C1", Limit: 2})
	if err != nil || !slices.Equal(members, []string{"U1", "U2"}) || next == "" {
		t.Errorf("conversations.members = %v %q %v", members, next, err)
	}
	view, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: slack.HomeTabViewRequest{
		Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}},
	}})
	if err != nil || view.ID == "" {
		t.Fatalf("views.publish = %+v, %v", view, err)
	}
	if stored, ok := s.View("U1"); !ok || !strings.Contains(string(stored), view.ID) {
		t.Errorf("stored view = %s", stored)
	}

	post, err := s.WaitCall(ctx, "chat.postMessage", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, leaked := post.Args["token"]; leaked || post.Args["channel"] != "DU1" || post.Status != http.StatusOK || post.Error != "" {
		t.Errorf("recorded call = %+v", post)
	}
	if n := s.CountCalls("chat.update"); n != 1 {
		t.Errorf("chat.update calls = %d", n)
	}
	want := `chat.postMessage channel=DU1 text="Question 1 of 2: What are you building?" blocks=1`
	if log := s.Log(); !strings.Contains(log, want) || !strings.Contains(log, "-> ok ts="+ts) {
		t.Errorf("log lacks %q:\n%s", want, log)
	}
	t.Logf("fake log:\n%s", s.Log())
}

func TestWebAPIErrors(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C_OUT", "random", "U1")
	s.AddChannel("C_OLD", "old", slackfake.BotUserID)
	s.ArchiveChannel("C_OLD")

	for _, tc := range []struct{ channel, want string }{
		{"C_OUT", "not_in_channel"},
		{"C_OLD", "is_archived"},
		{"C_NOPE", "channel_not_found"},
	} {
		_, _, err := api.PostMessageContext(ctx, tc.channel, slack.MsgOptionText("hi", false))
		var se slack.SlackErrorResponse
		if !errors.As(err, &se) || se.Err != tc.want {
			t.Errorf("post to %s: err = %v, want %s", tc.channel, err, tc.want)
		}
	}

	s.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, 1, "")
	_, _, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("hi", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Errorf("rate-limited post: err = %v, want RateLimitedError 1s", err)
	}
	if _, _, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("hi", false)); err != nil {
		t.Errorf("post after the fault: %v", err)
	}

	s.FailNext("chat.update", 1, http.StatusOK, 0, "internal_error")
	if _, _, _, err := api.UpdateMessageContext(ctx, "DU1", "1.0", slack.MsgOptionText("x", false)); err == nil || err.Error() != "internal_error" {
		t.Errorf("faulted update: err = %v", err)
	}

	bad := newAPI(s, "xoxb-wrong")
	if _, _, err := bad.PostMessageContext(ctx, "DU1", slack.MsgOptionText("hi", false)); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong bot token: err = %v, want invalid_auth", err)
	}
	if err := api.AddPinContext(ctx, "DU1", slack.ItemRef{}); !errors.As(err, new(slack.StatusCodeError)) {
		t.Errorf("unknown method: err = %v, want StatusCodeError 404", err)
	}

	wrongApp := socketmode.New(slack.New(slackfake.BotToken, slack.OptionAppLevelToken("xapp-wrong"), slack.OptionAPIURL(s.APIURL())))
	go func() {
		for range wrongApp.Events { // drain lifecycle events until the test ends
		}
	}()
	if err := wrongApp.RunContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong app token: RunContext = %v, want invalid_auth", err)
	}
	t.Logf("fake log:\n%s", s.Log())
}

// TestRawSocket checks what slack-go does not show: hello, pings and single-use tickets.
func TestRawSocket(t *testing.T) {
	s, ctx := newFake(t)
	_, url, err := newAPI(s, slackfake.BotToken).StartSocketModeContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil); err == nil {
		t.Error("a used ticket was accepted again")
	}

	pings := make(chan struct{}, 8)
	conn.SetPingHandler(func(string) error { pings <- struct{}{}; return nil })
	frames := make(chan []byte, 8)
	go func() {
		for {
			_, f, err := conn.ReadMessage()
			if err != nil {
				close(frames)
				return
			}
			frames <- f
		}
	}()
	var hello struct {
		Type           string `json:"type"`
		NumConnections int    `json:"num_connections"`
		ConnectionInfo struct {
			AppID string `json:"app_id"`
		} `json:"connection_info"`
	}
	if err := json.Unmarshal(receive(ctx, t, frames), &hello); err != nil || hello.Type != "hello" ||
		hello.NumConnections != 1 || hello.ConnectionInfo.AppID != slackfake.AppID {
		t.Errorf("hello = %+v, %v", hello, err)
	}
	if err := s.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	receive(ctx, t, pings)
	receive(ctx, t, pings) // the second one comes a PingInterval later

	if err := s.SendRaw(ctx, []byte(`{"type":"events_api","envelope_id":`)); err != nil {
		t.Fatal(err)
	}
	if got := string(receive(ctx, t, frames)); got != `{"type":"events_api","envelope_id":` {
		t.Errorf("raw frame = %s", got)
	}
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"envelope_id":"raw-1"}`)); err != nil {
		t.Fatal(err)
	}
	if ack, err := s.WaitAck(ctx, "raw-1"); err != nil || ack.Payload != nil {
		t.Errorf("ack = %+v, %v", ack, err)
	}
}

// A restarted app's sockets are told apart from the old ones by the connections.open call that
// issued their ticket: WaitConnectedAfter counts only the newer sockets.
func TestWaitConnectedAfterCountsOnlyNewerSockets(t *testing.T) {
	s, ctx := newFake(t)
	dial := func() {
		t.Helper()
		_, url, err := newAPI(s, slackfake.BotToken).StartSocketModeContext(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, http.Header{"Origin": {"https://api.slack.com"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
	}
	dial()
	if err := s.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	first := s.ConnectionsOpened()
	now, cancel := context.WithCancel(ctx)
	cancel() // a cancelled context asks whether the condition holds already
	if err := s.WaitConnectedAfter(now, first, 1); err == nil {
		t.Fatal("the first socket counted as opened after itself")
	}
	dial()
	if err := s.WaitConnectedAfter(ctx, first, 1); err != nil {
		t.Fatalf("the second socket was not counted: %v", err)
	}
	if err := s.WaitConnectedAfter(now, first, 2); err == nil {
		t.Error("the first socket counted as opened after itself once a second one came")
	}
}

// A held call is served at once (its message is stored) but answered only on Release; Close
// releases it too, so a fake never hangs a test.
func TestAHeldCallIsStoredButAnsweredOnRelease(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	hold := s.HoldNext("chat.postMessage", func(args map[string]string) bool { return args["text"] == "held" })
	answered := make(chan error, 1)
	go func() {
		_, _, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("held", false))
		answered <- err
	}()
	c, err := hold.Wait(ctx)
	if err != nil || c.Args["text"] != "held" {
		t.Fatalf("held call = %+v, %v", c, err)
	}
	if m := s.Messages("DU1"); len(m) != 1 || m[0].Text != "held" {
		t.Fatalf("while held, the channel holds %+v; want the message stored", m)
	}
	if _, _, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("not held", false)); err != nil {
		t.Fatalf("a call the hold does not match: %v", err)
	}
	select {
	case err := <-answered:
		t.Fatalf("the held call was answered before Release: %v", err)
	default:
	}
	hold.Release()
	if err := <-answered; err != nil {
		t.Fatalf("after Release, the held call = %v", err)
	}
}
