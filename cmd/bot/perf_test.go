package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/redistest"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
	"github.com/stackpick/stackpick/internal/slackfake"
)

// roundTrips counts what a client sends to Redis: each command is a round trip, and so is each
// pipeline.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { r.n.Add(1); return next(ctx, cmd) }
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { r.n.Add(1); return next(ctx, cmds) }
}

// turnRig is one user's conversation on a real Redis, ready for turns that change an answer.
type turnRig struct {
	cat   *catalog.Catalog
	eng   *dialog.Engine
	rdb   redis.UniversalClient
	trips *roundTrips
	key   string
}

var benchUser = dialog.Key{Team: "T0BENCH", User: "U0BENCH"}

func newTurnRig(tb testing.TB, srv *redistest.Server) *turnRig {
	tb.Helper()
	cat, err := catalog.Load(config.FS, "config")
	if err != nil {
		tb.Fatal(err)
	}
	rdb := srv.Client(tb)
	store := redisstore.New(rdb, time.Hour, keyPrefix)
	rig := &turnRig{cat: cat, eng: dialog.New(cat, store, time.Now), rdb: rdb, trips: &roundTrips{}, key: store.Key(benchUser)}
	ctx := context.Background()
	for _, text := range []string{"", "a B2B SaaS in Python and TypeScript, 4 devs, launch in 6 weeks, EU customers", "growing",
		"fast responses matter", "crud and io", "modular monolith", "kubernetes"} {
		in := dialog.Input{Action: dialog.ActText, Text: text}
		if text == "" {
			in.Action = dialog.ActStart
		}
		if _, err := rig.eng.Handle(ctx, benchUser, in); err != nil {
			tb.Fatal(err)
		}
	}
	rdb.AddHook(rig.trips)
	return rig
}

var turnInputs = []dialog.Input{
	{Action: dialog.ActText, Text: "change traffic to massive"},
	{Action: dialog.ActText, Text: "change traffic to growing"},
}

// turn is one whole turn: load, apply, compare-and-set, render for Slack.
func (rig *turnRig) turn(ctx context.Context, i int) {
	r, err := rig.eng.Handle(ctx, benchUser, turnInputs[i%len(turnInputs)])
	if err != nil {
		panic(err)
	}
	_ = blockkit.Render(r, benchUser.User)
}

// floor is the least a turn could cost: a bare GET and SET of a session-sized value.
func (rig *turnRig) floor(ctx context.Context, value []byte) {
	if err := rig.rdb.Get(ctx, "floor").Err(); err != nil && err != redis.Nil {
		panic(err)
	}
	if err := rig.rdb.Set(ctx, "floor", value, time.Hour).Err(); err != nil {
		panic(err)
	}
}

func (rig *turnRig) sessionBytes(tb testing.TB) []byte {
	data, err := rig.rdb.HGet(context.Background(), rig.key, "data").Bytes()
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func BenchmarkTurn(b *testing.B) {
	rig := newTurnRig(b, redistest.Start(b))
	ctx := context.Background()
	before := rig.trips.n.Load()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rig.turn(ctx, i)
	}
	b.ReportMetric(float64(rig.trips.n.Load()-before)/float64(b.N), "roundtrips/op")
}

func BenchmarkRedisFloor(b *testing.B) {
	rig := newTurnRig(b, redistest.Start(b))
	ctx := context.Background()
	value := rig.sessionBytes(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rig.floor(ctx, value)
	}
}

// runs is how many times each in-process measurement is repeated; reports give the median.
const runs = 5

type benchFigures struct{ nsPerOp, allocsPerOp, bytesPerOp []float64 }

