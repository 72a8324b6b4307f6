package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The comparison with the bot a team would write instead (bench/baseline): both binaries under
// the same driver, fake Slack and Redis, in pairs run back to back with the order flipped.

// The two loads judged, both under Slack's rate limits: a closed loop (people answer the moment
// the reply arrives) and people pausing about a second to read (half to one and a half), ramped
// in over five seconds. flatOut is the closed loop with no limits, for a labelled run.
var (
	closedLoop = loadRun{name: "closed", users: 1000, inFlight: 200, slackLimits: true}
	pausing    = loadRun{name: "paced", users: 1000, inFlight: 500, think: time.Second, ramp: 5 * time.Second, slackLimits: true}
	flatOut    = loadRun{name: "flat-out", users: 1000, inFlight: 200}
)

// pairs is how many times each load runs for each bot.
const pairs = 3

type pair struct{ stackpick, baseline loadFigures }

// runPairs runs the load on both bots pairs times, back to back, stackpick first in the even
// pairs and the baseline first in the odd ones.
func runPairs(t *testing.T, bots [2]botUnderLoad, rdb redis.UniversalClient, redisAddr string, run loadRun) []pair {
	var ps []pair
	for i := 0; i < pairs; i++ {
		var f [2]loadFigures
		for _, j := range [][]int{{0, 1}, {1, 0}}[i%2] {
			f[j] = runLoad(t, bots[j], rdb, redisAddr, run)
			t.Logf("%s, %s load, pair %d: %d turns, %.0f turns/s, %v CPU per turn", bots[j].name, run.name, i+1, f[j].turns, f[j].throughput(), f[j].cpuPerTurn())
		}
		ps = append(ps, pair{f[0], f[1]})
	}
	return ps
}

// measure is one row of the comparison.
type measure struct {
	name   string
	of     func(loadFigures) float64
	show   func(float64) string
	target float64 // the most stackpick / baseline may be; 0: none
}

func microseconds(ns float64) string { return fmt.Sprintf("%.0f µs", ns/1000) }
func milliseconds(ns float64) string { return fmt.Sprintf("%.2f ms", ns/1e6) }
func mebibytes(b float64) string     { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }
func count(f string) func(float64) string {
	return func(x float64) string { return fmt.Sprintf(f, x) }
}

// measures are the rows for run; latencies are of the steady state (see loadFigures.steady).
func measures(run loadRun, cpuTarget float64) []measure {
	latency := func(of func(loadFigures) []sample, p float64) func(loadFigures) float64 {
		return func(f loadFigures) float64 { return float64(percentile(f.steady(of(f), run.ramp), p)) }
	}
	acks := func(f loadFigures) []sample { return f.acks }
	replies := func(f loadFigures) []sample { return f.replies }
	return []measure{
		{"CPU per turn (the bot's process)", func(f loadFigures) float64 { return float64(f.cpuPerTurn()) }, microseconds, cpuTarget},
		{"Redis's CPU per turn", func(f loadFigures) float64 { return float64(f.redisCPUPerTurn()) }, microseconds, 0},
		{"allocations per turn", func(f loadFigures) float64 { return f.perTurn(f.mallocs) }, count("%.0f"), 2},
		{"bytes allocated per turn", func(f loadFigures) float64 { return f.perTurn(f.allocBytes) }, func(b float64) string { return fmt.Sprintf("%.1f KiB", b/1024) }, 0},
		{"throughput (turns/s)", loadFigures.throughput, count("%.0f"), 0},
		{"peak RSS", func(f loadFigures) float64 { return float64(f.peakRSS) }, mebibytes, 1.5},
		{"peak goroutines", func(f loadFigures) float64 { return float64(f.peakGoroutines) }, count("%.0f"), 0},
		{"Redis commands per turn (counted by Redis, its scripts' commands included)", func(f loadFigures) float64 { return f.perTurn(f.redisCommands) }, count("%.1f"), 0},
		{"Redis round trips per turn", func(f loadFigures) float64 { return f.perTurn(f.roundTrips) }, count("%.2f"), 0},
		{"Web API calls per turn", func(f loadFigures) float64 { return f.perTurn(float64(f.webCalls)) }, count("%.2f"), 0},
		{"of which refused with 429 (Slack's limits)", func(f loadFigures) float64 { return f.perTurn(float64(f.throttled)) }, count("%.3f"), 0},
		{"envelope→ack p50", latency(acks, .5), milliseconds, 0},
		{"envelope→ack p99", latency(acks, .99), milliseconds, 0},
		{"envelope→ack max", latency(acks, 1), milliseconds, 0},
		{"envelope→reply p50", latency(replies, .5), milliseconds, 0},
		{"envelope→reply p99", latency(replies, .99), milliseconds, 0},
	}
}

