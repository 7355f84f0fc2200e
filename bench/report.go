package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// unit says how a figure is printed.
type unit string

// The units of the report.
const (
	perSecond unit = "/s"
	millis    unit = "ms"
	mebibytes unit = "MiB"
	kibibytes unit = "KiB"
	count     unit = ""
)

// format prints v in unit u.
func (u unit) format(v float64) string {
	switch u {
	case perSecond:
		return fmt.Sprintf("%.0f", v)
	case millis:
		return fmt.Sprintf("%.3f", v)
	case kibibytes:
		return fmt.Sprintf("%.2f", v)
	case count:
		return fmt.Sprintf("%.0f", v)
	default:
		return fmt.Sprintf("%.1f", v)
	}
}

// report is everything bench prints at the end.
type report struct {
	args []string
	opts options
	rows []row
	took time.Duration
	load [2]string // /proc/loadavg at the start and at the end
}

// write prints the report as Markdown or as aligned text.
func (r report) write(w io.Writer, markdown bool) {
	header := []string{"metric", "emulator", "reference", "ratio", "target", "verdict"}
	if markdown {
		r.writeMarkdown(w, header)
		return
	}
	r.writeMachine(w, "")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, row := range r.rows {
		fmt.Fprintln(tw, strings.Join(row.cells(), "\t"))
	}
	tw.Flush()
	fmt.Fprintln(w, legend)
}

// legend explains the cells.
const legend = "Cells: median (min–max) across rounds; ratio = emulator/reference, computed per round.\n" +
	"¹ reference = the bare platform, which answers 202 and also POSTs a delivery to the sink, as the emulator does.\n" +
	"² open loop: each conversation sends on a fixed timetable, all together at the offered rate (-paced-fraction of\n" +
	"  the bare platform's closed-loop turns/s, or -paced-rate); latency = arrival at the sink − scheduled send time;\n" +
	"  reference = the bare platform."

// writeMarkdown prints the report as a Markdown table.
func (r report) writeMarkdown(w io.Writer, header []string) {
	r.writeMachine(w, "- ")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(header)))
	for _, row := range r.rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row.cells(), " | "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, legend)
}

// writeMachine prints the command and the machine, one fact per line.
func (r report) writeMachine(w io.Writer, bullet string) {
	cmd := strings.TrimSpace("go run ./bench " + strings.Join(r.args, " "))
	fmt.Fprintf(w, "%scommand: `%s` (rounds %d × %v, warm-up %v, concurrency %d, starts %d; took %v)\n",
		bullet, cmd, r.opts.rounds, r.opts.duration, r.opts.warmup, r.opts.concurrency, r.opts.starts, r.took.Round(time.Second))
	fmt.Fprintf(w, "%smachine: %s/%s, %d CPUs (GOMAXPROCS %d), %s\n",
		bullet, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel())
	fmt.Fprintf(w, "%sGo: %s\n", bullet, runtime.Version())
	fmt.Fprintf(w, "%sload average (1, 5, 15 min): %s at the start, %s at the end\n", bullet, r.load[0], r.load[1])
}

// loadAverage returns the first three fields of /proc/loadavg: other
// processes on the machine compete with both sides for the CPUs.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// cells renders a row.
func (r row) cells() []string {
	target, verdict := "—", "—"
	if r.target != nil {
		target, verdict = r.target.text, "misses"
		if r.target.met(r) {
			verdict = "meets"
		}
	}
	ref, ratio := "—", "—"
	if !r.solo {
		ref, ratio = r.unit.cell(r.ref), fmt.Sprintf("%.2f× (%.2f–%.2f)", r.ratio.med, r.ratio.min, r.ratio.max)
	}
	return []string{r.metric, r.unit.cell(r.emu), ref, ratio, target, verdict}
}

// cell renders a spread with its unit.
func (u unit) cell(s spread) string {
	if u == count {
		return fmt.Sprintf("%s (%s–%s)", u.format(s.med), u.format(s.min), u.format(s.max))
	}
	return fmt.Sprintf("%s %s (%s–%s)", u.format(s.med), u, u.format(s.min), u.format(s.max))
}

// cpuModel returns the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// checkGoroutines waits briefly for every goroutine bench started to end
// and reports the ones that did not.
func checkGoroutines(w io.Writer) {
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > 1 {
		buf := make([]byte, 1<<16)
		fmt.Fprintf(w, "bench: %d goroutines still running:\n%s\n", n-1, buf[:runtime.Stack(buf, true)])
	}
}
