// Package blockkit renders dialog replies as Slack Block Kit messages. It is pure: every function
// is a function of its arguments (a dialog reply, a ranking result, plain values built from the
// catalog), so a catalog reloaded mid-turn cannot mix into a message, and the output is
// golden-tested. It also owns the controls' encoding: the action ids and the Control each button
// or menu carries back, which the bot decodes, and the review modal with how its submission reads
// back.
package blockkit
