package slackbot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// fakeAllowance is a SharedAllowance that answers wait (or err) and records what it was asked;
// took, when set, receives each key asked for.
type fakeAllowance struct {
	mu    sync.Mutex
	wait  time.Duration
	err   error
	asked []take
	took  chan string
}

type take struct {
	key      string
	interval time.Duration
	burst    int
	maxWait  time.Duration
}

func (f *fakeAllowance) Take(ctx context.Context, key string, interval time.Duration, burst int, maxWait time.Duration) (time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, take{key, interval, burst, maxWait})
	if f.took != nil {
		f.took <- key
	}
	if f.err != nil {
		return 0, f.err
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	return f.wait, nil
}

func (f *fakeAllowance) answer(wait time.Duration, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wait, f.err = wait, err
}

func (f *fakeAllowance) calls() []take {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]take(nil), f.asked...)
}

// sharedPacer is a pacer on a fake shared allowance, with a clock the test moves, and its log.
func sharedPacer(t *testing.T) (*pacer, *fakeAllowance, *time.Time, *syncLog) {
	t.Helper()
	f := &fakeAllowance{}
	log := &syncLog{}
	p := newPacer(true, f, zerolog.New(log))
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	return p, f, &now, log
}

// syncLog is a log sink the pacer and the test share.
type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *syncLog) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func TestASharedAllowancePacesByMethodAndChannel(t *testing.T) {
	p, f, _, _ := sharedPacer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := p.wait(ctx, "chat.postMessage", "C1"); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(ctx, "chat.postMessage", "D1"); err != nil { // a DM is paced by the replica posting to it
		t.Fatal(err)
	}
	if err := p.wait(ctx, "conversations.open", ""); err != nil {
		t.Fatal(err)
	}
	if !p.allow(context.Background(), "chat.update", "D1") {
		t.Fatal("chat.update refused with the shared allowance answering 0")
	}
	if err := p.wait(ctx, "auth.test", ""); err != nil {
		t.Fatal(err)
	}
	got := f.calls()
	if len(got) != 3 {
		t.Fatalf("asked the shared allowance %d times, want 3 (neither a DM's post nor an unpaced method is asked): %+v", len(got), got)
	}
	// Slack's limits with the headroom: 60 a minute per channel with a burst of 3 becomes one
	// every 60/(0.9*60) s with bursts of 3; 50 a minute with a burst of 20, one every 60/45 s and 15.
	for i, want := range []take{
		{key: "chat.postMessage:C1", interval: time.Minute / 54, burst: 3},
		{key: "conversations.open", interval: time.Minute / 45, burst: 15},
		{key: "chat.update", interval: time.Minute / 45, burst: 15},
	} {
		c := got[i]
		if c.key != want.key || c.interval.Round(time.Millisecond) != want.interval.Round(time.Millisecond) || c.burst != want.burst {
			t.Errorf("take %d = %+v, want %+v", i+1, c, want)
		}
	}
	if mw := got[0].maxWait; mw <= 0 || mw > time.Minute {
		t.Errorf("a wait may take %v, want the time left before the call's deadline", mw)
	}
	if mw := got[2].maxWait; mw != 0 {
		t.Errorf("an update that is skipped when Slack is busy may wait %v, want 0", mw)
	}

	f.answer(time.Second, nil)
	if p.allow(context.Background(), "chat.update", "D1") {
		t.Error("chat.update allowed although the shared allowance says to wait")
	}
}

