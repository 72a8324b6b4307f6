package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"regexp"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// Engine is what the bot needs of the dialog engine.
type Engine interface {
	Handle(ctx context.Context, k dialog.Key, in dialog.Input) (dialog.Reply, error)
	Recommendation(ctx context.Context, k dialog.Key) (*ranking.Result, error)
	Catalog() *catalog.Catalog
}

// KV keeps the bot's own small records: which DM thread and message belong to a conversation,
// which event ids were seen (redeliveries), and per-user turn counters (rate limit). With Redis
// behind it, all of them hold across replicas.
type KV interface {
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	// Admit begins a turn in one round trip: it claims claimKey for claimTTL (first is false when
	// an earlier call holds it), counts countKey in a fixed window of countTTL, and reads readKey
	// (val nil when absent). An empty key skips its part.
	Admit(ctx context.Context, claimKey string, claimTTL time.Duration, countKey string, countTTL time.Duration, readKey string) (first bool, n int64, val []byte, err error)
}

// Metrics is what the bot reports about its work (see package metrics).
type Metrics interface {
	Connected(up bool)
	Envelope(typ string)
	Acked(d time.Duration)
	Turn(event string)
	Session(started, completed, abandoned bool)
	Shared()
	// SlackCall counts one Web API call (each retry is one) by method and outcome: ok,
	// slack_error, rate_limited, http_error or network_error.
	SlackCall(method, outcome string)
}

// Config is what New needs.
type Config struct {
	// BotToken (xoxb-…) authenticates the Web API calls.
	BotToken string
	// AppToken (xapp-…) opens the Socket Mode connection; empty in HTTP mode.
	AppToken string
	// APIURL is the Web API's base URL; empty means Slack's (set it for GovSlack or a fake).
	APIURL string
	Engine Engine
	KV     KV
	Log    zerolog.Logger
	// RecordTTL is how long the bot remembers a conversation's thread; match the session TTL.
	RecordTTL time.Duration
	// TurnTimeout bounds the work on one event (Redis and Web API calls).
	TurnTimeout time.Duration
	// Grace bounds how long Run waits for in-flight turns after its context is cancelled.
	Grace time.Duration
	// TurnsPerMinute is how many messages and clicks one user may send a minute; 0 means no limit.
	TurnsPerMinute int
	// Now is the clock of the rate limit's windows.
	Now func() time.Time
	// PaceToSlack paces Web API calls to Slack's published rate limits (see outbox).
	PaceToSlack bool
	// Metrics receives the bot's counts; nil counts nothing.
	Metrics Metrics
}

// Bot is the Slack front end: it reads Socket Mode envelopes, acks each at once, turns them into
// dialog inputs (one user's in order), and renders the replies into Block Kit messages in the
// user's DM thread.
type Bot struct {
	api     *slack.Client
	sm      *socketmode.Client
	cfg     Config
	log     zerolog.Logger
	queues  *userQueues
	out     *outbox
	metrics Metrics

	botUserID string
	connected atomic.Bool
}

const (
	// ackTimeout bounds one ack write; Slack's deadline is about 3 s.
	ackTimeout = 2 * time.Second
	// seenTTL is how long an event id is remembered: Slack's last redelivery comes about 5
	// minutes after the first delivery.
	seenTTL = 15 * time.Minute
)

// New returns a bot with its own Slack client, built from cfg's tokens and API URL. Nothing is
// sent to Slack until Run or RunHTTP.
func New(cfg Config) *Bot {
	lg := cfg.Log.With().Str("component", "slackbot").Logger()
	m := cfg.Metrics
	if m == nil {
		m = noMetrics{}
	}
	api := newAPI(cfg, m)
	sm := socketmode.New(api, socketmode.OptionLog(log.New(cfg.Log.With().Str("component", "slack-go").Logger(), "", 0)))
	return &Bot{api: api, sm: sm, cfg: cfg, log: lg, queues: newUserQueues(), out: newOutbox(cfg.PaceToSlack), metrics: m}
}

// Ready returns nil while the bot is connected to Slack (Socket Mode) or serving Slack's HTTP
// requests, else an error saying why not; for readiness probes.
func (b *Bot) Ready(context.Context) error {
	if !b.connected.Load() {
		return errors.New("not connected to Slack")
	}
	return nil
}

// setConnected records the state of the connection to Slack.
func (b *Bot) setConnected(up bool) {
	b.connected.Store(up)
	b.metrics.Connected(up)
}

