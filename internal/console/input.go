package console

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/chzyer/readline"
	"golang.org/x/term"
)

// errInterrupt is what a line source returns when the user presses Ctrl-C at the prompt.
var errInterrupt = errors.New("interrupted")

// lineSource is where the console's input lines come from: a line editor on a terminal, or a
// plain reader on a pipe or file.
type lineSource interface {
	// next returns the next line without its newline. It returns io.EOF at the end of the input
	// (Ctrl-D on a terminal), errInterrupt on Ctrl-C at the prompt, and ctx.Err() as soon as ctx
	// is cancelled, even while it waits for input.
	next(ctx context.Context) (string, error)
	// close releases the source (a terminal goes back to its normal mode).
	close()
}

// isTerminal reports whether v is an interactive terminal (not a pipe, a file or a buffer).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// editor reads lines with a prompt, line editing and an in-memory history (arrow up and down),
// through readline.
type editor struct {
	rl    *readline.Instance
	stdin *readline.CancelableStdin
	once  sync.Once
}

func newEditor(in, out *os.File) (*editor, error) {
	outFd := int(out.Fd())
	stdin := readline.NewCancelableStdin(in)
	rl, err := readline.NewEx(&readline.Config{
		Prompt:         "> ",
		Stdin:          stdin,
		Stdout:         out,
		FuncIsTerminal: func() bool { return true }, // the caller has checked in and out
		FuncGetWidth: func() int {
			if cols, _, err := term.GetSize(outFd); err == nil {
				return cols
			}
			return DefaultWidth
		},
	})
	if err != nil {
		return nil, err
	}
	return &editor{rl: rl, stdin: stdin}, nil
}

func (e *editor) next(ctx context.Context) (string, error) {
	// A cancelled context (SIGTERM, or SIGINT while a turn ran) must end the prompt at once.
	stop := context.AfterFunc(ctx, e.close)
	defer stop()
	line, err := e.rl.Readline()
	switch {
	case ctx.Err() != nil:
		return "", ctx.Err()
	case errors.Is(err, readline.ErrInterrupt):
		return "", errInterrupt
	case err != nil:
		return "", err
	}
	return line, nil
}

// close interrupts a pending Readline and gives the terminal back. The stdin wrapper is closed
// first: readline's own Close waits for its reader, which only a closed CancelableStdin releases
// without a key press.
func (e *editor) close() {
	e.once.Do(func() {
		_ = e.stdin.Close()
		_ = e.rl.Close()
	})
}

// maxLine bounds how much of one input line is read; the engine refuses long messages anyway,
// this only keeps a runaway pipe from filling memory.
const maxLine = 64 << 10

// piped reads plain lines from a pipe or a file. A goroutine does the reading, so next can give
// up on a cancelled context while a Read blocks: a Read on a pipe cannot be interrupted, and
// leaving that goroutine blocked until the process exits is what lets Ctrl-C end the console at
// once instead of after the next line.
type piped struct {
	lines chan lineErr
	done  chan struct{}
}

type lineErr struct {
	line string
	err  error
}

func newPiped(r io.Reader) *piped {
	p := &piped{lines: make(chan lineErr), done: make(chan struct{})}
	go func() {
		br := bufio.NewReaderSize(r, 4096)
		for {
			line, err := readLine(br)
			select {
			case p.lines <- lineErr{line, err}:
			case <-p.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

func (p *piped) next(ctx context.Context) (string, error) {
	select {
	case l := <-p.lines:
		return l.line, l.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *piped) close() { close(p.done) }

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
