// Package dialog runs the checklist conversation: one Input in, one Reply out. It owns the
// session state machine (start, ask, answer, skip, back, change, undo, finish, restart), the
// reader of typed text (understand.go: what a message is for, option numbers and words, amounts
// and dates, typos, doubt, questions back, clarifications and loose changes, with its words compiled
// from the catalog once), the SessionStore interface and the sentinel errors stores and front ends
// share.
//
// It knows nothing of Slack, Redis, logging or the wall clock (a clock is injected): front ends
// turn their events into Inputs and render Replies; stores keep Sessions.
package dialog