// Run connects and serves until ctx is cancelled (then returns nil after in-flight turns finish,
// within the grace period) or the connection fails for good (bad tokens).
func (b *Bot) Run(ctx context.Context) error {
	if err := b.authenticate(ctx); err != nil {
		return err
	}

	// Turns get their own context, cancelled only after the grace period, so a shutdown lets
	// in-flight work finish.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	runErr := make(chan error, 1)
	go func() { runErr <- b.sm.RunContext(ctx) }()

	for {
		select {
		case evt := <-b.sm.Events:
			b.dispatch(work, evt)
		case err := <-runErr:
			b.drain(stopWork)
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		}
	}
}

// authenticate learns the bot's own user id (to ignore its own messages) and checks the token.
func (b *Bot) authenticate(ctx context.Context) error {
	auth, err := b.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack auth.test: %w", err)
	}
	b.botUserID = auth.UserID
	b.log.Info().Str("team_id", auth.TeamID).Str("bot_user_id", auth.UserID).Msg("authenticated")
	return nil
}

// drain waits for queued turns, up to the grace period, then cancels what is left.
func (b *Bot) drain(stop context.CancelFunc) {
	done := make(chan struct{})
	go func() { b.queues.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(b.cfg.Grace):
		b.log.Warn().Dur("grace", b.cfg.Grace).Msg("turns still running at the end of the grace period; cancelling them")
		stop()
		<-done
	}
}

// dispatch handles one envelope. It acks first and never blocks on work.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event) {
	received := time.Now()
	if evt.Request != nil {
		b.metrics.Envelope(string(evt.Type))
	}
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		b.setConnected(false)
		b.log.Debug().Msg("connecting to Slack")
	case socketmode.EventTypeConnected:
		b.setConnected(true)
		b.log.Info().Msg("connected to Slack")
	case socketmode.EventTypeDisconnect:
		b.setConnected(false)
		b.log.Info().Msg("Slack asked for a reconnect; slack-go reconnects")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeInvalidAuth:
		b.setConnected(false)
		b.log.Warn().Str("type", string(evt.Type)).Msg("Slack connection lost; slack-go reconnects with backoff")
	case socketmode.EventTypeHello:
	case socketmode.EventTypeErrorBadMessage:
		b.ackBadMessage(ctx, evt, received)
	case socketmode.EventTypeEventsAPI:
		b.ack(ctx, evt.Request, nil, received)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			b.onEvent(ctx, ev)
		}
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			b.ack(ctx, evt.Request, nil, received)
			return
		}
		b.ack(ctx, evt.Request, b.slashAck(cmd), received)
		b.onSlash(ctx, cmd)
	case socketmode.EventTypeInteractive:
		b.ack(ctx, evt.Request, nil, received)
		if ic, ok := evt.Data.(slack.InteractionCallback); ok {
			b.onInteraction(ctx, ic)
		}
	default:
		b.log.Debug().Str("type", string(evt.Type)).Msg("ignored socket mode event")
	}
}

// ack answers an envelope received at received.
func (b *Bot) ack(ctx context.Context, req *socketmode.Request, payload any, received time.Time) {
	if req == nil || req.EnvelopeID == "" {
		return
	}
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := b.sm.AckCtx(actx, req.EnvelopeID, payload); err != nil {
		b.log.Error().Err(err).Str("envelope_id", req.EnvelopeID).Msg("ack failed")
		return
	}
	b.metrics.Acked(time.Since(received))
}

// ackBadMessage acks an envelope slack-go could not parse, so Slack does not redeliver it.
func (b *Bot) ackBadMessage(ctx context.Context, evt socketmode.Event, received time.Time) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	var env struct {
		EnvelopeID string `json:"envelope_id"`
	}
	if json.Unmarshal(bad.Message, &env) != nil || env.EnvelopeID == "" {
		b.log.Warn().Err(bad.Cause).Msg("unparseable frame without an envelope id")
		return
	}
	b.log.Warn().Err(bad.Cause).Str("envelope_id", env.EnvelopeID).Msg("acked an envelope slack-go could not parse")
	b.ack(ctx, &socketmode.Request{EnvelopeID: env.EnvelopeID}, nil, received)
}

// slackIDRE matches Slack user, team and channel ids, which are rendered into mentions and keys.
var slackIDRE = regexp.MustCompile(`^[A-Z0-9]{2,32}$`)

// job is the work of one turn, given the user's thread record.
type job func(ctx context.Context, th thread, lg zerolog.Logger)

