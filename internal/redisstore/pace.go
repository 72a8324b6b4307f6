package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Allowance is a rate allowance kept in Redis, so that every process using one Redis draws on
// the same allowance per key: the bot's replicas pace their Slack Web API calls with it.
type Allowance struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewAllowance returns an Allowance whose keys start with prefix.
func NewAllowance(rdb redis.UniversalClient, prefix string) *Allowance {
	return &Allowance{rdb: rdb, prefix: prefix}
}

// Allowance returns an Allowance on c whose keys start with prefix.
func (c *Client) Allowance(prefix string) *Allowance { return NewAllowance(c.rdb, prefix) }

// Take books one call under key, paced to one every interval on average with bursts of up to
// burst calls at once, and returns how long the caller must wait before making it (0: at once).
// When that wait would be longer than maxWait nothing is booked and the caller must not make the
// call; the wait returned still says how long it would have been.
//
// It is one round trip: a script on the one key (so it holds on Redis Cluster), timed by the
// Redis server's clock (so the callers' clocks do not matter), implementing GCRA, the generic
// cell rate algorithm, which is a token bucket of size burst refilled at one token per interval.
// The key expires when its allowance is whole again. A Take that go-redis resends after a lost
// reply may book twice, which only makes the pacing more careful. Errors are Redis's, wrapped
// with the key; nothing is booked then.
func (a *Allowance) Take(ctx context.Context, key string, interval time.Duration, burst int, maxWait time.Duration) (time.Duration, error) {
	if interval < time.Microsecond || burst < 1 {
		return 0, fmt.Errorf("redis pace %s: interval %v and burst %d: want at least 1µs and 1", key, interval, burst)
	}
	wait, err := gcraScript.Run(ctx, a.rdb, []string{a.prefix + key},
		interval.Microseconds(), burst, max(0, maxWait).Microseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("redis pace %s: %w", key, err)
	}
	return time.Duration(wait) * time.Microsecond, nil
}

// gcraScript books one call under KEYS[1], which holds the allowance's theoretical arrival time
// (TAT, in microseconds of the server's clock): the time at which the allowance would be whole
// if no more calls came, ahead of now by the calls booked and not yet paid back. A call may go
// once now >= TAT - (burst-1)*interval, and moves TAT one interval on. ARGV: the interval in µs,
// the burst, the longest wait to book in µs. It returns the wait in µs, booked when <= ARGV[3].
var gcraScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - (tonumber(ARGV[2]) - 1) * interval - now
if wait < 0 then wait = 0 end
if wait > tonumber(ARGV[3]) then return wait end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
return wait
`)
