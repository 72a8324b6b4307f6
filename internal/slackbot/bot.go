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
	"github.com/stackpick/stackpick/internal/slackbot/admit"
	"github.com/stackpick/stackpick/internal/team"
)

// Engine is what the bot needs of the dialog engine.
type Engine interface {
	Run(ctx context.Context, k dialog.Key, in dialog.Input, st dialog.Started, deliver func(context.Context, dialog.Reply) dialog.Delivery) (dialog.Reply, error)
	Handle(ctx context.Context, k dialog.Key, in dialog.Input) (dialog.Reply, error)
	Recommendation(ctx context.Context, k dialog.Key) (*ranking.Result, error)
	Finished(ctx context.Context, k dialog.Key) (dialog.Finished, error)
	Catalog() *catalog.Catalog
	Ranker() (*catalog.Catalog, *ranking.Model)
}

// Store begins and ends turns in the session store (see package admit): an admission claims the
// delivery id, counts the turn in the user's rate-limit window, and reads and marks the user's
// session; Release drops a turn's mark when the engine did not save it. With Redis behind it,
// claims, counts and marks hold across replicas.
type Store interface {
	Admit(ctx context.Context, req admit.Request) (admit.Result, error)
	Release(ctx context.Context, k dialog.Key, turn string) error
}

// Metrics is what the bot reports about its work (see package metrics).
type Metrics interface {
	Connected(up bool)
	Envelope(typ string)
	Acked(d time.Duration)
	Turn(event string)
	Session(started, completed, abandoned bool)
	Shared()
	// SlackCall counts one HTTP call to Slack: method is the Web API method (or "response_url"),
	// outcome one of "ok", "slack_error", "rate_limited", "http_error", "network_error".
	SlackCall(method, outcome string)
}

// Config is what New needs.
type Config struct {
	// BotToken (xoxb-…) authenticates every Web API call.
	BotToken string
	// AppToken (xapp-…) opens Socket Mode connections; empty in HTTP mode.
	AppToken string
	// APIURL is the Web API's base URL (a fake Slack in tests, GovSlack); empty means Slack's.
	APIURL string

	Engine Engine
	// Store is the session store the engine saves in (memstore.Store, redisstore.Store).
	Store Store
	Log   zerolog.Logger
	// TurnTimeout bounds the work on one event (Redis and Web API calls); a turn's mark on the
	// session older than this was left by a turn that died.
	TurnTimeout time.Duration
	// Grace bounds how long Run waits for in-flight turns after its context is cancelled.
	Grace time.Duration
	// TurnsPerMinute is how many messages and clicks one user may send a minute; 0 means no limit.
	TurnsPerMinute int
	// Now is the clock of the rate limit's windows.
	Now func() time.Time
	// PaceToSlack paces Web API calls to Slack's published rate limits (see pacer).
	PaceToSlack bool
	// SharedPace, with PaceToSlack, holds the pacing allowances of every replica (in Redis), so
	// that together they keep Slack's per-workspace limits; nil paces each process on its own. A
	// replica whose SharedPace fails paces on its own until it answers again.
	SharedPace SharedAllowance
	// Metrics receives the bot's counts; nil counts nothing.
	Metrics Metrics
	// Teams keeps team decisions (memstore.Teams, redisstore.Teams); nil offers none.
	Teams team.Store
	// Revisit is how long after a team decision closes its revisit reminder is due (0:
	// DefaultRevisit; at most MaxRevisit, as Slack allows).
	Revisit time.Duration
}

// Bot is the Slack front end: it reads Socket Mode envelopes, acks each at once, turns them into
// dialog inputs (one user's in order), and renders the replies into Block Kit messages in the
// user's DM thread.
type Bot struct {
	web     webClient
	sm      *socketmode.Client // nil in unit tests, which call the handlers directly
	cfg     Config
	log     zerolog.Logger
	queues  *userQueues
	local   *localLimit
	metrics Metrics

	// botUserID is the bot's own user; teamID and workspaceURL ("https://acme.slack.com/") its
	// workspace, for links to canvases. All are learnt from auth.test at start.
	botUserID, teamID, workspaceURL string
	connected                       atomic.Bool
}

const (
	// ackTimeout bounds one ack write; Slack's deadline is about 3 s.
	ackTimeout = 2 * time.Second
	// seenTTL is how long an event id is remembered: Slack's last redelivery comes about 5
	// minutes after the first delivery.
	seenTTL = 15 * time.Minute
	// maxQueuedPerUser bounds the events waiting in one user's queue; past it a user's events are
	// dropped (the rate limit refuses a flood before it gets here unless it is off).
	maxQueuedPerUser = 64
)

