package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/slackfake"
)

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
