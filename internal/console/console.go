package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/dialog"
)

// Engine is what the console needs of the dialog engine.
type Engine interface {
	Handle(ctx context.Context, k dialog.Key, in dialog.Input) (dialog.Reply, error)
}

// maxLine bounds how much of one input line is read; the engine refuses long messages anyway,
// this only keeps a runaway pipe from filling memory.
const maxLine = 64 << 10

// Console holds one user's conversation on a terminal or a pipe.
type Console struct {
	Engine Engine
	Key    dialog.Key
	In     io.Reader
	Out    io.Writer
	// Echo prints each input line after a "> " prompt, so a piped session reads as a transcript.
	Echo bool
	Log  zerolog.Logger
}

// Run holds the conversation until the input ends or the user types quit. Turn errors are logged,
// explained to the user, and the conversation goes on; Run returns only on the end of input, a
// read error or ctx's cancellation.
func (c Console) Run(ctx context.Context) error {
	out := c.Out
	turn := func(input dialog.Input) {
		reply, err := c.Engine.Handle(ctx, c.Key, input)
		switch {
		case errors.Is(err, dialog.ErrNoSession):
			fmt.Fprintln(out, "That conversation has expired, so here is a fresh one.")
			reply, err = c.Engine.Handle(ctx, c.Key, dialog.Input{Action: dialog.ActStart})
		case errors.Is(err, dialog.ErrConflict):
			fmt.Fprintln(out, "That answer collided with another change to your conversation; please send it again.")
			return
		}
		if err != nil {
			c.Log.Error().Err(err).Str("user_id", c.Key.User).Msg("console turn failed")
			fmt.Fprintln(out, "Sorry, I can't reach the session store right now, so nothing was saved. Try again in a moment.")
			return
		}
		WriteReply(out, reply)
	}
	turn(dialog.Input{Action: dialog.ActStart})
	r := bufio.NewReaderSize(c.In, 4096)
	for ctx.Err() == nil {
		line, err := readLine(r)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read input: %w", err)
		}
		if c.Echo {
			fmt.Fprintln(out, "> "+line)
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "":
			continue
		case "quit", "exit", "bye":
			fmt.Fprintln(out, "Bye. Your answers are kept; run the console again to continue.")
			return nil
		}
		turn(dialog.Input{Action: dialog.ActText, Text: line})
	}
	return ctx.Err()
}

// readLine returns the next line without its newline, keeping at most maxLine bytes of it.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, err := r.ReadSlice('\n')
		if b.Len() < maxLine {
			b.Write(chunk[:min(len(chunk), maxLine-b.Len())])
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && b.Len() > 0:
			return strings.TrimRight(b.String(), "\r\n"), nil
		case err != nil:
			return "", err
		}
		return strings.TrimRight(b.String(), "\r\n"), nil
	}
}
