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
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// The load driver: simulated people talk to a bot binary (stackpick, or the baseline in
// bench/baseline) through the fake Slack, on a real Redis, and the driver measures the bot
// process from outside, the same way for both.

// botUnderLoad is a binary the driver runs.
type botUnderLoad struct {
	name string
	bin  string
	env  []string // beyond the Slack, Redis and debug settings every bot gets
	// stackpick serves /metrics (its Redis round trips and ack histogram); the baseline does not.
	stackpick bool
}

// loadRun is one shape of load: users people each run a whole checklist, at most inFlight at a
// time, each pausing about think between a reply and their next answer (0: a closed loop). The
// first inFlight people start evenly over ramp (0: all at once). A run starts on an emptied
// Redis unless keep is set. With slackLimits the fake holds every bot to Slack's published rate
// limits, as Slack would, answering a call past them with 429 and Retry-After.
type loadRun struct {
	name            string
	users, inFlight int
	think, ramp     time.Duration
	keep            bool
	slackLimits     bool
}

// sample is one latency and when its envelope was sent.
type sample struct {
	sent time.Time
	d    time.Duration
}

// loadFigures is what one run of one bot measured.
type loadFigures struct {
	bot                   string
	turns                 int
	start, lastStart, end time.Time // the first person's start, the last person's, the last reply
	acks, replies         []sample
	peakRSS               int64 // bytes (VmHWM)
	peakGoroutines        int
	cpu                   time.Duration // user + system time of the bot process during the run
	mallocs, allocBytes   float64       // heap allocations of the bot process during the run
	redisCommands         float64       // counted by Redis, the commands its scripts ran included
	redisCPU              time.Duration // Redis's own CPU time during the run
	roundTrips            float64       // Redis round trips, as the bot counts them
	webCalls              int           // Web API calls the fake Slack answered
	throttled             int           // of those, the calls it refused with 429 (slackLimits)
	botAckP99, botAckMax  float64       // stackpick's own ack time (s): its histogram's bucket bounds
}

func (f loadFigures) perTurn(x float64) float64      { return x / float64(f.turns) }
func (f loadFigures) cpuPerTurn() time.Duration      { return f.cpu / time.Duration(f.turns) }
func (f loadFigures) throughput() float64            { return float64(f.turns) / f.end.Sub(f.start).Seconds() }
func (f loadFigures) redisCPUPerTurn() time.Duration { return f.redisCPU / time.Duration(f.turns) }

// steady keeps the samples sent after the ramp and before the last person started: the load at
// its full number of people in flight, without the ramp or the tail as the last ones finish.
func (f loadFigures) steady(ss []sample, ramp time.Duration) []time.Duration {
	var out []time.Duration
	for _, s := range ss {
		if !s.sent.Before(f.start.Add(ramp)) && !s.sent.After(f.lastStart) {
			out = append(out, s.d)
		}
	}
	return out
}

// ramping keeps the samples sent during the ramp.
func (f loadFigures) ramping(ss []sample, ramp time.Duration) []time.Duration {
	var out []time.Duration
	for _, s := range ss {
		if s.sent.Before(f.start.Add(ramp)) {
			out = append(out, s.d)
		}
	}
	return out
}

// The questions every conversation answers; the baseline is told the same number.
const loadQuestions = 14

