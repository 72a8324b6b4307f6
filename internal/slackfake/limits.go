package slackfake

import (
	"math"
	"net/http"

	"golang.org/x/time/rate"
)

// Limit is a rate limit the fake enforces the way Slack does: requests a minute with a tolerated
// burst, for the workspace or (PerChannel) for each channel.
type Limit struct {
	PerMinute, Burst int
	PerChannel       bool
}

// SlackLimits are Slack's published limits for the methods the bot calls: chat.postMessage about
// one a second per channel; Tier 2 (20 a minute), Tier 3 (50 a minute) and Tier 4 (100 a minute)
// methods per workspace (tiers as the method references and the Java SDK's MethodsRateLimits
// give them).
func SlackLimits() map[string]Limit {
	tier2, tier3, tier4 := Limit{PerMinute: 20, Burst: 5}, Limit{PerMinute: 50, Burst: 20}, Limit{PerMinute: 100, Burst: 20}
	return map[string]Limit{
		"chat.postMessage":            {PerMinute: 60, Burst: 3, PerChannel: true},
		"chat.update":                 tier3,
		"chat.postEphemeral":          tier4,
		"chat.scheduleMessage":        tier3,
		"chat.scheduledMessages.list": tier3,
		"chat.deleteScheduledMessage": tier3,
		"conversations.open":          tier3,
		"conversations.info":          tier3,
		"conversations.members":       tier4,
		"views.publish":               tier4,
		"bookmarks.add":               tier2,
		"bookmarks.list":              tier3,
		"users.info":                  tier4,
	}
}

// SetLimits makes the fake answer calls past these limits with 429 and a Retry-After header.
func (s *Server) SetLimits(limits map[string]Limit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits, s.limiters = limits, map[string]*rate.Limiter{}
}

// Throttled is how many calls the fake refused with 429 because of SetLimits.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// throttleLocked returns a 429 reply when the call is over its limit. Callers hold s.mu.
func (s *Server) throttleLocked(method string, args map[string]string) (reply, bool) {
	l, ok := s.limits[method]
	if !ok {
		return reply{}, false
	}
	key := method
	if l.PerChannel {
		key += "|" + args["channel"] + args["channel_id"] // bookmarks name it channel_id
	}
	lim, ok := s.limiters[key]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(float64(l.PerMinute)/60), l.Burst)
		s.limiters[key] = lim
	}
	if lim.Allow() {
		return reply{}, false
	}
	r := lim.Reserve()
	wait := r.Delay()
	r.Cancel()
	s.throttled++
	return reply{status: http.StatusTooManyRequests, retryAfter: max(1, int(math.Ceil(wait.Seconds()))),
		body: map[string]any{"ok": false, "error": "ratelimited"}}, true
}
