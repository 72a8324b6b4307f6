package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// loadFigures is what one load run measured.
type loadFigures struct {
	users, inFlight, turns int
	wall                   time.Duration
	acks, replies          []time.Duration
	peakRSS                int64 // bytes (VmHWM)
	peakGoroutines         int
	cpu                    time.Duration // user + system time of the bot process
	redisPerSession        float64       // bytes of Redis memory per stored conversation
	redisTrips             float64       // Redis round trips per turn, as the bot counts them
	botAckP99, botAckMax   float64       // the bot's own ack time (seconds): upper bounds of its histogram's buckets
}

// runLoad starts the binary, on the shipped config, against a lean fake Slack and Redis, and has
// users people each run a whole checklist (/stackpick, then a typed answer to every question), at most inFlight at a time, each pausing
// about think (half to one and a half times, at random) between a reply and their next answer;
// 0 answers at once, a closed loop that saturates the machine. A turn's reply latency runs from sending the envelope to the bot's next question
// (or result) being posted.
func runLoad(t *testing.T, bin string, rdb redis.UniversalClient, redisAddr string, users, inFlight int, think time.Duration) loadFigures {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	memBefore := redisInfo(t, rdb, "used_memory")

	// The load runs measure the product: the binary serves the shipped config.
	shipped, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	questions := len(shipped.Questions)

	fake := slackfake.New()
	defer fake.Close()
	var mu sync.Mutex
	inbox := newInboxes()
	var acks []time.Duration
	fake.Lean(inbox.deliver, func(a slackfake.Ack) {
		mu.Lock()
		acks = append(acks, a.Latency)
		mu.Unlock()
	})

	debug, ops := freeAddr(t), freeAddr(t)
	if debugAddrHook != nil {
		debugAddrHook(debug)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{
		"SLACK_APP_TOKEN=" + slackfake.AppToken, "SLACK_BOT_TOKEN=" + slackfake.BotToken,
		"SLACK_API_URL=" + fake.APIURL(), "REDIS_URL=redis://" + redisAddr + "/0", "LOG_LEVEL=error",
		"STACKPICK_DEBUG_ADDR=" + debug, "STACKPICK_HTTP_ADDR=" + ops, "TURNS_PER_MINUTE=0", "SLACK_PACING=off",
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	cpuBefore := processCPU(t, cmd.Process.Pid)
	tripsBefore := (&replica{ops: ops}).metric(t, "stackpick_redis_round_trips_total")

	// Sample the goroutine count while the load runs: a measurement, not a synchronisation.
	sampling, stopSampling := context.WithCancel(ctx)
	peakG := make(chan int, 1)
	go func() {
		peak := 0
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-sampling.Done():
				peakG <- peak
				return
			case <-tick.C:
				peak = max(peak, goroutines(debug))
			}
		}
	}()

	var replies []time.Duration
	var errOnce sync.Once
	var firstErr error
	sem := make(chan struct{}, inFlight)
	var wg sync.WaitGroup
	start := time.Now()
	for u := 0; u < users; u++ {
		user := fmt.Sprintf("UL%06d", u)
		dm := fake.DMChannel(user)
		box := inbox.open(dm)
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			lat, err := converse(ctx, fake, user, box, questions, questions, think)
			if err != nil {
				errOnce.Do(func() { firstErr = fmt.Errorf("%s: %w", user, err) })
			}
			mu.Lock()
			replies = append(replies, lat...)
			mu.Unlock()
			inbox.close(dm)
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	stopSampling()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	f := loadFigures{users: users, inFlight: inFlight, turns: len(replies), wall: wall, replies: replies,
		peakGoroutines: <-peakG, cpu: processCPU(t, cmd.Process.Pid) - cpuBefore, peakRSS: peakRSS(t, cmd.Process.Pid)}
	mu.Lock()
	f.acks = acks
	mu.Unlock()
	f.redisPerSession = float64(redisInfo(t, rdb, "used_memory")-memBefore) / float64(users)
	f.redisTrips = ((&replica{ops: ops}).metric(t, "stackpick_redis_round_trips_total") - tripsBefore) / float64(f.turns)
	f.botAckP99, f.botAckMax = ackBounds(t, ops)
	return f
}

// inboxes routes what the bot posts in each DM to the simulated person reading it.
type inboxes struct {
	mu        sync.Mutex
	byChannel map[string]chan string
}

func newInboxes() *inboxes { return &inboxes{byChannel: map[string]chan string{}} }

// open starts collecting the bot's posts in channel.
func (in *inboxes) open(channel string) chan string {
	box := make(chan string, 64)
	in.mu.Lock()
	in.byChannel[channel] = box
	in.mu.Unlock()
	return box
}

func (in *inboxes) close(channel string) {
	in.mu.Lock()
	delete(in.byChannel, channel)
	in.mu.Unlock()
}

// deliver is the fake's observer: a successful post goes to its channel's inbox.
func (in *inboxes) deliver(c slackfake.Call) {
	if c.Method != "chat.postMessage" || c.Status != 200 {
		return
	}
	in.mu.Lock()
	box := in.byChannel[c.Args["channel"]]
	in.mu.Unlock()
	if box != nil {
		box <- c.Args["text"]
	}
}

// waitText waits for a text in box that starts with prefix, dropping the others; on timeout it
// names the last text dropped, which is usually what went wrong.
func waitText(ctx context.Context, box chan string, prefix string) error {
	last := "nothing"
	for {
		select {
		case text := <-box:
			if strings.HasPrefix(text, prefix) {
				return nil
			}
			last = fmt.Sprintf("%q", text)
		case <-ctx.Done():
			return fmt.Errorf("waiting for %q (the last post was %s): %w", prefix, last, ctx.Err())
		}
	}
}

// debugAddrHook, when set, learns the bot's pprof address (for profiling a load run).
var debugAddrHook func(addr string)

// converse starts a conversation on a checklist of questions questions and answers the first
// option of the first answers of them, waiting for each reply; it returns each turn's reply
// latency. answers == questions is a whole checklist, ending with the shortlist.
func converse(ctx context.Context, fake *slackfake.Server, user string, box chan string, questions, answers int, think time.Duration) ([]time.Duration, error) {
	var lat []time.Duration
	wait := func(prefix string) error { return waitText(ctx, box, prefix) }
	sent := time.Now()
	if _, err := fake.SlashCommand(ctx, user, "CLOAD", "/stackpick", ""); err != nil {
		return nil, err
	}
	if err := wait(fmt.Sprintf("Question 1 of %d", questions)); err != nil {
		return nil, err
	}
	lat = append(lat, time.Since(sent))
	for q := 1; q <= answers; q++ {
		next := fmt.Sprintf("Question %d of %d", q+1, questions)
		if q == questions {
			next = "Your backend shortlist"
		}
		if think > 0 { // the person reading the question, for half to one and a half times think
			time.Sleep(think/2 + rand.N(think))
		}
		sent = time.Now()
		if _, _, err := fake.DirectMessage(ctx, user, "1", ""); err != nil {
			return nil, err
		}
		if err := wait(next); err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(sent))
	}
	return lat, nil
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// goroutines reads the bot's goroutine count from its pprof endpoint (0 when unreachable).
func goroutines(addr string) int {
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n') // "goroutine profile: total N"
	_, _ = io.Copy(io.Discard, resp.Body)
	n, _ := strconv.Atoi(strings.TrimSpace(line[strings.LastIndex(line, " ")+1:]))
	return n
}

// processCPU is the user + system CPU time of a process so far.
func processCPU(t *testing.T, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the command name (which may contain spaces): utime is the 14th field overall.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}

// peakRSS is the process's high-water resident set size.
func peakRSS(t *testing.T, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// ackBounds reads the bot's stackpick_slack_ack_seconds histogram at ops and returns the upper
// bounds of the buckets holding its 99th percentile and its maximum.
func ackBounds(t *testing.T, ops string) (p99, max float64) {
	t.Helper()
	type bucket struct{ le, n float64 }
	var buckets []bucket
	const prefix = `stackpick_slack_ack_seconds_bucket{le="`
	for _, line := range (&replica{ops: ops}).scrape(t, prefix) {
		le, count, _ := strings.Cut(strings.TrimPrefix(line, prefix), `"} `)
		b := bucket{}
		b.le, _ = strconv.ParseFloat(le, 64) // "+Inf" parses as +Inf
		b.n, _ = strconv.ParseFloat(count, 64)
		buckets = append(buckets, b)
	}
	if len(buckets) == 0 {
		t.Fatal("no ack histogram in the bot's /metrics")
	}
	total := buckets[len(buckets)-1].n
	p99, max = -1, -1
	for _, b := range buckets {
		if p99 < 0 && b.n >= 0.99*total {
			p99 = b.le
		}
		if max < 0 && b.n >= total {
			max = b.le
		}
	}
	return p99, max
}

// redisInfo returns a numeric field of Redis's INFO, such as used_memory.
func redisInfo(t *testing.T, rdb redis.UniversalClient, field string) int64 {
	info, err := rdb.Info(context.Background(), "memory", "stats").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// A Slack turn costs two Redis round trips: one script claims the event id, counts the turn for
// the rate limit, reads the session and marks the turn on it; after the reply is posted, the
// session is saved with compare-and-set, with what the user was shown. The bot counts them itself
// (stackpick_redis_round_trips_total: one per command, one per pipeline, from a go-redis hook).
func TestASlackTurnTakesTwoRedisRoundTrips(t *testing.T) {
	e := startE2E(t, map[string]string{"TURNS_PER_MINUTE": "30", "LOG_LEVEL": "warn"})
	if e.redis == nil {
		t.Skip("needs redis-server")
	}
	// saved waits until user's last turn, which posted the shortlist, has saved the session: a
	// turn saves after it posts, and a typed answer updates nothing in place afterwards. The
	// test reads Redis with its own client, which the bot does not count.
	saved := func(user string) {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			s, err := e.stored(user)
			if err == nil && s.Finished && s.Shown == s.Step {
				return
			}
			select {
			case <-tick.C:
			case <-e.ctx.Done():
				t.Fatalf("%s's last turn was not saved: %+v, %v", user, s, err)
			}
		}
	}
	// checklist runs a whole conversation, typing the first option's number for each question,
	// and returns its turns once the last one is saved.
	checklist := func(user string) int {
		dm := e.fake.DMChannel(user)
		e.next()
		e.send(e.fake.SlashCommand(e.ctx, user, "CGENERAL", "/stackpick", ""))
		e.waitPost(dm, "Question 1 of ")
		for turns := 2; ; turns++ {
			e.say(user, "", "1")
			posted := e.waitCall("chat.postMessage", func(c slackfake.Call) bool {
				text := c.Args["text"]
				return c.Status == 200 && c.Args["channel"] == dm && (strings.HasPrefix(text, "Question ") || strings.HasPrefix(text, "Your backend shortlist"))
			})
			if strings.HasPrefix(posted.Args["text"], "Your backend shortlist") {
				saved(user)
				return turns
			}
		}
	}
	// The first conversation loads the Lua scripts into Redis (go-redis's EVALSHA falls back to
	// EVAL once); the second one is measured.
	checklist("UWARM")
	const series = "stackpick_redis_round_trips_total"
	before := e.metric(t, series)
	turns := checklist("UTRIPS")
	trips := e.metric(t, series) - before
	t.Logf("%d turns, %v Redis round trips", turns, trips)
	if want := float64(2 * turns); trips != want {
		t.Errorf("%d turns took %v Redis round trips, want %v (2 a turn)", turns, trips, want)
	}
}