// spread is the min, median and max of xs.
func spread(xs []float64) (lo, mid, hi float64) {
	return slices.Min(xs), median(xs), slices.Max(xs)
}

// each is of for each pair.
func each(ps []pair, of func(pair) float64) []float64 {
	var xs []float64
	for _, p := range ps {
		xs = append(xs, of(p))
	}
	return xs
}

// comparisonTable writes the comparison of ps under run and returns whether every target was met;
// a cpuTarget of 0 judges nothing.
func comparisonTable(b *strings.Builder, run loadRun, ps []pair, cpuTarget float64) bool {
	fmt.Fprintf(b, "| measure | stackpick | baseline | stackpick / baseline: min / median / max | target | |\n|---|---|---|---|---|---|\n")
	all := true
	for _, m := range measures(run, cpuTarget) {
		s := median(each(ps, func(p pair) float64 { return m.of(p.stackpick) }))
		base := median(each(ps, func(p pair) float64 { return m.of(p.baseline) }))
		lo, mid, hi := spread(each(ps, func(p pair) float64 { return m.of(p.stackpick) / m.of(p.baseline) }))
		ratios := fmt.Sprintf("%.2f× / **%.2f×** / %.2f×", lo, mid, hi)
		if base == 0 {
			ratios = "" // nothing to compare with
		}
		target, verdict := "", ""
		if m.target > 0 && cpuTarget > 0 {
			ok := mid <= m.target
			all = all && ok
			target, verdict = fmt.Sprintf("≤ %.1f×", m.target), status(ok)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", m.name, m.show(s), m.show(base), ratios, target, verdict)
	}
	return all
}

// comparisonSection runs the pairs and writes the report's first section.
func comparisonSection(t *testing.T, bots [2]botUnderLoad, rdb redis.UniversalClient, redisAddr string) string {
	closed := runPairs(t, bots, rdb, redisAddr, closedLoop)
	paced := runPairs(t, bots, rdb, redisAddr, pausing)
	unpaced := bots
	unpaced[0].env = append(slices.Clone(unpaced[0].env), "SLACK_PACING=off", "TURNS_PER_MINUTE=0")
	unlimited := runPairs(t, unpaced, rdb, redisAddr, flatOut)
	var b strings.Builder
	fmt.Fprintf(&b, "## 1. stackpick against the bot a team would write instead\n\n"+
		"The baseline (`bench/baseline`, not shipped) is a bare slack-go Socket Mode bot: it acks each event, does one Redis GET and one SET "+
		"of a value the size of stackpick's stored session, and posts one plain-text reply; a DM opens a conversation, as in stackpick. "+
		"Both binaries run under the same load driver, against the same fake Slack (which answers posts and updates with the message object, "+
		"blocks included, as Slack does) and the same Redis, each on an emptied Redis and a fresh fake. "+
		"In the two judged loads the fake holds both bots to Slack's published rate limits, as Slack would (chat.postMessage about one a second "+
		"per channel with a burst of 3; a call past them gets 429 and Retry-After): stackpick keeps to them by pacing its own calls, "+
		"the baseline retries a 429 after Retry-After, as slack-go's OptionRetry does. stackpick runs with its shipped defaults: "+
		"Web API calls paced to Slack's limits, shared through Redis, and the per-person turn limit on. "+
		"Each load runs %d times for each bot, in pairs back to back with the order flipped (stackpick first, then the baseline first, and so on); "+
		"each bot's column is the median of its %d runs, the ratios are each pair's, and the target is judged on their median. "+
		"Each person writes \"hi\" to the bot, then answers the %d questions by typing the first option's number, each when the previous reply arrived; "+
		"CPU and memory are the bot process's, read from /proc; allocations from its runtime's MemStats; Web API calls are counted by the fake; "+
		"latencies are taken at full load (after the ramp, before the last person starts). "+
		"Envelope→ack runs from the envelope going on the wire to its ack arriving; envelope→reply from sending the message to the next question "+
		"(or the shortlist) being posted.\n\n", pairs, pairs, loadQuestions)
	fmt.Fprintf(&b, "### A closed loop: %d conversations, %d in flight, no pause\n\n", closedLoop.users, closedLoop.inFlight)
	okClosed := comparisonTable(&b, closedLoop, closed, 1.5)
	fmt.Fprintf(&b, "\n### People pausing about a second: %d conversations, %d in flight, ramped in over %v\n\n", pausing.users, pausing.inFlight, pausing.ramp)
	okPaced := comparisonTable(&b, pausing, paced, 1.3)
	fmt.Fprintf(&b, "\n### Labelled: flat out, with no rate limits anywhere\n\n"+
		"The closed loop again, %d conversations, %d in flight, but against a fake that enforces no rate limits and with stackpick's pacing and turn limit off "+
		"(`SLACK_PACING=off`, `TURNS_PER_MINUTE=0`): both bots run as fast as they can, so this is their own cost at saturation, "+
		"a Slack that no workspace has. Not judged.\n\n", flatOut.users, flatOut.inFlight)
	comparisonTable(&b, flatOut, unlimited, 0)

	// stackpick's own targets, and the ramp beside the steady state.
	var acksSteady, acksRamp, repliesRamp []time.Duration
	var worstAck time.Duration
	var trips, calls, botAck []float64
	for _, p := range append(slices.Clone(closed), paced...) {
		trips = append(trips, p.stackpick.perTurn(p.stackpick.roundTrips))
		calls = append(calls, p.stackpick.perTurn(float64(p.stackpick.webCalls)))
	}
	for _, p := range paced {
		f := p.stackpick
		steady := f.steady(f.acks, pausing.ramp)
		acksSteady = append(acksSteady, steady...)
		worstAck = max(worstAck, percentile(steady, 1))
		acksRamp = append(acksRamp, f.ramping(f.acks, pausing.ramp)...)
		repliesRamp = append(repliesRamp, f.ramping(f.replies, pausing.ramp)...)
		botAck = append(botAck, f.botAckP99)
	}
	p99 := percentile(acksSteady, .99)
	_, tripsMid, tripsMax := spread(trips)
	_, callsMid, callsMax := spread(calls)
	fmt.Fprintf(&b, "\nThe ramp (the first %v of each paced run, all %d runs' samples): envelope→ack p99 %v, max %v; envelope→reply p50 %v, p99 %v.\n\n",
		pausing.ramp, pairs, percentile(acksRamp, .99).Round(time.Microsecond), percentile(acksRamp, 1).Round(time.Microsecond),
		percentile(repliesRamp, .5).Round(time.Microsecond), percentile(repliesRamp, .99).Round(time.Microsecond))
	b.WriteString("| target | figure | | |\n|---|---|---|---|\n")
	check := func(what, figure, target string, ok bool) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", what, figure, target, status(ok))
	}
	check("CPU per turn and the other ratios of both tables", "see the tables", "as targeted", okClosed && okPaced)
	check(fmt.Sprintf("Redis round trips per Slack turn (median / max of stackpick's %d runs)", 2*pairs), fmt.Sprintf("%.2f / %.2f", tripsMid, tripsMax), "2", tripsMax <= 2)
	check(fmt.Sprintf("Web API calls per turn (median / max of stackpick's %d runs)", 2*pairs), fmt.Sprintf("%.2f / %.2f", callsMid, callsMax), "≤ 1.2", callsMid <= 1.2)
	check(fmt.Sprintf("envelope→ack p99 at full load, %d in flight (all samples of %d runs)", pausing.inFlight, pairs), p99.Round(time.Microsecond).String(), "< 5 ms", p99 < 5*time.Millisecond)
	check(fmt.Sprintf("envelope→ack max at full load, %d in flight (the worst of %d runs)", pausing.inFlight, pairs), worstAck.Round(time.Microsecond).String(), "< 100 ms", worstAck < 100*time.Millisecond)
	check(fmt.Sprintf("envelope→ack p99 inside the bot, %d in flight (its histogram's bucket bound, median of %d runs)", pausing.inFlight, pairs),
		"≤ "+seconds(median(botAck)).String(), "< 5 ms", median(botAck) <= 0.005)
	b.WriteString("\n")
	return b.String()
}