func repeatBenchmark(f func(b *testing.B)) benchFigures {
	var fig benchFigures
	for i := 0; i < runs; i++ {
		r := testing.Benchmark(f)
		fig.nsPerOp = append(fig.nsPerOp, float64(r.NsPerOp()))
		fig.allocsPerOp = append(fig.allocsPerOp, float64(r.AllocsPerOp()))
		fig.bytesPerOp = append(fig.bytesPerOp, float64(r.AllocedBytesPerOp()))
	}
	return fig
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// status is a table's verdict on a target.
func status(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}

// TestPerformanceReport measures the bot and writes docs/PERFORMANCE.md. It runs only when
// STACKPICK_PERF_REPORT names the file to write (make bench does that); it takes about ten
// minutes.
func TestPerformanceReport(t *testing.T) {
	out := os.Getenv("STACKPICK_PERF_REPORT")
	if out == "" {
		t.Skip("set STACKPICK_PERF_REPORT=path to measure and write the performance report (make bench)")
	}
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	var doc strings.Builder
	row := func(what, figure, target string, ok bool) {
		fmt.Fprintf(&doc, "| %s | %s | %s | %s |\n", what, figure, target, status(ok))
	}
	cpu, _ := os.ReadFile("/proc/cpuinfo")
	model := "unknown CPU"
	for _, line := range strings.Split(string(cpu), "\n") {
		if strings.HasPrefix(line, "model name") {
			model = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
			break
		}
	}
	fmt.Fprintf(&doc, "# Performance\n\nWritten by `make bench` on %s. Machine: %d cores (%s), %s %s/%s. "+
		"Redis is a real `redis-server` on loopback. Each figure says how many runs it is the median of; "+
		"a latency percentile is over all the samples of the runs it names.\n\n", time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), model,
		runtime.Version(), runtime.GOOS, runtime.GOARCH)

	// The binaries: stackpick built as make build does, and the baseline.
	dir := t.TempDir()
	stackpick := botUnderLoad{name: "stackpick", bin: filepath.Join(dir, "bot"), stackpick: true}
	build(t, stackpick.bin, ".")
	baseline := botUnderLoad{name: "baseline", bin: filepath.Join(dir, "baseline")}
	build(t, baseline.bin, "../../bench/baseline")

	// What one finished conversation costs in Redis; the baseline stores a value of its session's size.
	cost := sessionCost(t, stackpick, rdb, srv.Addr)
	baseline.env = []string{fmt.Sprintf("BASELINE_QUESTIONS=%d", loadQuestions), fmt.Sprintf("BASELINE_SESSION_BYTES=%d", cost.sessionJSON)}

	doc.WriteString(comparisonSection(t, [2]botUnderLoad{stackpick, baseline}, rdb, srv.Addr))

	// Ranking.
	cat, err := catalog.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	full := catalog.Answers{
		"project": {"saas"}, "languages": {"python", "typescript"}, "team": {"small"}, "deadline": {"weeks"},
		"scale": {"growing"}, "performance": {"important"}, "workload": {"crud", "io"}, "architecture": {"modular"},
		"compliance": {"regulated"}, "hosting": {"containers"}, "batteries": {"batteries"}, "hiring": {"yes"},
		"typing": {"nice"}, "footprint": {"no"},
	}
	ranker := ranking.Compile(cat)
	rank := repeatBenchmark(func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ranker.Rank(full)
		}
	})
	fmt.Fprintf(&doc, "## 2. Ranking the whole catalog (%d frameworks, all %d questions answered; median of %d runs)\n\n| measure | figure | target | |\n|---|---|---|---|\n", len(cat.Frameworks), len(cat.Questions), runs)
	rankNs := median(rank.nsPerOp)
	row("time per ranking", fmt.Sprintf("%.1f µs", rankNs/1000), "< 200 µs", rankNs < 200000)
	row("allocations per ranking", fmt.Sprintf("%.0f (%.1f KiB)", median(rank.allocsPerOp), median(rank.bytesPerOp)/1024),
		"not budgeted", true)
	doc.WriteString("\nAllocations are not budgeted: ranking chose plain slices, maps and sorts over fixed arrays. They are the result (the shortlist, each entry's reasons, watchouts and texts, the situation, the checklist and the plan) and each framework's scoring and reason slices; ranking.Compile builds the model once per catalog.\n\n")

	doc.WriteString(readingSection(cat))
	doc.WriteString(turnSection(t, srv))
	doc.WriteString(cost.section())
	doc.WriteString(memorySection(t, stackpick, rdb, srv.Addr))
	doc.WriteString(burstSection(t))

	var starts []time.Duration
	for i := 0; i < 10; i++ {
		starts = append(starts, coldStart(t, stackpick.bin, srv.Addr))
	}
	st, _ := os.Stat(stackpick.bin)
	doc.WriteString("## 8. Cold start (the `make build` binary, Redis on loopback)\n\n| measure | figure | target | |\n|---|---|---|---|\n")
	startMed := percentile(starts, .5)
	row("process start to Socket Mode connected (config load and validation, Redis ping, auth.test, socket)", fmt.Sprintf("median %v, max %v over %d starts", startMed.Round(time.Millisecond), percentile(starts, 1).Round(time.Millisecond), len(starts)), "< 100 ms", startMed < 100*time.Millisecond)
	row("binary size", fmt.Sprintf("%.1f MiB", float64(st.Size())/(1<<20)), "", true)
	doc.WriteString("\n")

	doc.WriteString(profileNotes)
	if err := os.WriteFile(out, []byte(doc.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + doc.String())
}

