// Package console is the terminal front end: it holds a conversation over stdin and stdout and
// renders dialog replies and rankings as readable plain text, wrapped to the terminal's width. It
// shows the same replies the Slack adapter renders as Block Kit. On a terminal it offers a prompt
// with line editing and history (github.com/chzyer/readline); on a pipe it reads plain lines and
// echoes them, so a piped session is a stable transcript.
package console
