package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// maxScheduleAhead is how far ahead chat.scheduleMessage takes a post_at (time_too_far past it,
// chat.scheduleMessage reference: "up to 120 days into the future").
const maxScheduleAhead = 120 * 24 * time.Hour

// Scheduled is a message the bot scheduled with chat.scheduleMessage. The fake never posts it:
// it stays pending, whatever the clock says, until chat.deleteScheduledMessage deletes it.
type Scheduled struct {
	ID, Channel, ThreadTS string
	PostAt                time.Time // post_at, to the second
	Text                  string
	Blocks                json.RawMessage // as scheduled, nil when none
	Created               time.Time       // the fake's clock (SetNow) when it was scheduled
	Deleted               bool            // deleted with chat.deleteScheduledMessage
}

// SetNow sets the fake's clock (nil: time.Now), which chat.scheduleMessage checks post_at against
// and which dates scheduled messages and bookmarks. Recorded calls keep real time (Call.At). now
// is called with the fake's lock held, so it must not call the fake.
func (s *Server) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// ScheduledMessages returns every message scheduled so far, in scheduling order, deleted ones
// included (Deleted).
func (s *Server) ScheduledMessages() []Scheduled {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Scheduled, 0, len(s.scheduled))
	for _, m := range s.scheduled {
		out = append(out, *m)
	}
	return out
}

// WaitScheduled returns the first scheduled message (scheduled before or later, deleted or not)
// for which match returns true (nil matches any), in its current state, or ctx.Err() if ctx ends
// first: WaitScheduled(ctx, func(m Scheduled) bool { return m.ID == id && m.Deleted }) waits for a
// deletion. match runs with the fake's lock held and must not call the fake.
func (s *Server) WaitScheduled(ctx context.Context, match func(Scheduled) bool) (Scheduled, error) {
	return waitRecord(ctx, s, "a scheduled message", func() []*Scheduled { return s.scheduled }, deref, match)
}

// scheduleMessage checks the channel as chat.postMessage does, then post_at against the fake's
// clock (invalid_time, time_in_past, time_too_far), then the content as chat.postMessage does.
func (s *Server) scheduleMessage(args map[string]string) reply {
	ch := args["channel"]
	if e := s.postErrLocked(ch); e != "" {
		return fail(e)
	}
	postAt, err := strconv.ParseInt(args["post_at"], 10, 64)
	now := s.now()
	switch {
	case err != nil:
		return fail("invalid_time")
	case postAt <= now.Unix():
		return fail("time_in_past")
	case time.Unix(postAt, 0).After(now.Add(maxScheduleAhead)):
		return fail("time_too_far")
	}
	blocks, refused := messageContent(args)
	if refused != nil {
		return *refused
	}
	m := &Scheduled{ID: fmt.Sprintf("Q%08d", s.nextIDLocked()), Channel: ch, ThreadTS: args["thread_ts"],
		PostAt: time.Unix(postAt, 0), Text: args["text"], Blocks: blocks, Created: now}
	s.scheduled = append(s.scheduled, m)
	// As in the reference's example: the message as it will post, a delayed_message with no ts yet.
	msg := messageJSON(&Message{ThreadTS: m.ThreadTS, Text: m.Text, Blocks: m.Blocks})
	msg["type"], msg["subtype"] = "delayed_message", "bot_message"
	delete(msg, "ts")
	return ok(map[string]any{"channel": ch, "scheduled_message_id": m.ID, "post_at": postAt, "message": msg},
		"scheduled_message_id="+m.ID)
}

// listScheduled answers chat.scheduledMessages.list: the pending messages, of channel when given
// (invalid_channel for one the fake does not know), paged by cursor and limit. oldest, latest and
// team_id are ignored.
func (s *Server) listScheduled(args map[string]string) reply {
	ch, filtered := args["channel"]
	if filtered && !s.knownChannelLocked(ch) {
		return fail("invalid_channel")
	}
	var pending []map[string]any
	for _, m := range s.scheduled {
		if !m.Deleted && (!filtered || m.Channel == ch) {
			pending = append(pending, map[string]any{"id": m.ID, "channel_id": m.Channel,
				"post_at": m.PostAt.Unix(), "date_created": m.Created.Unix(), "text": m.Text})
		}
	}
	page, next := pageOf(pending, args)
	return ok(map[string]any{"scheduled_messages": page, "response_metadata": map[string]any{"next_cursor": next}},
		fmt.Sprintf("scheduled_messages=%d", len(page)))
}

// deleteScheduled answers chat.deleteScheduledMessage: channel_not_found for a channel the fake
// does not know, invalid_scheduled_message_id for an id that is unknown, of another channel or
// deleted already.
func (s *Server) deleteScheduled(args map[string]string) reply {
	ch, id := args["channel"], args["scheduled_message_id"]
	if !s.knownChannelLocked(ch) {
		return fail("channel_not_found")
	}
	i := slices.IndexFunc(s.scheduled, func(m *Scheduled) bool { return m.ID == id && m.Channel == ch && !m.Deleted })
	if i < 0 {
		return fail("invalid_scheduled_message_id")
	}
	s.scheduled[i].Deleted = true
	return ok(nil, "")
}