// A DM's posts are paced on the replica, at Slack's per-channel pace: a burst of three, then one
// every 60/54 s, whatever the shared allowance would say.
func TestADMIsPacedLocally(t *testing.T) {
	p, f, now, _ := sharedPacer(t)
	f.answer(time.Hour, nil) // a shared allowance that would hold every call
	lim := p.limiter("chat.postMessage", "D1")
	for i := 0; i < 3; i++ {
		if !lim.AllowN(*now, 1) {
			t.Fatalf("post %d of the burst held", i+1)
		}
	}
	if lim.AllowN(*now, 1) {
		t.Error("a fourth post at once was let through")
	}
	if !lim.AllowN(now.Add(time.Minute/54), 1) {
		t.Error("a post one interval later was held")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := p.wait(ctx, "chat.postMessage", "D2"); err != nil {
		t.Fatal(err)
	}
	if got := f.calls(); len(got) != 0 {
		t.Errorf("a DM's post asked the shared allowance: %+v", got)
	}
}

func TestASharedWaitIsWaitedAndOnePastTheDeadlineRefused(t *testing.T) {
	p, f, _, _ := sharedPacer(t)
	f.answer(time.Hour, nil)
	f.took = make(chan string, 2)

	// The shared allowance booked an hour's wait: the call waits, until its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.wait(ctx, "chat.update", "") }()
	<-f.took
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("wait cancelled during a booked wait = %v, want context.Canceled", err)
	}

	// With a minute left, an hour's wait is refused at once, not waited out.
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := p.wait(ctx, "chat.update", "")
	if !errors.Is(err, errPastDeadline) || ctx.Err() != nil {
		t.Fatalf("wait of an hour with a minute left = %v (context: %v), want errPastDeadline at once", err, ctx.Err())
	}
}

func TestAFailingSharedAllowanceFallsBackToTheLocalPaceAndSaysSoOnce(t *testing.T) {
	p, f, now, log := sharedPacer(t)
	f.answer(0, errors.New("dial tcp 127.0.0.1:6379: connect: connection refused"))
	ctx := context.Background()

	// Pacing alone starts with the local burst spent (the shared allowance may just have spent
	// it), then keeps the steady rate: one call an interval.
	if p.allow(ctx, "chat.postEphemeral", "D1") {
		t.Fatal("a call allowed at once: pacing alone after a failure must not add a burst of its own")
	}
	*now = now.Add(p.paces["chat.postEphemeral"].interval)
	if !p.allow(ctx, "chat.postEphemeral", "D1") {
		t.Fatal("no call allowed an interval later: with the shared allowance down, the local one must pace")
	}
	if p.allow(ctx, "chat.postEphemeral", "D1") {
		t.Fatal("two calls allowed in one interval")
	}
	if err := p.wait(ctx, "conversations.open", ""); err != nil {
		t.Fatalf("wait with the shared allowance down = %v, want the local pace", err)
	}
	if n := len(f.calls()); n != 1 {
		t.Errorf("the failed shared allowance was asked %d times within a second, want once", n)
	}
	if n := strings.Count(log.String(), `"level":"warn"`); n != 1 {
		t.Errorf("%d warnings for one outage, want 1:\n%s", n, log)
	}

	// A second later it is asked again; it answers, and the pacer says so once.
	*now = now.Add(sharedRetry)
	f.answer(time.Second, nil)
	for range 2 {
		if p.allow(context.Background(), "chat.update", "D1") {
			t.Error("update allowed although the shared allowance, answering again, says to wait")
		}
	}
	if n := len(f.calls()); n != 3 {
		t.Errorf("the shared allowance was asked %d times, want 3", n)
	}
	if n := strings.Count(log.String(), `"level":"info"`); n != 1 {
		t.Errorf("%d notes that the shared pacing is back, want 1:\n%s", n, log)
	}
}

// A turn whose context ended is no outage of the shared allowance: nothing is logged, and the
// next call asks it again.
func TestAnEndedContextIsNotASharedFailure(t *testing.T) {
	p, f, _, log := sharedPacer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.wait(ctx, "chat.update", ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait with an ended context = %v, want context.Canceled", err)
	}
	if err := p.wait(context.Background(), "chat.update", ""); err != nil {
		t.Fatal(err)
	}
	if n := len(f.calls()); n != 2 || log.String() != "" {
		t.Errorf("asked %d times (want 2), logged %q (want nothing)", n, log)
	}
}

func TestPacingOffAsksNothing(t *testing.T) {
	f := &fakeAllowance{wait: time.Hour}
	p := newPacer(false, f, zerolog.Nop())
	if err := p.wait(context.Background(), "chat.postMessage", "D1"); err != nil || !p.allow(context.Background(), "chat.update", "D1") {
		t.Fatalf("pacing off: wait = %v, and an update refused", err)
	}
	if n := len(f.calls()); n != 0 {
		t.Errorf("pacing off asked the shared allowance %d times", n)
	}
}
