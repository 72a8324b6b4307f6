// Package slackbot is the Slack front end. It owns everything Slack: its own slack-go client
// (retries, pooled connections, every call counted), the Socket Mode connection and acks (or
// Slack's signed HTTP requests), decoding slash commands, DM messages and button clicks into
// dialog inputs (one user's in order, a flood refused early), and posting, updating and sharing
// messages through the Web API.
//
// Each event becomes a turn (type turn): the user's key, their session as admitted, where the
// conversation lives in Slack and a logger, with the work of that event as its methods. A turn
// posts its reply, then the engine saves the session with what the user was shown, so the
// session never assumes a delivery. Rendering is package blockkit, a pure function of a dialog
// reply; the session store is reached through the admission port of package admit, whose
// contract is package admittest.
package slackbot