// redisCost is what one finished conversation leaves in Redis, key by key.
type redisCost struct {
	keys        []keyCost
	sessionJSON int // the stored session's JSON
}

type keyCost struct {
	key, kind string
	bytes     int64
	ttl       time.Duration
}

// sessionCost runs one whole conversation and reads every key it left, right after its last turn.
func sessionCost(t *testing.T, bot botUnderLoad, rdb redis.UniversalClient, redisAddr string) redisCost {
	runLoad(t, bot, rdb, redisAddr, loadRun{name: "one", users: 1, inFlight: 1})
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	var c redisCost
	for _, k := range keys {
		kc := keyCost{key: k, kind: rdb.Type(ctx, k).Val(), bytes: rdb.MemoryUsage(ctx, k, 0).Val(), ttl: rdb.PTTL(ctx, k).Val()}
		if kc.kind == "hash" {
			if data, err := rdb.HGet(ctx, k, "data").Result(); err == nil {
				c.sessionJSON = max(c.sessionJSON, len(data))
			}
		}
		c.keys = append(c.keys, kc)
	}
	if c.sessionJSON == 0 {
		t.Fatalf("no stored session among %v", keys)
	}
	return c
}

func (c redisCost) section() string {
	var b strings.Builder
	b.WriteString("## 5. What one person costs in Redis\n\n" +
		"Every key one whole conversation leaves in Redis, read right after its last turn (one run; the person is `UL000000`): " +
		"MEMORY USAGE, and how long each key lives.\n\n| key | type | bytes | lives for |\n|---|---|---|---|\n")
	var total int64
	for _, k := range c.keys {
		ttl := "until deleted"
		if k.ttl > 0 {
			ttl = k.ttl.Round(time.Second).String()
		}
		fmt.Fprintf(&b, "| `%s` | %s | %d | %s |\n", k.key, k.kind, k.bytes, ttl)
		total += k.bytes
	}
	fmt.Fprintf(&b, "| all of them | | **%d** | |\n\nThe session's own JSON (answers, the undo snapshot, the thread record) is %d bytes; the baseline stores a value of that size.\n\n", total, c.sessionJSON)
	return b.String()
}

