package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is a subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int
}

// commands lists the subcommands; the first is the default.
var commands = []command{
	{"serve", "serve the emulated Chatlayer API (default)", runServe},
	{"validate", "check scenario files without serving", runValidate},
	{"healthcheck", "exit 0 when the emulator at --addr is ready", runHealthcheck},
	{"conformance", "certify an offloading webhook or a webhook-channel receiver", runConformance},
	{"version", "print the version", runVersion},
}

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, args, env, stdout, stderr)
		}
	}
	if name == "help" {
		usage(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "chatlayer-emulator: unknown command %q\n", name)
	usage(stderr)
	return exitUsage
}

// usage lists the subcommands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: chatlayer-emulator [command] [flags]")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "Run 'chatlayer-emulator COMMAND -h' for a command's flags.")
}