// New returns a bot with its own Slack client: the Web API at cfg.APIURL (Slack's when empty)
// with cfg.BotToken, retrying rate-limited and failed calls, counting every call in cfg.Metrics,
// and, with cfg.AppToken, a Socket Mode client for Run. slack-go logs through cfg.Log.
func New(cfg Config) *Bot {
	m := metricsOrNone(cfg.Metrics)
	sdkLog := log.New(cfg.Log.With().Str("component", "slack-go").Logger(), "", 0)
	api := newSlackAPI(cfg, m, sdkLog)
	b := newBot(cfg, api)
	b.sm = socketmode.New(api.Client, socketmode.OptionLog(sdkLog))
	return b
}

// newBot returns a bot calling api, without a Socket Mode client (unit tests call the handlers).
func newBot(cfg Config, api webAPI) *Bot {
	m := metricsOrNone(cfg.Metrics)
	return &Bot{
		web: webClient{api: api, pace: newPacer(cfg.PaceToSlack, cfg.SharedPace, cfg.Log)}, cfg: cfg, log: cfg.Log.With().Str("component", "slackbot").Logger(), metrics: m,
		queues: newUserQueues(maxQueuedPerUser), local: newLocalLimit(cfg.TurnsPerMinute),
	}
}

func metricsOrNone(m Metrics) Metrics {
	if m == nil {
		return noMetrics{}
	}
	return m
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
			b.dispatch(work, evt, ctx.Err() != nil)
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
	auth, err := b.web.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack auth.test: %w", err)
	}
	b.botUserID, b.teamID, b.workspaceURL = auth.UserID, auth.TeamID, auth.URL
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

// dispatch handles one envelope. It acks first and never blocks on work. stopping says the run is
// shutting down: the socket's closing is then its own doing, not a lost connection.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event, stopping bool) {
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
		if stopping {
			b.log.Info().Str("type", string(evt.Type)).Msg("Slack connection closed for shutdown")
			return
		}
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

// job is the work of one turn.
type job func(ctx context.Context, t *turn)

// busyWait is how long a turn waits for another turn of the same user, on another replica, to
// finish before taking the conversation over.
func (b *Bot) busyWait() time.Duration { return b.cfg.TurnTimeout / 6 }

// enqueue runs job for k on k's queue, unless id (Slack's event or trigger id) was seen before
// (a redelivery), k is over the rate limit or k's queue is full; at is where the event came from.
// A job that runs the conversation (conversational) marks it in flight at admission and releases
// the mark if it did not save. A flood is refused here, before any I/O, once this replica alone
// has seen more than the limit in the window; the shared count in the store stays the truth
// across replicas. The job gets a turn timeout and a recover that apologises to the user instead
// of taking the process down.
func (b *Bot) enqueue(ctx context.Context, k dialog.Key, event, id string, at thread, conversational bool, run job) {
	if !slackIDRE.MatchString(k.Team) || !slackIDRE.MatchString(k.User) {
		b.log.Warn().Str("event", event).Msg("dropped an event with a malformed team or user id")
		return
	}
	lg := b.log.With().Str("team_id", k.Team).Str("user_id", k.User).Str("event", event).Logger()
	window := b.cfg.Now().Unix() / 60
	if !b.local.allow(k, window) {
		lg.Debug().Msg("user over the rate limit in this replica; refused without a store round trip")
		return
	}
	queued := b.queues.add(k.Team+"/"+k.User, func() {
		tctx, cancel := context.WithTimeout(ctx, b.cfg.TurnTimeout)
		defer cancel()
		t := &turn{b: b, k: k, at: at, lg: lg}
		// Registered before the admission, so a panic there is contained too.
		defer func() {
			if r := recover(); r != nil {
				lg.Error().Str("panic", fmt.Sprint(r)).Bytes("stack", debug.Stack()).Msg("turn panicked")
				t.tellUser(tctx, "Sorry, something went wrong on my side. Your earlier answers are safe; please try that again.")
			}
			t.release(tctx)
		}()
		if t.admit(tctx, id, window, conversational) {
			b.metrics.Turn(event)
			run(tctx, t)
		}
	})
	if !queued {
		lg.Warn().Int("queued", maxQueuedPerUser).Msg("dropped an event: the user's queue is full")
	}
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
	case errors.Is(err, errUnsaved):
		return "I couldn't save that answer, so what I showed you above doesn't count yet. Write to me again in a minute and I'll show you where we are first."
	}
	return "I can't save your answers right now, so nothing was changed. Please try again in a minute."
}