// runLoad starts bot against a fresh lean fake Slack, runs the load and measures it.
func runLoad(t *testing.T, bot botUnderLoad, rdb redis.UniversalClient, redisAddr string, run loadRun) loadFigures {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if !run.keep {
		if err := rdb.FlushAll(ctx).Err(); err != nil {
			t.Fatal(err)
		}
	}
	fake := slackfake.New()
	defer fake.Close()
	if run.slackLimits {
		fake.SetLimits(slackfake.SlackLimits())
	}
	var mu sync.Mutex
	inbox := newInboxes()
	var acks []sample
	webCalls := 0
	fake.Lean(func(c slackfake.Call) {
		mu.Lock()
		webCalls++
		mu.Unlock()
		inbox.deliver(c)
	}, func(a slackfake.Ack) {
		now := time.Now()
		mu.Lock()
		acks = append(acks, sample{now.Add(-a.Latency), a.Latency})
		mu.Unlock()
	})

	debug, ops := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bot.bin, "serve")
	cmd.Env = append([]string{
		"SLACK_APP_TOKEN=" + slackfake.AppToken, "SLACK_BOT_TOKEN=" + slackfake.BotToken,
		"SLACK_API_URL=" + fake.APIURL(), "REDIS_URL=redis://" + redisAddr + "/0", "LOG_LEVEL=error",
		"STACKPICK_DEBUG_ADDR=" + debug, "STACKPICK_HTTP_ADDR=" + ops,
	}, bot.env...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	metric := func(series string) float64 {
		if !bot.stackpick {
			return 0
		}
		return (&replica{ops: ops}).metric(t, series)
	}
	mu.Lock()
	callsBefore := webCalls // connecting (auth.test, apps.connections.open) is not a turn's
	mu.Unlock()
	cpuBefore, heapBefore := processCPU(t, cmd.Process.Pid), heapStats(t, debug)
	redisBefore := redisStats(t, rdb)
	tripsBefore := metric("stackpick_redis_round_trips_total")

	// Sample the goroutine count while the load runs: a measurement, not a synchronisation.
	sampling, stopSampling := context.WithCancel(ctx)
	peakG := make(chan int, 1)
	go func() {
		peak := 0
		tick := time.NewTicker(time.Second)
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
	profiled := profileDuring(t, sampling, debug, bot.name+"-"+run.name)

	var replies []sample
	var errOnce sync.Once
	var firstErr error
	sem := make(chan struct{}, run.inFlight)
	var wg sync.WaitGroup
	f := loadFigures{bot: bot.name, start: time.Now()}
	for u := 0; u < run.users; u++ {
		if u < run.inFlight && run.ramp > 0 { // the load driver's own pacing, not a synchronisation
			time.Sleep(time.Until(f.start.Add(run.ramp * time.Duration(u) / time.Duration(run.inFlight))))
		}
		user := fmt.Sprintf("UL%06d", u)
		dm := fake.DMChannel(user)
		box := inbox.open(dm)
		sem <- struct{}{}
		f.lastStart = time.Now()
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			lat, err := converse(ctx, fake, user, box, loadQuestions, loadQuestions, run.think)
			if err != nil {
				errOnce.Do(func() { firstErr = fmt.Errorf("%s with %s: %w", bot.name, user, err) })
			}
			mu.Lock()
			replies = append(replies, lat...)
			mu.Unlock()
			inbox.close(dm)
		}()
	}
	wg.Wait()
	f.end = time.Now()
	stopSampling()
	<-profiled
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	heapAfter := heapStats(t, debug)
	saveProfile(t, ctx, debug, "allocs", bot.name+"-"+run.name+"-allocs")
	f.turns, f.replies, f.peakGoroutines = len(replies), replies, <-peakG
	f.cpu, f.peakRSS = processCPU(t, cmd.Process.Pid)-cpuBefore, peakRSS(t, cmd.Process.Pid)
	f.mallocs, f.allocBytes = heapAfter.mallocs-heapBefore.mallocs, heapAfter.totalAlloc-heapBefore.totalAlloc
	redisAfter := redisStats(t, rdb)
	f.redisCommands = float64(redisAfter.commands - redisBefore.commands - 1) // less the driver's first INFO
	f.redisCPU = redisAfter.cpu - redisBefore.cpu
	f.roundTrips = f.redisCommands // the baseline sends each command on its own: no scripts, no pipelines
	if bot.stackpick {
		f.roundTrips = metric("stackpick_redis_round_trips_total") - tripsBefore
		f.botAckP99, f.botAckMax = ackBounds(t, ops)
	}
	mu.Lock()
	f.acks, f.webCalls, f.throttled = acks, webCalls-callsBefore, fake.Throttled()
	mu.Unlock()
	return f
}

// profileDir, when set (STACKPICK_PERF_PROFILE=dir), has the driver take a CPU profile of each
// bot for 10 seconds from profileAfter into each run, into dir/<bot>-<run>.pprof, and its
// allocations at the end of the run, into dir/<bot>-<run>-allocs.pprof.
var profileDir = os.Getenv("STACKPICK_PERF_PROFILE")

// profileAfter is when the CPU profile starts: past the paced ramp, with conversations finishing.
const profileAfter = 15 * time.Second

// profileDuring starts the CPU profile; the channel closes once it is written (or not wanted).
func profileDuring(t *testing.T, ctx context.Context, debug, name string) <-chan struct{} {
	done := make(chan struct{})
	if profileDir == "" {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		select { // a run shorter than profileAfter has no CPU profile
		case <-ctx.Done():
			return
		case <-time.After(profileAfter):
		}
		saveProfile(t, ctx, debug, "profile?seconds=10", name)
	}()
	return done
}

