// Package console is the terminal front end: it holds a conversation over stdin and stdout and
// renders dialog replies and rankings as readable plain text. It shows the same replies the Slack
// adapter renders as Block Kit.
package console