// build compiles the main package at pkg into bin, as make build does.
func build(t *testing.T, bin, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
}

// turnSection compares one turn in process with the bare GET + SET floor by CPU time per
// operation: this process's (the turn's Go code, GC included) and Redis's, interleaved.
func turnSection(t *testing.T, srv *redistest.Server) string {
	ctx := context.Background()
	rig := newTurnRig(t, srv)
	value := rig.sessionBytes(t)
	info := srv.Client(t) // Redis's counters are read on a client of their own: the rig counts its round trips
	const ops = 2000
	var turnOwn, turnRedis, floorOwn, floorRedis, trips []float64
	for r := 0; r < runs; r++ {
		before := rig.trips.n.Load()
		own, red := cpuPerOp(t, info, ops, func(i int) { rig.turn(ctx, i) })
		trips = append(trips, float64(rig.trips.n.Load()-before)/ops)
		turnOwn, turnRedis = append(turnOwn, own), append(turnRedis, red)
		own, red = cpuPerOp(t, info, ops, func(int) { rig.floor(ctx, value) })
		floorOwn, floorRedis = append(floorOwn, own), append(floorRedis, red)
	}
	turn := repeatBenchmark(func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			rig.turn(ctx, i)
		}
	})
	us := func(ns float64) string { return fmt.Sprintf("%.1f µs", ns/1000) }
	var b strings.Builder
	fmt.Fprintf(&b, "## 4. One turn in process (load, apply, compare-and-set save, render to Block Kit), by CPU time\n\n"+
		"CPU time per operation, this process's (GC included) and Redis's, over %d operations, turn and floor interleaved; median of %d runs. "+
		"The floor is the least a turn could cost: a bare GET and SET of a session-sized value.\n\n"+
		"| measure | in the Go process | in Redis | together |\n|---|---|---|---|\n", ops, runs)
	tt, ft := median(turnOwn)+median(turnRedis), median(floorOwn)+median(floorRedis)
	fmt.Fprintf(&b, "| turn | %s | %s | %s |\n", us(median(turnOwn)), us(median(turnRedis)), us(tt))
	fmt.Fprintf(&b, "| floor | %s | %s | %s |\n", us(median(floorOwn)), us(median(floorRedis)), us(ft))
	fmt.Fprintf(&b, "| turn / floor | %.1f× | %.1f× | %.1f× |\n\n", median(turnOwn)/median(floorOwn), median(turnRedis)/median(floorRedis), tt/ft)
	fmt.Fprintf(&b, "| measure | figure | target | |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| allocations per turn (median of %d benchmark runs) | %.0f (%.1f KiB) |  | ✅ |\n", runs, median(turn.allocsPerOp), median(turn.bytesPerOp)/1024)
	fmt.Fprintf(&b, "| Redis round trips per turn | %.1f | 2 | %s |\n\n", median(trips), status(median(trips) == 2))
	b.WriteString("The floor does no work of its own, so the ratio says how much a turn does besides its two round trips (reading the message, " +
		"applying it, the session's JSON, rendering), not how it compares with a bot: section 1 does that.\n\n")
	return b.String()
}

// cpuPerOp runs op n times and returns this process's CPU time and Redis's, per operation, in ns.
func cpuPerOp(t *testing.T, rdb redis.UniversalClient, n int, op func(i int)) (own, inRedis float64) {
	r0, c0 := redisStats(t, rdb), selfCPU()
	for i := 0; i < n; i++ {
		op(i)
	}
	c1, r1 := selfCPU(), redisStats(t, rdb)
	return float64(c1-c0) / float64(n), float64(r1.cpu-r0.cpu) / float64(n)
}

