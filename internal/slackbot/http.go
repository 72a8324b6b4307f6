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

// RunHTTP serves Slack's HTTP delivery on ln, for teams that cannot use Socket Mode, until ctx
// is cancelled; then it stops accepting requests and waits for in-flight turns (see Run). It
// closes ln whatever happens.
func (b *Bot) RunHTTP(ctx context.Context, ln net.Listener, signingSecret string) error {
	if err := b.authenticate(ctx); err != nil {
		_ = ln.Close()
		return err
	}
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	srv := &http.Server{Handler: b.HTTPHandler(work, signingSecret), ReadHeaderTimeout: 10 * time.Second}
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
		if err != nil || len(body) > maxBody {
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
