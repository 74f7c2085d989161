// Package engine runs the external programs some handlers decode with
// (ffmpeg, poppler): found on PATH, each in a process group of its own
// that is killed whole when the context ends or its time is up, with its
// data segment limited, and its last messages kept for the error.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

// Cmd is one run of an external program.
type Cmd struct {
	// Format is the handler's name, for errors ("video").
	Format string
	// Program is looked up on PATH; Install says how to get it, for the
	// ErrEngineUnavailable error when it is missing.
	Program, Install string
	Args             []string
	// Stdin is the program's standard input; nil means none.
	Stdin io.Reader
	// Env is added to the process's environment ("LC_ALL=C").
	Env []string
	// Memory is how many bytes of data the process may allocate, set with
	// prlimit(1) when it is on PATH (util-linux has it everywhere); 0
	// means no limit.
	Memory int64
	// Timeout bounds the run: past it the process is killed and the input
	// is taken to be at fault (ErrCorrupt). 0 means no bound but ctx's.
	Timeout time.Duration
}

// Failed is a program's own failure: it ran and exited with Code (-1 when
// a signal ended it). What that says of the input is the handler's call.
type Failed struct {
	Program string
	Code    int
	// Stderr is the end of what it wrote to standard error.
	Stderr string
}

func (f *Failed) Error() string {
	if msg := f.Last(); msg != "" {
		return f.Program + ": " + msg
	}
	return fmt.Sprintf("%s exited with status %d", f.Program, f.Code)
}

// Last is the program's last line of complaint.
func (f *Failed) Last() string {
	s := strings.TrimSpace(f.Stderr)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

var errTimeout = errors.New("engine: time is up")

// Run runs c, handing its standard output to read (which may stop early:
// the rest is discarded), and waits for it. It returns ctx's error when
// ctx ended, ErrEngineUnavailable when the program cannot be started,
// ErrCorrupt when Timeout passed, a *Failed when the program failed, or
// read's error.
func (c *Cmd) Run(ctx context.Context, read func(io.Reader) error) error {
	path, err := exec.LookPath(c.Program)
	if err != nil {
		return fmt.Errorf("%w: %s: %s is not on PATH (%s)", thumbnail.ErrEngineUnavailable, c.Format, c.Program, c.Install)
	}
	args := c.Args
	if c.Memory > 0 {
		if prlimit, err := exec.LookPath("prlimit"); err == nil {
			// prlimit sets the limit and becomes the program: one process.
			args = append([]string{"--data=" + strconv.FormatInt(c.Memory, 10), "--", path}, args...)
			path = prlimit
		}
	}
	run := ctx
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		run, cancel = context.WithTimeoutCause(ctx, c.Timeout, errTimeout)
		defer cancel()
	}
	cmd := exec.CommandContext(run, path, args...)
	// A group of its own, killed whole: nothing it starts outlives it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second // its pipes are closed this long after a kill
	cmd.Stdin = c.Stdin
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	var stderr tail
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: %s: starting %s: %v (%s)", thumbnail.ErrEngineUnavailable, c.Format, c.Program, err, c.Install)
	}
	readErr := read(stdout)
	if _, err := io.Copy(io.Discard, stdout); readErr == nil {
		readErr = err // nothing is left unread, or the program could block writing it
	}
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case context.Cause(run) == errTimeout:
		return wrap.Corruptf(c.Format, "%s ran longer than %v", c.Program, c.Timeout)
	}
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		return &Failed{Program: c.Program, Code: exit.ExitCode(), Stderr: stderr.String()}
	}
	if readErr != nil {
		return readErr
	}
	return waitErr
}

// tail keeps the last few kilobytes written to it.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	const keep = 4 << 10
	t.b = append(t.b, p...)
	if len(t.b) > 2*keep {
		t.b = append(t.b[:0], t.b[len(t.b)-keep:]...)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.b) }
