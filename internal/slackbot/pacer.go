package slackbot

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// Slack's published Web API rate limits, per workspace (a bot token belongs to one), as requests
// a minute and the burst Slack tolerates; chat.postMessage is limited per channel instead.
func slackLimits() map[string]struct{ perMinute, burst int } {
	return map[string]struct{ perMinute, burst int }{
		"chat.postMessage":      {60, 3},   // per channel: about one a second, short bursts allowed
		"chat.update":           {50, 20},  // Tier 3
		"chat.postEphemeral":    {100, 20}, // Tier 4
		"conversations.open":    {50, 20},  // Tier 3
		"conversations.info":    {50, 20},  // Tier 3
		"conversations.members": {100, 20}, // Tier 4
		"views.publish":         {100, 20}, // Tier 4
	}
}

// maxChannelLimiters bounds the per-channel limiters kept; past it they start afresh.
const maxChannelLimiters = 50000

// headroom keeps the bot under Slack's limits rather than on them: Slack counts a call when it
// arrives, and a call paced right at the limit can arrive a little early.
const headroom = 0.9

// newLimiter paces to a published limit, with headroom on the rate and the burst.
func newLimiter(perMinute, burst int) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(headroom*float64(perMinute)/60), max(1, burst*3/4))
}

// pacer paces the bot's Web API calls to Slack's limits, so a burst of users waits in the bot
// instead of drawing a storm of 429s. With on false it lets everything through (tests that
// measure the bot's own cost).
type pacer struct {
	on bool

	mu       sync.Mutex
	methods  map[string]*rate.Limiter
	channels map[string]*rate.Limiter
}

func newPacer(on bool) *pacer {
	o := &pacer{on: on, methods: map[string]*rate.Limiter{}, channels: map[string]*rate.Limiter{}}
	for method, l := range slackLimits() {
		if method != "chat.postMessage" {
			o.methods[method] = newLimiter(l.perMinute, l.burst)
		}
	}
	return o
}

// wait blocks until a call of method (to channel, for chat.postMessage) fits Slack's limits.
func (p *pacer) wait(ctx context.Context, method, channel string) error {
	if l := p.limiter(method, channel); l != nil {
		return l.Wait(ctx)
	}
	return nil
}

// allow reports whether a call of method fits now, spending the allowance if so; cosmetic calls
// (updating an answered question in place) are skipped rather than queued when Slack is busy.
func (p *pacer) allow(method, channel string) bool {
	l := p.limiter(method, channel)
	return l == nil || l.Allow()
}

func (p *pacer) limiter(method, channel string) *rate.Limiter {
	if !p.on {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if method != "chat.postMessage" {
		return p.methods[method]
	}
	l, ok := p.channels[channel]
	if !ok {
		if len(p.channels) >= maxChannelLimiters {
			p.channels = map[string]*rate.Limiter{}
		}
		pm := slackLimits()["chat.postMessage"]
		l = newLimiter(pm.perMinute, pm.burst)
		p.channels[channel] = l
	}
	return l
}
