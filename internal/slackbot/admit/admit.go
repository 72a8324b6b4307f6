// Package admit is the port through which slackbot begins a turn: one call that claims the
// delivery's id (to drop Slack's redeliveries), counts the turn in the user's rate-limit window
// and reads the user's thread record. A store may answer all three in one round trip (Redis
// pipelines them); each part is still its own operation with its own outcome. The package holds
// only the request and result types, so stores implement the port without importing slackbot
// (and with it slack-go); slackbot declares the interface it calls.
package admit

import "time"

// Request is one admission. An empty key skips its part.
type Request struct {
	// Claim is set for ClaimTTL unless it is already held: the first delivery of an id wins.
	Claim    string
	ClaimTTL time.Duration
	// Count is incremented; a new counter expires after Window, which a later count does not
	// extend (a fixed window).
	Count  string
	Window time.Duration
	// Read is the key whose value is returned.
	Read string
}

// Result is what an admission found.
type Result struct {
	// First is false when an earlier call holds the claim (a redelivery); true when Claim is
	// empty.
	First bool
	// Count is the counter's value including this call; 0 when Count is empty.
	Count int64
	// Value is a copy of Read's value, nil when the key holds nothing or Read is empty.
	Value []byte
}
