package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"

	"github.com/stackpick/stackpick/internal/dialog"
)

// Engine is what the console needs of the dialog engine.
type Engine interface {
	Handle(ctx context.Context, k dialog.Key, in dialog.Input) (dialog.Reply, error)
}

// Console holds one user's conversation on a terminal or a pipe.
//
// When In and Out are both terminals it shows a "> " prompt with line editing and a history
// (arrow up and down); otherwise it reads plain lines and echoes each after "> ", so a piped
// session reads as a transcript. Output is wrapped to the terminal's width, or DefaultWidth.
type Console struct {
	Engine Engine
	Key    dialog.Key
	In     io.Reader
	Out    io.Writer
	// Kept says whether answers outlive this process (a shared store such as Redis); the goodbye
	// tells the user which it is.
	Kept bool
	Log  zerolog.Logger
}

// Goodbyes, one per kind of store: the user is told the truth about their answers.
const (
	byeKept = "Bye. Your answers are kept; run bot console again to pick up where you left off."
	byeLost = "Bye. Your answers were kept in memory only, so they are gone now; set REDIS_URL to keep them between runs."
)

// Run holds the conversation until the user leaves: quit (or exit, bye), Ctrl-C, Ctrl-D, the end
// of piped input, or ctx's cancellation (SIGINT on a pipe, SIGTERM) all end it at once and
// return nil, with a goodbye except at the end of piped input, which keeps transcripts as they
// are. Turn errors are logged, explained to the user, and the conversation goes on. Run returns
// an error only when the input cannot be read or the output cannot be written.
func (c Console) Run(ctx context.Context) error {
	in, err := c.open()
	if err != nil {
		return fmt.Errorf("open the terminal: %w", err)
	}
	defer in.close()
	_, echo := in.(*piped)
	interactive := isTerminal(c.In)

	if err := c.turn(ctx, dialog.Input{Action: dialog.ActStart}); err != nil {
		return err
	}
	for ctx.Err() == nil {
		line, err := in.next(ctx)
		switch {
		case ctx.Err() != nil:
			if interactive {
				fmt.Fprintln(c.Out) // the cursor may still sit after the prompt or a ^C
			}
			c.goodbye()
			return nil
		case errors.Is(err, errInterrupt): // the editor has already ended the line with ^C
			c.goodbye()
			return nil
		case errors.Is(err, io.EOF):
			if interactive {
				c.goodbye() // Ctrl-D
			}
			return nil
		case err != nil:
			return fmt.Errorf("read input: %w", err)
		}
		if echo {
			fmt.Fprintln(c.Out, "> "+line)
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "":
			continue
		case "quit", "exit", "bye":
			c.goodbye()
			return nil
		}
		if err := c.turn(ctx, dialog.Input{Action: dialog.ActText, Text: line}); err != nil {
			return err
		}
	}
	c.goodbye()
	return nil
}

// open returns a line editor when the user sits at a terminal, and a plain reader otherwise.
func (c Console) open() (lineSource, error) {
	if isTerminal(c.In) && isTerminal(c.Out) {
		return newEditor(c.In.(*os.File), c.Out.(*os.File))
	}
	return newPiped(c.In), nil
}

// turn runs one input through the engine and shows the reply or what went wrong. A turn cut
// short by ctx shows nothing: the conversation is ending. It returns an error only when the
// output cannot be written.
func (c Console) turn(ctx context.Context, input dialog.Input) error {
	reply, err := c.Engine.Handle(ctx, c.Key, input)
	switch {
	case errors.Is(err, dialog.ErrNoSession):
		c.say("That conversation has expired, so here is a fresh one.")
		reply, err = c.Engine.Handle(ctx, c.Key, dialog.Input{Action: dialog.ActStart})
	case errors.Is(err, dialog.ErrConflict):
		c.say("That answer collided with another change to your conversation; please send it again.")
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		c.Log.Error().Err(err).Str("user_id", c.Key.User).Msg("console turn failed")
		c.say("Sorry, I can't reach the session store right now, so nothing was saved. Try again in a moment.")
		return nil
	}
	if err := WriteReply(c.Out, reply, Width(c.Out)); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func (c Console) goodbye() {
	if c.Kept {
		c.say(byeKept)
	} else {
		c.say(byeLost)
	}
}

// say writes one line of the console's own, wrapped like the replies.
func (c Console) say(s string) {
	for _, l := range wrap("", s, Width(c.Out)) {
		fmt.Fprintln(c.Out, l)
	}
}
