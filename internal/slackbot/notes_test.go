package slackbot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
)

// deadlineAPI is fakeAPI refusing calls on a finished context, as slack-go's HTTP client does.
type deadlineAPI struct{ *fakeAPI }

func (d deadlineAPI) PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	if err := ctx.Err(); err != nil {
		return "", "", err
	}
	return d.fakeAPI.PostMessageContext(ctx, channel, opts...)
}

func (d deadlineAPI) PostEphemeralContext(ctx context.Context, channel, user string, opts ...slack.MsgOption) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return d.fakeAPI.PostEphemeralContext(ctx, channel, user, opts...)
}

func (d deadlineAPI) OpenConversationContext(ctx context.Context, p *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, false, err
	}
	return d.fakeAPI.OpenConversationContext(ctx, p)
}

// spendingEngine is an engine whose every turn waits until the turn's context is spent, as a
// call to a hung Redis does with go-redis honouring contexts, then fails with the context's error
// or, with panics set, panics.
type spendingEngine struct {
	Engine
	panics bool
}

func (e spendingEngine) Run(ctx context.Context, _ dialog.Key, _ dialog.Input, _ dialog.Started, _ func(context.Context, dialog.Reply) dialog.Delivery) (dialog.Reply, error) {
	<-ctx.Done()
	if e.panics {
		panic("the store's answer was nil")
	}
	return dialog.Reply{}, fmt.Errorf("load session: %w", ctx.Err())
}

// A turn that spent its whole context still tells the user: the note has a context of its own.
func TestANoteIsPostedAfterTheTurnSpentItsContext(t *testing.T) {
	for _, tt := range []struct {
		name   string
		panics bool
		method string
		want   string
	}{
		{"a failed turn", false, "chat.postEphemeral", "I can't save your answers right now"},
		{"a panicking turn", true, "chat.postMessage", "Sorry, something went wrong on my side"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clk := func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) }
			api := newFakeAPI()
			sessions := memstore.New(time.Hour, clk)
			b := newBot(Config{
				Engine: spendingEngine{Engine: dialog.New(loadCatalog(t), sessions, clk), panics: tt.panics},
				Store:  sessions, Log: zerolog.New(lockedWriter{&sync.Mutex{}, &strings.Builder{}}),
				TurnTimeout: time.Millisecond, Grace: time.Second, Now: clk,
			}, deadlineAPI{api})
			b.botUserID = "UBOT"
			u := &unitBot{Bot: b, api: api}
			u.say("U1", "python")
			b.queues.wait()
			notes := api.sent(tt.method, func(s sent) bool { return s.channel == dmOf("U1") })
			if len(notes) != 1 || !strings.Contains(notes[0].text(), tt.want) {
				t.Fatalf("%s to U1 = %+v; want one saying %q", tt.method, notes, tt.want)
			}
		})
	}
}