// enqueue runs job for k on k's queue, unless id (Slack's event or trigger id) was seen before
// (a redelivery) or k is over the rate limit. The job gets a turn timeout and a recover that
// apologises to the user instead of taking the process down.
func (b *Bot) enqueue(ctx context.Context, k dialog.Key, event, id string, run job) {
	if !slackIDRE.MatchString(k.Team) || !slackIDRE.MatchString(k.User) {
		b.log.Warn().Str("event", event).Msg("dropped an event with a malformed team or user id")
		return
	}
	lg := b.log.With().Str("team_id", k.Team).Str("user_id", k.User).Str("event", event).Logger()
	b.queues.add(k.Team+"/"+k.User, func() {
		tctx, cancel := context.WithTimeout(ctx, b.cfg.TurnTimeout)
		defer cancel()
		th, ok := b.admit(tctx, k, id, lg)
		defer func() {
			if r := recover(); r != nil {
				lg.Error().Str("panic", fmt.Sprint(r)).Bytes("stack", debug.Stack()).Msg("turn panicked")
				b.tellUser(tctx, k, th, "", "Sorry, something went wrong on my side. Your earlier answers are safe; please try that again.")
			}
		}()
		if ok {
			b.metrics.Turn(event)
			run(tctx, th, lg)
		}
	})
}

// admit begins k's turn in one store round trip: it claims id (Slack's event or trigger id), counts
// the turn in this minute's rate-limit window and reads k's thread record. It refuses a
// redelivery and a turn past TurnsPerMinute (telling the user once per window). When the store
// cannot answer, the turn goes ahead: a doubled turn is caught by the session's compare-and-set
// and step checks, and the turn itself reports the outage.
func (b *Bot) admit(ctx context.Context, k dialog.Key, id string, lg zerolog.Logger) (thread, bool) {
	claimKey, countKey := "", ""
	if id != "" {
		claimKey = "slack:seen:" + id
	}
	limit := int64(b.cfg.TurnsPerMinute)
	if limit > 0 {
		countKey = fmt.Sprintf("slack:rate:%s:%s:%d", k.Team, k.User, b.cfg.Now().Unix()/60)
	}
	first, n, data, err := b.cfg.KV.Admit(ctx, claimKey, seenTTL, countKey, 2*time.Minute, threadKey(k))
	if err != nil {
		lg.Warn().Err(err).Msg("cannot check for a redelivery or read the thread record; handling the event in a new thread")
		return thread{}, true
	}
	th := decodeThread(data, lg)
	switch {
	case !first:
		lg.Info().Str("delivery_id", id).Msg("ignored a redelivered event")
		return th, false
	case limit > 0 && n > limit:
		lg.Warn().Int64("turns", n).Msg("user over the rate limit")
		if n == limit+1 {
			b.tellUser(ctx, k, th, "", fmt.Sprintf("You're going faster than I can follow: at most %d messages or clicks a minute. Nothing more was applied; wait a moment, then carry on.", limit))
		}
		return th, false
	}
	return th, true
}

// handle runs one engine turn and counts the conversations it starts, completes or abandons.
func (b *Bot) handle(ctx context.Context, k dialog.Key, in dialog.Input) (dialog.Reply, error) {
	r, err := b.cfg.Engine.Handle(ctx, k, in)
	if err == nil {
		b.metrics.Session(r.Lifecycle.Started, r.Lifecycle.Completed, r.Lifecycle.Abandoned)
	}
	return r, err
}

// noMetrics counts nothing.
type noMetrics struct{}

func (noMetrics) Connected(bool)           {}
func (noMetrics) Envelope(string)          {}
func (noMetrics) Acked(time.Duration)      {}
func (noMetrics) Turn(string)              {}
func (noMetrics) Session(bool, bool, bool) {}
func (noMetrics) Shared()                  {}
func (noMetrics) SlackCall(string, string) {}

// userMessage explains an engine error to the user.
func userMessage(err error) string {
	switch {
	case errors.Is(err, dialog.ErrStale):
		return "That button is from an earlier step, so I left your answers as they were. Use the latest message in the thread."
	case errors.Is(err, dialog.ErrNoSession):
		return "That conversation has expired. Type /stackpick to start a new one."
	case errors.Is(err, dialog.ErrConflict):
		return "Your answer crossed with another change to your conversation. Please send it again."
	}
	return "I can't save your answers right now, so nothing was changed. Please try again in a minute."
}
