//go:build walkthrough

package walkthrough

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Time limits: a command or a server's start may compile a program.
const (
	commandTimeout = 3 * time.Minute
	startTimeout   = 3 * time.Minute
	outputTimeout  = 15 * time.Second
	stopTimeout    = 15 * time.Second
)

// TestREADME runs the README's marked sections in order, on a copy of the
// repository, as a user following it would.
func TestREADME(t *testing.T) {
	root := repoCopy(t)
	f, err := os.Open(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	sections, err := Parse(f)
	f.Close()
	if err != nil || len(sections) == 0 {
		t.Fatalf("README.md: %v, %d sections", err, len(sections))
	}
	env := os.Environ()
	for _, sec := range sections {
		if !t.Run(sec.Name, func(t *testing.T) { runSection(t, root, &env, sec) }) {
			t.FailNow() // later sections build on earlier ones
		}
	}
}

// repoCopy copies the files git tracks into a temporary folder, so that
// what the README's commands write (ca.pem, reports) stays out of the
// checkout.
func repoCopy(t *testing.T) string {
	t.Helper()
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("git rev-parse: %v", err)
	}
	src := strings.TrimSpace(string(top))
	list, err := exec.Command("git", "-C", src, "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	dst := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// section is the state of one running section.
type section struct {
	t     *testing.T
	dir   string
	env   *[]string
	procs map[string]*proc
	order []*proc
	last  []byte // stdout of the last command
}

// runSection runs a section's steps, then stops what it started.
func runSection(t *testing.T, dir string, env *[]string, sec Section) {
	s := &section{t: t, dir: dir, env: env, procs: map[string]*proc{}}
	defer s.stopAll()
	for _, st := range sec.Steps {
		switch st.Kind {
		case StepCommand:
			s.command(st)
		case StepStdout:
			s.checkLines(st, "the command's output", func() string { return string(s.last) }, 0)
		case StepOutput:
			p, ok := s.procs[st.Program]
			if !ok {
				t.Fatalf("README line %d: no program %q runs in this section", st.Line, st.Program)
			}
			s.flushEmulator()
			s.checkLines(st, st.Program+"'s output", p.out.String, outputTimeout)
		default:
			t.Fatalf("README line %d: unknown step kind %d", st.Line, st.Kind)
		}
	}
}

// command runs one command: a server in the background until it says it
// listens, an export into the environment of the next commands, or
// anything else to its end, which must succeed.
func (s *section) command(st Step) {
	s.t.Helper()
	if cmd, bg := Background(st.Command); bg {
		s.start(st, cmd)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	script := st.Command
	export := strings.HasPrefix(strings.TrimSpace(script), "export ")
	if export {
		script += "\nenv -0" // the environment the next commands get
	}
	cmd := exec.CommandContext(ctx, "bash", "-e", "-c", script)
	cmd.Dir, cmd.Env = s.dir, *s.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		s.t.Fatalf("README line %d: %s\n%v\nstdout: %s\nstderr: %s", st.Line, st.Command, err, stdout.Bytes(), stderr.Bytes())
	}
	s.last = stdout.Bytes()
	if export {
		*s.env = strings.Split(strings.TrimRight(stdout.String(), "\x00"), "\x00")
	}
}

// start starts a server in its own process group and waits until its
// output says it listens.
func (s *section) start(st Step, command string) {
	name := ProgramName(command)
	cmd := exec.Command("bash", "-c", "exec "+command)
	cmd.Dir, cmd.Env = s.dir, *s.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &proc{name: name, cmd: cmd, out: newOutput()}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("README line %d: %s: %v", st.Line, command, err)
	}
	p.exited = make(chan struct{})
	go func() { cmd.Wait(); close(p.exited) }()
	s.procs[name] = p
	s.order = append(s.order, p)
	if !p.out.waitFor(func(text string) bool { return strings.Contains(text, "listening") }, startTimeout, p.exited) {
		s.t.Fatalf("README line %d: %s did not say it listens:\n%s", st.Line, command, p.out.String())
	}
}

// listeningURL finds the emulator's base URL in its banner.
var listeningURL = regexp.MustCompile(`listening on (https?://\S+)`)

// flushEmulator waits until the section's emulator has delivered what it
// accepted, so that the programs' output is complete.
func (s *section) flushEmulator() {
	p, ok := s.procs["emulator"]
	if !ok {
		return
	}
	m := listeningURL.FindStringSubmatch(p.out.String())
	if m == nil || strings.HasPrefix(m[1], "https") {
		return
	}
	resp, err := http.Post(m[1]+"/_emulator/flush?timeout=10s", "", nil)
	if err != nil {
		s.t.Fatalf("flush: %v", err)
	}
	resp.Body.Close()
}

// checkLines checks that the step's lines match lines of the text, in
// order, waiting up to wait for the text to grow.
func (s *section) checkLines(st Step, what string, text func() string, wait time.Duration) {
	s.t.Helper()
	ok := func(got string) bool { return matchInOrder(st.Lines, got) }
	if ok(text()) {
		return
	}
	if p, isProc := s.procs[st.Program]; isProc && wait > 0 && p.out.waitFor(ok, wait, nil) {
		return
	}
	s.t.Fatalf("README line %d: %s does not show\n%s\ngot\n%s", st.Line, what, strings.Join(st.Lines, "\n"), text())
}

// matchInOrder reports whether every wanted line matches a line of got,
// in order.
func matchInOrder(want []string, got string) bool {
	lines := strings.Split(got, "\n")
	i := 0
	for _, w := range want {
		for i < len(lines) && !Matches(w, lines[i]) {
			i++
		}
		if i == len(lines) {
			return false
		}
		i++
	}
	return true
}

// stopAll stops the section's servers, newest first: SIGTERM to the
// process group, then SIGKILL after stopTimeout.
func (s *section) stopAll() {
	for i := len(s.order) - 1; i >= 0; i-- {
		p := s.order[i]
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(stopTimeout):
			syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.exited
		}
	}
}

// proc is a server a section started.
type proc struct {
	name   string
	cmd    *exec.Cmd
	out    *output
	exited chan struct{} // closed when the program has ended
}

// output collects a program's output and wakes those waiting for it.
type output struct {
	mu      sync.Mutex // guards buf and changed
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func newOutput() *output { return &output{changed: make(chan struct{})} }

// Write implements io.Writer.
func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(p), nil
}

// String returns what was written so far.
func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor waits until ok holds for the output, the timeout passes or
// exited (when not nil) is closed: the program ended.
func (o *output) waitFor(ok func(string) bool, timeout time.Duration, exited <-chan struct{}) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		text, changed := o.buf.String(), o.changed
		o.mu.Unlock()
		if ok(text) {
			return true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return false
		case <-exited:
			return ok(o.String())
		}
	}
}
