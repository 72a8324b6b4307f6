// Package slackbot is the Slack front end. It owns everything Slack: the Socket Mode connection
// and acks, decoding slash commands, DM messages and button clicks into dialog inputs (one user's
// in order), rendering dialog replies into Block Kit (a pure function, golden-tested), and
// posting, updating and sharing messages through the Web API.
package slackbot
