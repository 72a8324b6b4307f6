// Package dialog runs the checklist conversation: one Input in, one Reply out. It owns the
// session state machine (start, ask, answer, skip, back, change, finish, restart), the reading
// of free text (option numbers, labels, synonyms, whole project descriptions, typed commands),
// the SessionStore interface and the sentinel errors stores and front ends share.
//
// It knows nothing of Slack, Redis, logging or the wall clock (a clock is injected): front ends
// turn their events into Inputs and render Replies; stores keep Sessions.
package dialog