// selfCPU is this process's user + system CPU time so far, every thread's.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// readingSection measures dialog's reader on messages of growing length, as a turn reads them.
func readingSection(cat *catalog.Catalog) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## 3. Reading one typed message (intent, typos, amounts and dates, every question's words; median of %d runs)\n\n", runs)
	b.WriteString("" +
		"| message | length | time per message | allocations | target | |\n|---|---|---|---|---|---|\n")
	eng := dialog.New(cat, nil, time.Now)
	brief := "Hi! We're a 6-person startup building a B2B SaaS for managing invoices; the backend team knows Python and some TypeScript. " +
		"We want to launch a first version by end of February, expect a few thousand users in the first year, mostly CRUD " +
		"plus some nightly report jobs, and we're not sure yet about microservices. EU customers, so GDPR. "
	for _, m := range []struct{ what, at, text string }{
		{"a short answer", "team", "3 of us"},
		{"a sentence with a typo and a date", "languages", "pyhton mostly, a bit of js, launching by Q3"},
		{"an opening description", "project", strings.Repeat(brief, 3)},
		{"the longest message read", "project", strings.Repeat(brief, dialog.MaxInputRunes/len(brief)+1)[:dialog.MaxInputRunes]},
	} {
		r := repeatBenchmark(func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				eng.Understand(dialog.Point{Question: m.at}, m.text)
			}
		})
		ns := median(r.nsPerOp)
		fmt.Fprintf(&b, "| %s | %d characters | %.1f µs | %.0f | < 1 ms | %s |\n", m.what, len([]rune(m.text)), ns/1000,
			median(r.allocsPerOp), map[bool]string{true: "✅", false: "❌"}[ns < 1e6])
	}
	b.WriteString("\n")
	return b.String()
}

