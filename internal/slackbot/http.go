package slackbot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxBody bounds a request body; Slack's are a few KiB.
const maxBody = 1 << 20

// How long one connection of HTTP mode may take. Without these bounds a client that sends
// headers and part of a body, then stalls, holds a connection (and its goroutine) for ever, and
// nothing needs to be signed to do that.
const (
	// httpReadTimeout bounds reading a request, headers and body. Slack's requests are a few KiB
	// and Slack gives up on one after 3 s, so a request still arriving after 5 s is not Slack's.
	httpReadTimeout = 5 * time.Second
	// httpWriteTimeout bounds the time from the end of the headers to the end of the response: the
	// body, the signature check and the answer, which is given at once (the work runs later in the
	// user's queue).
	httpWriteTimeout = 10 * time.Second
	// httpIdleTimeout closes a kept-alive connection unused this long; Slack reuses connections
	// for the requests of a burst.
	httpIdleTimeout = time.Minute
)

// httpTimeouts are the bounds of one connection (see the constants); tests shorten them.
type httpTimeouts struct{ read, write, idle time.Duration }

// RunHTTP serves Slack's HTTP delivery on ln, for teams that cannot use Socket Mode, until ctx
// is cancelled; then it stops accepting requests and waits for in-flight turns (see Run). It
// closes ln whatever happens. A connection is closed once reading a request takes 5 s, writing
// the answer 10 s, or it stays idle a minute.
func (b *Bot) RunHTTP(ctx context.Context, ln net.Listener, signingSecret string) error {
	return b.runHTTP(ctx, ln, signingSecret, httpTimeouts{read: httpReadTimeout, write: httpWriteTimeout, idle: httpIdleTimeout})
}

func (b *Bot) runHTTP(ctx context.Context, ln net.Listener, signingSecret string, limits httpTimeouts) error {
	if err := b.authenticate(ctx); err != nil {
		_ = ln.Close()
		return err
	}
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	srv := &http.Server{
		Handler:           b.HTTPHandler(work, signingSecret),
		ReadHeaderTimeout: limits.read,
		ReadTimeout:       limits.read,
		WriteTimeout:      limits.write,
		IdleTimeout:       limits.idle,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	b.setConnected(true)
	defer b.setConnected(false)
	b.log.Info().Str("addr", ln.Addr().String()).Msg("serving Slack over HTTP")
	select {
	case err := <-served:
		b.drain(stopWork)
		return fmt.Errorf("slack http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.cfg.Grace)
	defer cancel()
	_ = srv.Shutdown(sctx)
	b.drain(stopWork)
	return nil
}

// HTTPHandler serves /slack/events, /slack/commands and /slack/interactive. Every request must be
// signed with signingSecret (v0: HMAC-SHA256 over "v0:timestamp:body", compared in constant time)
// and be at most five minutes old; any other request gets 401 and is never processed. Work runs
// on ctx, as in Socket Mode: answered at once, then handled in the user's queue.
func (b *Bot) HTTPHandler(ctx context.Context, signingSecret string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", b.verified(signingSecret, func(w http.ResponseWriter, body []byte) {
		var probe struct{ Type, Challenge string }
		if json.Unmarshal(body, &probe) == nil && probe.Type == slackevents.URLVerification {
			writeJSON(w, map[string]string{"challenge": probe.Challenge})
			return
		}
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		w.WriteHeader(http.StatusOK) // answered either way, so Slack does not retry what cannot be read
		if err != nil {
			b.log.Warn().Err(err).Msg("unreadable Events API request")
			return
		}
		b.onEvent(ctx, ev)
	}))
	mux.HandleFunc("POST /slack/commands", b.verified(signingSecret, func(w http.ResponseWriter, body []byte) {
		cmd, err := slack.SlashCommandParse(formRequest(body))
		if err != nil {
			http.Error(w, "bad slash command", http.StatusBadRequest)
			return
		}
		if ack := b.slashAck(cmd); ack != nil {
			writeJSON(w, ack)
		} else {
			w.WriteHeader(http.StatusOK)
		}
		b.onSlash(ctx, cmd)
	}))
	mux.HandleFunc("POST /slack/interactive", b.verified(signingSecret, func(w http.ResponseWriter, body []byte) {
		ic, err := slack.InteractionCallbackParse(formRequest(body))
		if err != nil {
			http.Error(w, "bad interaction", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
		b.onInteraction(ctx, ic)
	}))
	return mux
}

// verified reads the body and checks Slack's signature before calling next.
func (b *Bot) verified(secret string, next func(w http.ResponseWriter, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		switch {
		case err != nil: // the client stalled past the read timeout, or went away
			b.log.Debug().Err(err).Str("path", r.URL.Path).Msg("could not read a request body")
			http.Error(w, "request body not read", http.StatusBadRequest)
			return
		case len(body) > maxBody:
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, secret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			reason := "bad signature"
			if errors.Is(err, slack.ErrExpiredTimestamp) {
				reason = "stale timestamp"
			}
			b.log.Warn().Str("path", r.URL.Path).Str("reason", reason).Msg("refused an unverified Slack request")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		b.metrics.Envelope(httpEnvelopeTypes[r.URL.Path])
		next(w, body)
	}
}

// httpEnvelopeTypes names each HTTP route's requests as Socket Mode names its envelopes.
var httpEnvelopeTypes = map[string]string{
	"/slack/events": "events_api", "/slack/commands": "slash_commands", "/slack/interactive": "interactive",
}

// formRequest wraps an already read (and verified) form body for slack-go's parsers.
func formRequest(body []byte) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