// storedSessions is how many finished conversations the memory run keeps in Redis.
const storedSessions = 10000

// memorySection compares the bot's memory with none and with storedSessions finished
// conversations in Redis, under the same small load; the memory with conversations in flight is
// the comparison's peak RSS.
func memorySection(t *testing.T, bot botUnderLoad, rdb redis.UniversalClient, redisAddr string) string {
	ctx := context.Background()
	small := loadRun{name: "small", users: 100, inFlight: 100}
	none := runLoad(t, bot, rdb, redisAddr, small)

	// Copies of one finished conversation's keys, as storedSessions other people.
	runLoad(t, bot, rdb, redisAddr, loadRun{name: "one", users: 1, inFlight: 1})
	template, err := rdb.Keys(ctx, "*UL000000*").Result()
	if err != nil || len(template) == 0 {
		t.Fatalf("no keys of the conversation to copy (%v)", err)
	}
	memBefore := redisInfo(t, rdb, "used_memory")
	for i := 0; i < storedSessions; i += 500 {
		pipe := rdb.Pipeline()
		for j := i; j < min(i+500, storedSessions); j++ {
			for _, k := range template {
				dump := rdb.Dump(ctx, k).Val()
				pipe.RestoreReplace(ctx, strings.ReplaceAll(k, "UL000000", fmt.Sprintf("US%06d", j)), rdb.PTTL(ctx, k).Val(), dump)
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	perStored := float64(redisInfo(t, rdb, "used_memory")-memBefore) / storedSessions
	rdb.Del(ctx, template...)
	stored := runLoad(t, bot, rdb, redisAddr, loadRun{name: "small", users: small.users, inFlight: small.inFlight, keep: true})

	var b strings.Builder
	fmt.Fprintf(&b, "## 6. Memory: stored sessions and conversations in flight\n\n"+
		"The same small load (%d conversations, %d in flight, a closed loop), one run each, on an empty Redis and on one holding %d finished "+
		"conversations (copies of one, every key it leaves). The bot keeps no session in its own memory, so stored ones should not show in its RSS. "+
		"Conversations in flight are section 1's peak RSS (200 and 500 in flight).\n\n"+
		"| Redis holds | bot peak RSS | bot peak goroutines |\n|---|---|---|\n", small.users, small.inFlight, storedSessions)
	fmt.Fprintf(&b, "| no stored sessions | %s | %d |\n", mebibytes(float64(none.peakRSS)), none.peakGoroutines)
	fmt.Fprintf(&b, "| %d stored sessions (%.0f bytes of Redis memory each) | %s | %d |\n\n", storedSessions, perStored, mebibytes(float64(stored.peakRSS)), stored.peakGoroutines)
	return b.String()
}

// burstSection runs the bursts against Slack's limits, paced and not.
func burstSection(t *testing.T) string {
	var b strings.Builder
	b.WriteString("## 7. Bursts against Slack's rate limits\n\n" +
		"1,000 people reach the last question (pacing off, no limits), then the bot restarts, the fake starts enforcing Slack's published limits " +
		"(chat.postMessage about 1/s per channel; chat.update 50/min; Tier 3 and 4 methods per workspace) and everyone makes the same move at once: " +
		"answering the last question (each gets their shortlist), or going back a question (the question left on screen is updated in place, " +
		"a chat.update each, drawn on the workspace's allowance). One run each.\n\n" +
		"| everyone | bot | 429s from the fake | all 1,000 replies delivered in | in-place updates done / skipped |\n|---|---|---|---|---|\n")
	throttled := 0
	for _, mv := range []struct {
		what string
		move move
	}{{"answers the last question", finish}, {"goes back a question", goBack}} {
		for _, pacing := range []string{"on", "off"} {
			r := runBurst(t, 1000, mv.move, pacing)
			if pacing == "on" {
				throttled += r.throttled
			}
			fmt.Fprintf(&b, "| %s | pacing %s | %d | %v | %d / %d |\n", mv.what, pacing, r.throttled, r.delivered.Round(time.Millisecond), r.updates, r.updateSkip)
		}
	}
	fmt.Fprintf(&b, "\n| target | figure | | |\n|---|---|---|---|\n| 429s for the paced bursts of 1,000 | %d | no 429 storm | %s |\n\n", throttled, status(throttled == 0))
	b.WriteString("Paced, the bot posts each reply at once (every person has their own DM channel, so the per-channel limit never bites) and skips the " +
		"cosmetic in-place updates past chat.update's allowance instead of queueing them behind replies; calls that must happen (ephemeral notes, " +
		"opening DMs, channel checks, App Home) wait for their allowance. Unpaced, Slack answers most of the updates with 429. " +
		"A typed answer makes no update at all: the reply says how it was read.\n\n")
	return b.String()
}