// saveProfile writes the bot's pprof endpoint at path to dir/name.pprof, when profiles are wanted.
func saveProfile(t *testing.T, ctx context.Context, debug, path, name string) {
	if profileDir == "" {
		return
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+debug+"/debug/pprof/"+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Logf("no profile of %s: %v", name, err)
		return
	}
	defer resp.Body.Close()
	out, err := os.Create(filepath.Join(profileDir, name+".pprof"))
	if err == nil {
		_, err = io.Copy(out, resp.Body)
		_ = out.Close()
	}
	if err != nil {
		t.Logf("no profile of %s: %v", name, err)
	}
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

// converse starts a conversation on a checklist of questions questions by writing to the bot in
// its DM, and answers the first option of the first answers of them, waiting for each reply; it
// returns each turn's reply latency. answers == questions is a whole checklist, ending with the
// shortlist.
func converse(ctx context.Context, fake *slackfake.Server, user string, box chan string, questions, answers int, think time.Duration) ([]sample, error) {
	var lat []sample
	turn := func(text, next string) error {
		sent := time.Now()
		if _, _, err := fake.DirectMessage(ctx, user, text, ""); err != nil {
			return err
		}
		if err := waitText(ctx, box, next); err != nil {
			return err
		}
		lat = append(lat, sample{sent, time.Since(sent)})
		return nil
	}
	if err := turn("hi", fmt.Sprintf("Question 1 of %d", questions)); err != nil {
		return nil, err
	}
	for q := 1; q <= answers; q++ {
		next := fmt.Sprintf("Question %d of %d", q+1, questions)
		if q == questions {
			next = "Your backend shortlist"
		}
		if think > 0 { // the person reading the question, for half to one and a half times think
			time.Sleep(think/2 + rand.N(think))
		}
		if err := turn("1", next); err != nil {
			return nil, err
		}
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

// goroutines reads a bot's goroutine count from its pprof index, which counts them without
// taking their stacks (0 when unreachable): the goroutine profile itself, taken every 100 ms,
// cost a bot with many goroutines a fifth of its CPU.
func goroutines(addr string) int {
	resp, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	// A row of the index: <tr><td>123</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>
	before, _, found := strings.Cut(string(page), "</td><td><a href='goroutine?debug=1'>")
	if !found {
		return 0
	}
	n, _ := strconv.Atoi(before[strings.LastIndex(before, ">")+1:])
	return n
}

// heap is a process's allocations so far, from runtime.MemStats.
type heap struct{ mallocs, totalAlloc float64 }

// heapStats reads them from the MemStats lines that /debug/pprof/heap?debug=1 ends with.
func heapStats(t *testing.T, addr string) heap {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h heap
	lines := bufio.NewScanner(resp.Body)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), "# Mallocs = "); ok {
			h.mallocs, _ = strconv.ParseFloat(v, 64)
		}
		if v, ok := strings.CutPrefix(lines.Text(), "# TotalAlloc = "); ok {
			h.totalAlloc, _ = strconv.ParseFloat(v, 64)
		}
	}
	if h.mallocs == 0 {
		t.Fatalf("no MemStats in %s's heap profile", addr)
	}
	return h
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
	t.Helper()
	info, err := rdb.Info(context.Background(), "memory", "stats", "cpu").Result()
	if err != nil {
		t.Fatal(err)
	}
	return infoField(info, field)
}

// infoField reads a numeric field of an INFO reply (seconds fields in microseconds).
func infoField(info, field string) int64 {
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			if strings.Contains(v, ".") {
				f, _ := strconv.ParseFloat(v, 64)
				return int64(f * 1e6)
			}
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// redisCounters is what Redis has done so far: commands (those its scripts ran included) and
// its own CPU time.
type redisCounters struct {
	commands int64
	cpu      time.Duration
}

// redisStats reads them with one INFO.
func redisStats(t *testing.T, rdb redis.UniversalClient) redisCounters {
	t.Helper()
	info, err := rdb.Info(context.Background(), "stats", "cpu").Result()
	if err != nil {
		t.Fatal(err)
	}
	return redisCounters{commands: infoField(info, "total_commands_processed"),
		cpu: time.Duration(infoField(info, "used_cpu_user")+infoField(info, "used_cpu_sys")) * time.Microsecond}
}
