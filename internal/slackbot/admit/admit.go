// Package admit is the port through which slackbot begins a turn: one call that claims the
// delivery's id (to drop Slack's redeliveries), counts the turn in the user's rate-limit window,
// reads the user's session and marks a turn in flight on it. A store answers it in one round
// trip (Redis runs one script on keys of the session's slot); each part is still its own
// outcome. The package holds only the request and result types, so stores implement the port
// without importing slackbot (and with it slack-go); slackbot declares the interface it calls.
package admit

import (
	"time"

	"github.com/stackpick/stackpick/internal/dialog"
)

// Request is one admission for the user Key.
type Request struct {
	Key dialog.Key
	// Claim is Slack's id of the delivery (an event or trigger id), held for ClaimTTL: the
	// first delivery wins, and a redelivery does nothing else. Empty: nothing is claimed.
	Claim    string
	ClaimTTL time.Duration
	// Limit, when above 0, counts a claimed turn in the user's rate-limit window number Window
	// (a new window expires after WindowTTL, which later counts do not extend). A turn past
	// Limit is counted but neither reads nor marks the session.
	Limit     int64
	Window    int64
	WindowTTL time.Duration
	// Turn, when set, marks the user's session (if there is one) with this turn's token until a
	// save by this turn or Release, unless another turn's mark younger than Live holds it (see
	// Result.Busy); Force takes the mark whatever holds it.
	Turn  string
	Force bool
	Live  time.Duration
}

// Result is what an admission found.
type Result struct {
	// First is false when an earlier call holds the claim (a redelivery); true when Claim is
	// empty.
	First bool
	// Count is the user's turns in the window including this one; 0 when nothing was counted.
	Count int64
	// Session is the user's session when Exists, as dialog.SessionStore.Load returns it.
	Session dialog.Session
	Exists  bool
	// Busy is set when another turn of the user, marked less than Live ago, still holds the
	// mark: this turn did not take it.
	Busy bool
	// Interrupted is set when the mark taken was held by another turn: one older than Live, or
	// taken with Force. That turn began and never finished.
	Interrupted bool
}
