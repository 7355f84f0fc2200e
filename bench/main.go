// Command bench measures the emulator beside a bare net/http reference in
// the same run, on loopback, and prints a table of the results against the
// project's performance targets. docs/PERFORMANCE.md explains the method.
//
//	go run ./bench [-rounds 3] [-duration 3s] [-concurrency 64] [-markdown] [-only rate,paced]
//
// It measures, in this order: the request rate and latency of the v1
// message endpoint (with and without a webhook), message-to-delivery
// latency (closed loop at saturation, then paced at a fixed rate), the
// OpenAPI validation, a validated conversation-actions POST, history GET,
// 1,000 concurrent conversations (deliveries lost or reordered), memory
// per stored conversation, start to ready of the binary (alone and with
// 100 scenario files), the idle memory of the binary, a conformance run
// and docker run to ready; -only picks some of these groups. Rounds
// alternate which side goes first (AB, BA, AB, …). bench exits 0 when a
// target is missed: it is a measurement, not a test; it exits 1 only when
// it cannot measure.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

// options are the flags of bench.
type options struct {
	rounds        int
	duration      time.Duration
	warmup        time.Duration
	concurrency   int
	starts        int
	conversations int
	markdown      bool
	cpuprofile    string
	only          selection
	pacedFraction float64 // of the bare platform's saturated turns/s
	pacedRate     float64 // turns/s; 0: pacedFraction of the measured rate
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseOptions parses the command line.
func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.rounds, "rounds", 3, "rounds of each load measurement and of the memory measurement")
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "length of one load round of one side")
	fs.DurationVar(&o.warmup, "warmup", 500*time.Millisecond, "unmeasured load before the first round of each side")
	fs.IntVar(&o.concurrency, "concurrency", 64, "concurrent clients, and conversations")
	fs.IntVar(&o.starts, "starts", 10, "process starts of each binary for start to ready")
	fs.IntVar(&o.conversations, "conversations", 100000, "stored conversations of the memory-per-conversation measurement")
	fs.BoolVar(&o.markdown, "markdown", false, "print the report as Markdown")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the in-process load measurements to `file`")
	only := fs.String("only", "", "run only these measurement `groups`, comma-separated: "+strings.Join(groups, ", "))
	fs.Float64Var(&o.pacedFraction, "paced-fraction", 0.25, "paced message→delivery: offered rate as a fraction of the bare platform's saturated turns/s")
	fs.Float64Var(&o.pacedRate, "paced-rate", 0, "paced message→delivery: offered turns/s (overrides -paced-fraction)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.rounds < 1 || o.concurrency < 1 || o.starts < 1 || o.conversations < 1 || o.duration <= 0 {
		return o, errors.New("-rounds, -concurrency, -starts, -conversations and -duration must be positive")
	}
	if o.pacedFraction <= 0 || o.pacedRate < 0 {
		return o, errors.New("-paced-fraction must be positive and -paced-rate not negative")
	}
	sel, err := parseSelection(*only)
	o.only = sel
	return o, err
}

// run measures everything and writes the report to stdout; progress goes
// to stderr.
func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }
	began, loadBefore := time.Now(), loadAverage()
	load, err := measureInProcess(o, logf)
	if err != nil {
		return err
	}
	procs, err := measureBinaries(o, logf)
	if err != nil {
		return err
	}
	valid, err := measureValidation(o, logf)
	if err != nil {
		return err
	}
	actions, err := measureActions(o, logf)
	if err != nil {
		return err
	}
	more, err := measureMore(o, logf)
	if err != nil {
		return err
	}
	extra, err := measureExtras(o, logf)
	if err != nil {
		return err
	}
	rows := slices.Concat(load, valid, actions, more, procs, extra)
	rep := report{args: args, opts: o, rows: rows, took: time.Since(began),
		load: [2]string{loadBefore, loadAverage()}}
	rep.write(stdout, o.markdown)
	checkGoroutines(stderr)
	return nil
}

// measureInProcess runs the load measurements of the rig (v1 message,
// closed-loop and paced message→delivery) against in-process servers,
// under a CPU profile when asked.
func measureInProcess(o options, logf logFunc) ([]row, error) {
	if !o.only.has(groupRate, groupTurns, groupPaced) {
		return nil, nil
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	r, err := newRig()
	if err != nil {
		return nil, err
	}
	rows, err := measureLoad(o, r, logf)
	return rows, errors.Join(err, r.close())
}

// logFunc prints a progress line.
type logFunc func(format string, a ...any)
