package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// idleWait is how long a process stays untouched after ready before its
// memory is read.
const idleWait = 200 * time.Millisecond

// measureMemory starts each binary rounds times, alternating which goes
// first, and reports its resident set size once idle, in MiB.
func measureMemory(rounds int, emu, ref binary, logf logFunc) (row, error) {
	var e, r []float64
	for i := range rounds {
		a, b := emu, ref
		if i%2 == 1 {
			a, b = ref, emu
		}
		ma, err := idleRSS(a)
		if err != nil {
			return row{}, err
		}
		mb, err := idleRSS(b)
		if err != nil {
			return row{}, err
		}
		if i%2 == 1 {
			ma, mb = mb, ma
		}
		e, r = append(e, ma), append(r, mb)
	}
	logf("idle RSS: emulator %.1f MiB, reference %.1f MiB", spreadOf(e).med, spreadOf(r).med)
	return newRow("idle memory (VmRSS)", mebibytes, e, r, memoryTarget), nil
}

// idleRSS starts b, waits until it is idle, reads its VmRSS and stops it.
func idleRSS(b binary) (float64, error) {
	p, err := start(b)
	if err != nil {
		return 0, err
	}
	time.Sleep(idleWait)
	mib, err := vmRSS(p.cmd.Process.Pid)
	return mib, errors.Join(err, p.stop())
}

// vmRSS reads the VmRSS line of /proc/<pid>/status, in MiB.
func vmRSS(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		return kb / 1024, err
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
