package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The packages of the two binaries.
const (
	emulatorPkg = "github.com/chatlayer-emulator/chatlayer-emulator/cmd/chatlayer-emulator"
	refPkg      = "github.com/chatlayer-emulator/chatlayer-emulator/bench/refserver"
)

// How start to ready is polled.
const (
	pollEvery = 100 * time.Microsecond
	readyCap  = 5 * time.Second
)

// binary is a built command and its readiness route.
type binary struct {
	path      string
	readyPath string
	args      []string // besides --addr
}

// measureBinaries builds both binaries once, then measures start to ready
// and idle memory.
func measureBinaries(o options, logf logFunc) ([]row, error) {
	if !o.only.has(groupStart, groupScenarios, groupIdle) {
		return nil, nil
	}
	dir, err := os.MkdirTemp("", "chatlayer-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	emu, ref, err := buildBinaries(dir, logf)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, m := range []struct {
		group   string
		measure func(n int, emu, ref binary, logf logFunc) (row, error)
		n       int
	}{
		{groupStart, measureStarts, o.starts},
		{groupScenarios, measureManyStarts, o.starts},
		{groupIdle, measureMemory, o.rounds},
	} {
		if !o.only.has(m.group) {
			continue
		}
		r, err := m.measure(m.n, emu, ref, logf)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// buildBinaries runs go build for the emulator and the reference binary,
// both as the image ships the emulator: static, CGO_ENABLED=0. (A cgo
// build maps libc and the dynamic loader, about 1.5 MiB of VmRSS, into
// both alike.)
func buildBinaries(dir string, logf logFunc) (emu, ref binary, err error) {
	began := time.Now()
	emu = binary{path: filepath.Join(dir, "chatlayer-emulator"), readyPath: "/_emulator/ready", args: []string{"--rate-limit", "off"}}
	ref = binary{path: filepath.Join(dir, "refserver"), readyPath: "/ready"}
	for _, b := range []struct{ out, pkg string }{{emu.path, emulatorPkg}, {ref.path, refPkg}} {
		build := exec.Command("go", "build", "-o", b.out, b.pkg)
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := build.CombinedOutput()
		if err != nil {
			return emu, ref, fmt.Errorf("go build %s (run bench inside the repository): %v\n%s", b.pkg, err, out)
		}
	}
	logf("built both binaries in %v", time.Since(began).Round(time.Millisecond))
	return emu, ref, nil
}

// measureStarts starts each binary n times, alternating which goes first,
// and reports exec-to-first-200 in milliseconds.
func measureStarts(n int, emu, ref binary, logf logFunc) (row, error) {
	var e, r []float64
	for i := range n {
		a, b := emu, ref
		if i%2 == 1 {
			a, b = ref, emu
		}
		da, err := startOnce(a)
		if err != nil {
			return row{}, err
		}
		db, err := startOnce(b)
		if err != nil {
			return row{}, err
		}
		if i%2 == 1 {
			da, db = db, da
		}
		e, r = append(e, ms(da)), append(r, ms(db))
	}
	logf("start to ready: emulator %.1f ms, reference %.1f ms (medians of %d)", spreadOf(e).med, spreadOf(r).med, n)
	return newRow("start to ready", millis, e, r, readyTarget), nil
}

// startOnce starts b, measures start to ready and stops it.
func startOnce(b binary) (time.Duration, error) {
	p, err := start(b)
	if err != nil {
		return 0, err
	}
	return p.ready, p.stop()
}

// process is a running binary.
type process struct {
	cmd   *exec.Cmd
	addr  string
	ready time.Duration // from exec to the first 200 on the ready route
}

// start execs b on a free loopback port and polls its ready route until
// it answers 200.
func start(b binary) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(b.path, append([]string{"--addr", addr}, b.args...)...)
	cmd.Env = cleanEnv()
	poll := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	defer poll.CloseIdleConnections()
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, addr: addr}
	if err := pollReady(poll, "http://"+addr+b.readyPath); err != nil {
		return nil, errors.Join(fmt.Errorf("%s: %w", filepath.Base(b.path), err), p.stop())
	}
	p.ready = time.Since(began)
	return p, nil
}

// pollReady asks url every pollEvery until it answers 200, for at most
// readyCap.
func pollReady(c *http.Client, url string) error {
	deadline := time.Now().Add(readyCap)
	for time.Now().Before(deadline) {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(pollEvery)
	}
	return fmt.Errorf("not ready within %v", readyCap)
}

// stop sends SIGTERM and waits for the process, killing it after 5 s.
func (p *process) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		return errors.Join(errors.New("did not stop on SIGTERM"), <-done)
	}
}

// freeAddr returns a loopback address whose port was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// cleanEnv is the environment without the emulator's own variables, so
// that both binaries run on their defaults.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CHATLAYER_EMULATOR_") {
			env = append(env, kv)
		}
	}
	return env
}