// profileNotes records what profiling showed and what changed; update it with each round.
const profileNotes = `## What the profiles showed, and what changed

- **Ranking** (` + "`go test ./internal/ranking -bench . -cpuprofile`" + `): 210 µs and 1,052 allocations per ranking, most of it
  building reason texts for every framework with ` + "`fmt.Sprintf`" + `, map iteration over option weights, and slices
  grown per candidate. Now the catalog precomputes dense and sparse weight vectors, option and framework indexes,
  option sets for watchout conditions, and the fixed reason texts at load time; scoring runs on fixed-size arrays;
  only the chosen reasons are turned into text, each sized exactly, and frameworks rated alike share a sentence;
  the entries share backing arrays. 210 → about 20 µs, 1,052 → 45 allocations (all of them the result's).
  Rankings are unchanged: the golden files and the recommendation tests pass untouched.
  Issue 10 traded most of that back for clarity: ranking compiles its own model (` + "`ranking.Compile`" + `) and
  scores with plain slices, maps and stable sorts, no fixed arrays, bitsets or text cache; the budget is 200 µs.
- **The bot under load** (` + "`STACKPICK_DEBUG_ADDR`" + ` serves pprof; a CPU profile taken during the 1,000-session run):
  10% of the bot's CPU went to dialling new connections to the Slack Web API, because Go's default transport keeps
  only two idle connections per host. The bot now gives slack-go a client that keeps up to 64. What is left is
  spread over Redis round trips (about 20%), Web API calls (about 12%), JSON decoding of envelopes, and garbage
  collection.
- **Outgoing pacing**: the bot paces its Web API calls to Slack's published limits, posts replies before the
  cosmetic in-place updates, and skips those updates when chat.update's allowance is spent. Since issue 13 the
  replicas share the allowance through Redis (one GCRA script per call; golang.org/x/time/rate locally when Redis
  fails or with ` + "`SLACK_PACING=local`" + `). Since issue 16 a DM's posts are paced on the replica running its
  person's turn (a DM's turns run one at a time), so a typed turn makes no Redis round trip for pacing, and the load
  runs use the shipped defaults, pacing and the per-person turn limit on.
- **Redis round trips of a Slack turn**: six at first, then four (a pipelined admission, session load,
  compare-and-set, thread-record write); since issue 13 two: one script claims the event, counts an admitted turn,
  reads the session and marks the turn in flight, all on keys of the session's slot, and after the reply is posted
  one compare-and-set saves the session with what the user was shown (the thread record is part of it).
  ` + "`TestASlackTurnTakesTwoRedisRoundTrips`" + ` counts them with the bot's own ` + "`stackpick_redis_round_trips_total`" + ` (a go-redis hook: one per command, one per pipeline;
  Redis's ` + "`total_reads_processed`" + ` counts socket reads, not requests, and made the test flaky).
- **Where the ack time goes**: the bot's ` + "`stackpick_slack_ack_seconds`" + ` histogram measures from the envelope reaching the
  bot's dispatch loop to its ack being queued on the socket; the "in the bot" column is read from it. The ack is the
  first thing done with every envelope, before any I/O.
- **Issue 16: stackpick against the bare bot** (section 1; CPU profiles of the bot taken by the load driver with
  ` + "`STACKPICK_PERF_PROFILE=dir`" + `). Under the first side-by-side run with this driver the bot took 2.0–2.6 ms of CPU a
  turn against the baseline's 0.4 ms, and what it spent it on, beyond what the baseline also does, was: slack-go
  decoding the copy of each posted message that Slack sends back, blocks into typed values (a quarter of the
  bot's CPU); a Redis round trip per post and per update for the shared pacing (14%); the cosmetic chat.update of
  every answered question (0.93 calls a turn); the metrics transport decoding every reply a second time to read
  ` + "`ok`" + ` (9%); and, a fault of the measurement, the driver's own goroutine profile every 100 ms (23%: the
  goroutine count is now read from the pprof index, once a second). Now: messages are posted and updated as JSON
  by a small call of the bot's own (` + "`chat.go`" + `), which reads only ` + "`ok`" + `, ` + "`error`" + ` and ` + "`ts`" + ` of the reply, the
  message's copy skipped unbuilt (slack-go sent them as forms with the blocks URL-escaped, a third of the bytes the
  bot allocated); a DM's posts are paced locally; a typed answer is confirmed at the top of the reply (or by its
  "Understood" note) instead of by updating the question; ` + "`ok`" + ` is read as slack-go's decoder pulls the bytes
  through; the escaping Replacers are built once; the reader numbers the catalog's phrase words once and reads a
  message's words once; the stored undo keeps only what differs from the session (772 → 548 B of JSON). Then a
  post's reply is read with gjson, which finds ` + "`ok`" + ` and ` + "`ts`" + ` without decoding the message's copy (first read token
  by token with encoding/json, 30 → 2.5 µs for a 2.5 KB reply but 48 allocations, encoding/json making a syntax
  error it discards at every token; with gjson 0.27 µs and 4), and the result's what-ifs weigh every
  alternative answer on one copy of the answers, describing only those they report, with one scorer reused for all of them (Firmness
  700 → 280 µs, 3,030 → 237 allocations); and a turn's worker waits for another user's work when its user's
  queue empties, so turns start on stacks already grown (runtime.newstack 5% → under 1% of the bot's CPU). Then:
  the blocks are marshalled with the actions' and contexts' elements written in line (slack-go's own MarshalJSON
  on them made encoding/json compact and validate them again: 9.7 → 3.9 µs a question, the JSON byte for byte the
  same); posts and updates call the transport themselves, bounded by the turn's deadline, with one header
  set (an http.Client made a timer, a context and a copy of the headers every call), and count their own calls
  from the reply they read (the counting transport also scanned every post's reply byte by byte to read its
  ` + "`ok`" + `: 1.9% of the paced load's CPU); a copy of the answers is
  two allocations (one array for all the ids); the spelling corrector's index holds no pointers (a forced GC of
  the engine 1.2 → 0.5 ms, its live heap 1.9 → 1.1 MB); a DM's posts keep Slack's burst of 3 (with 2, half
  the paced load's replies waited for the pacer, p50 52 → 1.8 ms); a stored session's answers are read with
  gjson instead of encoding/json's reflection (fuzzed against it); and a number alone that reads as its own option
  either way ("1" at the team question) is taken as typed exactly, so it draws no "Understood" note, which was a
  second post that waited for Slack's pace (1.20 → 1.07 Web API calls a turn); an answer taken as typed copies no
  state for an undo it will not keep (454 → 448 allocations a turn); and the ranking's conditions name options by
  an index the model gives them, its scorer keeping the options given in a slice instead of a map keyed by
  pointer (a result's what-ifs 284 → 143 µs, a ranking 74 → 56 µs). The judged loads hold both bots to Slack's published rate limits: in the first side-by-side
  runs the fake enforced none, so in the closed loop stackpick kept each DM to Slack's pace while the baseline
  posted flat out, at about twenty times its rate, and every per-event wake-up cost was spread over fewer turns of
  stackpick's. Under the limits the baseline is held to the same pace by Slack's 429s, which it retries; the
  labelled run shows both bots flat out against a Slack with no limits.
- **Reading typed text** (issue 12; a CPU profile of one 4,000-character message): the first reader took 4.5 ms for
  it and 1.3 ms for a 1,000-character description. Three things cost most: looking up the word after every unknown
  word re-split the rest of the message (quadratic), every vocabulary word of the right length was measured against
  every unknown word, and every phrase of every option was searched for in the whole text. Now the vocabulary is
  indexed by its one-letter deletions (a typo one edit away shares one with its word, so only those are measured),
  a phrase is searched only when its first word is in the message, the message is tokenized once, and question
  names and calendar phrases are looked up in maps: about 0.85 ms and 0.29 ms (with typos of two edits read in words
  of ten letters or more). A typed change had also normalized every
  question's aliases and text on each of its prefixes; a turn took 885 allocations, now 431 (305 before issue 12:
  the rest is the undo snapshot kept with the session and the reading itself).
- **Left** (the profile of a paced run, past its ramp): the session's JSON, decoded at admission (its lists of
  question ids, the history above all, still through encoding/json, which grows every slice one value at a time)
  and encoded at the save; garbage collection (about 10% of the bot's CPU against the baseline's 2.5%: it allocates twice the
  bytes); Block Kit through slack-go's types (about 45 allocations a question); the result's ranking of every
  framework; the socket's envelopes, decoded by slack-go as in the baseline. The plumbing costs what the
  baseline's does (in a 30-second profile of a paced pair: the Redis client 1.12 s against 1.23 s for its GET and
  SET, posting 0.78 s against 0.77 s, slack-go's envelope decoding 0.66 s against 0.63 s); the difference is the
  work itself. Peak RSS is 14 MB of mapped binary (the baseline's 9 MB: the resident file pages follow the binary's
  size, 15.7 against 10.0 MB) and an anonymous part; idle, after one conversation, the bot holds 22.9 MiB (9.0 MiB
  anonymous) against the baseline's 9.4 MiB, more than the paced target of 1.5 × the baseline's loaded peak leaves
  for 500 conversations in flight. Without the Prometheus client (and the protobuf runtime it brings) the binary is
  2.2 MB smaller and the paced peak 26.5 MiB (one run), still above it. In the closed loop the anonymous part peaks
  when its 200 people, held in step by the pace, reach their shortlists in the same 100 ms: 200 rankings and
  what-ifs allocate about 18 MB at once, and the heap goes from 13 to 28 MB before the collector catches up. Ranking is well inside its 200 µs budget. The envelope→ack
  figures seen by the fake Slack under load include CPU contention: two cores shared by the bot, the fake Slack,
  Redis and the load driver; the bot's own ack path does no I/O.

`

// coldStart runs the binary against a fresh fake Slack and returns the time from exec to its
// socket being open.
func coldStart(t *testing.T, bin, redisAddr string) time.Duration {
	t.Helper()
	fake := slackfake.New()
	defer fake.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{
		"SLACK_APP_TOKEN=" + slackfake.AppToken, "SLACK_BOT_TOKEN=" + slackfake.BotToken,
		"SLACK_API_URL=" + fake.APIURL(), "REDIS_URL=redis://" + redisAddr + "/0", "LOG_LEVEL=warn",
		"STACKPICK_HTTP_ADDR=" + freeAddr(t),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	err := fake.WaitConnected(ctx, 1)
	elapsed := time.Since(start)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	if err != nil {
		t.Fatalf("the binary did not connect: %v", err)
	}
	return elapsed
}

// seconds turns a histogram bound in seconds into a duration.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
