package slackbot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"
)

// Slack's published Web API rate limits, per workspace (a bot token belongs to one), as requests
// a minute and the burst Slack tolerates; chat.postMessage is limited per channel instead.
func slackLimits() map[string]struct{ perMinute, burst int } {
	return map[string]struct{ perMinute, burst int }{
		"chat.postMessage":              {60, 3},   // per channel: about one a second, short bursts allowed
		"chat.update":                   {50, 20},  // Tier 3
		"chat.postEphemeral":            {100, 20}, // Tier 4
		"conversations.open":            {50, 20},  // Tier 3
		"conversations.info":            {50, 20},  // Tier 3
		"conversations.members":         {100, 20}, // Tier 4
		"views.publish":                 {100, 20}, // Tier 4
		"views.open":                    {100, 20}, // Tier 4
		"canvases.create":               {20, 5},   // Tier 2
		"canvases.access.set":           {50, 20},  // Tier 3
		"files.getUploadURLExternal":    {100, 20}, // Tier 4
		"files.completeUploadExternal":  {100, 20}, // Tier 4
		"files.info":                    {100, 20}, // Tier 4
		"conversations.canvases.create": {20, 5},   // Tier 2
		"chat.scheduleMessage":          {50, 20},  // Tier 3
		"bookmarks.add":                 {20, 5},   // Tier 2
		"users.info":                    {100, 20}, // Tier 4
	}
}

// maxChannelLimiters bounds the per-channel limiters kept; past it they start afresh.
const maxChannelLimiters = 50000

// headroom keeps the bot under Slack's limits rather than on them: Slack counts a call when it
// arrives, and a call paced right at the limit can arrive a little early.
const headroom = 0.9

// pace is the pace the bot keeps for one method: a call every interval on average, bursts of up
// to burst calls. It is a published limit with headroom on the rate, and on the burst of a tier,
// whose "bursts tolerated" the limits above put a number on. A channel's posts keep Slack's short
// burst of 3 whole: a turn may post two messages, and with a burst of 2 every person who answered
// within a second of the last reply waited for the next question (half the replies of the paced
// load in make bench).
type pace struct {
	interval time.Duration
	burst    int
}

func paceFor(method string, perMinute, burst int) pace {
	if method != "chat.postMessage" {
		burst = max(1, burst*3/4)
	}
	return pace{interval: time.Duration(float64(time.Minute) / (headroom * float64(perMinute))), burst: burst}
}

// SharedAllowance holds pacing allowances outside the process (redisstore.Allowance keeps them
// in Redis), so that every replica of the bot draws on one allowance per method, and per channel
// for chat.postMessage, and together they keep Slack's per-workspace limits.
type SharedAllowance interface {
	// Take books one call under key, paced to one every interval with bursts of up to burst,
	// and returns how long the caller must wait before making it (0: at once). When the wait
	// is over maxWait nothing is booked and the call must not be made.
	Take(ctx context.Context, key string, interval time.Duration, burst int, maxWait time.Duration) (time.Duration, error)
}

const (
	// sharedTimeout bounds one Take: a healthy Redis answers in well under a millisecond, but
	// under load a Take may wait for a pooled connection; a Web API call must not wait long for
	// Redis to fail.
	sharedTimeout = time.Second
	// sharedRetry is how long a replica whose shared allowance failed paces on its own before it
	// tries the shared one again, so an outage costs one failed Take a second, not one a call.
	sharedRetry = time.Second
)

// pacer paces the bot's Web API calls to Slack's limits, so a burst of users waits in the bot
// instead of drawing a storm of 429s. With on false it lets everything through (tests that
// measure the bot's own cost). With a shared allowance the replicas pace together; while it
// fails (Redis down) each paces on its own with its local limiters, and says so once.
type pacer struct {
	on     bool
	paces  map[string]pace
	shared SharedAllowance
	log    zerolog.Logger
	now    func() time.Time

	mu       sync.Mutex
	methods  map[string]*rate.Limiter
	channels map[string]*rate.Limiter
	// failing is set while the shared allowance fails; localUntil is when to try it again.
	failing    bool
	localUntil time.Time
}

// newPacer returns a pacer; shared may be nil (each process paces on its own).
func newPacer(on bool, shared SharedAllowance, log zerolog.Logger) *pacer {
	p := &pacer{on: on, paces: map[string]pace{}, shared: shared, log: log.With().Str("component", "pacer").Logger(), now: time.Now,
		methods: map[string]*rate.Limiter{}, channels: map[string]*rate.Limiter{}}
	for method, l := range slackLimits() {
		p.paces[method] = paceFor(method, l.perMinute, l.burst)
		if method != "chat.postMessage" {
			p.methods[method] = newLimiter(p.paces[method])
		}
	}
	return p
}

func newLimiter(pc pace) *rate.Limiter { return rate.NewLimiter(rate.Every(pc.interval), pc.burst) }

// errPastDeadline is a wait that would outlast the call's deadline.
var errPastDeadline = errors.New("waiting for Slack's rate limit would pass the deadline")

// wait blocks until a call of method (to channel, for chat.postMessage) fits Slack's limits.
func (p *pacer) wait(ctx context.Context, method, channel string) error {
	pc, ok := p.paces[method]
	if !p.on || !ok {
		return nil
	}
	if p.shares(method, channel) {
		maxWait := time.Duration(math.MaxInt64)
		if deadline, ok := ctx.Deadline(); ok {
			maxWait = time.Until(deadline)
		}
		d, err := p.take(ctx, pc, method, channel, maxWait)
		switch {
		case err == nil && d > maxWait:
			return fmt.Errorf("pace %s: %w (%v)", method, errPastDeadline, d.Round(time.Millisecond))
		case err == nil:
			return sleep(ctx, d)
		case ctx.Err() != nil:
			return ctx.Err()
		}
	}
	return p.limiter(method, channel).Wait(ctx)
}

// allow reports whether a call of method fits now, spending the allowance if so; cosmetic calls
// (updating an answered question in place) are skipped rather than queued when Slack is busy.
func (p *pacer) allow(ctx context.Context, method, channel string) bool {
	pc, ok := p.paces[method]
	if !p.on || !ok {
		return true
	}
	if p.shares(method, channel) {
		d, err := p.take(ctx, pc, method, channel, 0)
		if err == nil {
			return d == 0
		}
	}
	return p.limiter(method, channel).AllowN(p.now(), 1)
}

// shares reports whether a call of method to channel draws on the shared allowance. A DM's posts
// come from its one person's turns, which run one at a time (the session's turn mark), so the
// replica running the turn paces them on its own, without a round trip to Redis; every other
// limit is the workspace's, or a channel's that several people's turns may post to at once.
func (p *pacer) shares(method, channel string) bool {
	return p.useShared() && !(method == "chat.postMessage" && strings.HasPrefix(channel, "D"))
}

// useShared reports whether to ask the shared allowance: there is one and it has not just failed.
func (p *pacer) useShared() bool {
	if p.shared == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.now().Before(p.localUntil)
}

// take asks the shared allowance for a call of method, and notes whether it answered. A
// context that ended first is the caller's doing, not a failure of the allowance.
func (p *pacer) take(ctx context.Context, pc pace, method, channel string, maxWait time.Duration) (time.Duration, error) {
	key := method
	if method == "chat.postMessage" {
		key += ":" + channel
	}
	tctx, cancel := context.WithTimeout(ctx, sharedTimeout)
	defer cancel()
	d, err := p.shared.Take(tctx, key, pc.interval, pc.burst, maxWait)
	if err != nil && ctx.Err() != nil {
		return 0, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case err != nil:
		p.localUntil = p.now().Add(sharedRetry)
		if !p.failing {
			p.failing = true
			p.emptyLocalLocked()
			p.log.Warn().Err(err).Msg("the shared Slack pacing failed: this replica paces its Web API calls on its own until it answers again")
		}
	case p.failing:
		p.failing = false
		p.log.Info().Msg("the shared Slack pacing answers again: the replicas pace their Web API calls together")
	}
	return d, err
}

// emptyLocalLocked spends the local limiters' bursts: the shared allowance may have spent them
// just now, so pacing on its own starts at the steady rate, never with a second burst on top.
func (p *pacer) emptyLocalLocked() {
	now := p.now()
	for _, l := range p.methods {
		l.AllowN(now, int(l.TokensAt(now)))
	}
	clear(p.channels) // made again empty (see limiter) while the shared allowance fails
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *pacer) limiter(method, channel string) *rate.Limiter {
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
		l = newLimiter(p.paces["chat.postMessage"])
		if p.failing {
			l.AllowN(p.now(), l.Burst())
		}
		p.channels[channel] = l
	}
	return l
}
