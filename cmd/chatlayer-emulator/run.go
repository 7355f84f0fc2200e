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
	name    string
	args    string // what the usage line shows after the name
	summary string
	env     envPrefix       // starts the environment twins of its flags
	flags   func() *flagSet // declares its flags; nil: it has none
	run     func(ctx context.Context, args []string, env environ, stdout, stderr io.Writer) int
}

// synopsis is the command's usage line after "chatlayer-emulator".
func (c command) synopsis() string {
	return strings.TrimSpace(c.name + " " + c.args)
}

// commands lists the subcommands; the first is the default.
func commands() []command {
	return []command{
		{"serve", "[flags]", "serve the emulated Chatlayer API (default)", serveEnv,
			func() *flagSet { fs, _ := serveFlags(); return fs }, runServe},
		{"validate", "FILE_OR_FOLDER...", "check scenario files without serving", validateEnv,
			nil, runValidate},
		{"healthcheck", "[flags]", "exit 0 when the emulator at --addr is ready", serveEnv,
			func() *flagSet { fs, _ := healthcheckFlags(); return fs }, runHealthcheck},
		{"conformance", "[flags]", "certify an offloading webhook or a webhook-channel receiver", conformanceEnv,
			func() *flagSet { fs, _ := conformanceFlags(); return fs }, runConformance},
		{"version", "", "print the version (also --version)", "", nil, runVersion},
	}
}

// lookupCommand returns the subcommand called name.
func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, env environ, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	} else if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			name, args = "help", nil
		case "-version", "--version":
			name, args = "version", nil
		}
	}
	if c, ok := lookupCommand(name); ok {
		return c.run(ctx, args, env, stdout, stderr)
	}
	if name == "help" {
		return runHelp(ctx, args, env, stdout, stderr)
	}
	fmt.Fprintf(stderr, "chatlayer-emulator: unknown command %q\n", name)
	usage(stderr)
	return exitUsage
}

// runHelp prints the subcommands, or with an argument that subcommand's
// usage.
func runHelp(ctx context.Context, args []string, env environ, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return run(ctx, []string{args[0], "--help"}, env, stdout, stderr)
	}
	usage(stdout)
	return exitOK
}

// usage lists the subcommands and how their environment twins are named.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: chatlayer-emulator [COMMAND] [flags] [arguments]")
	fmt.Fprintln(w, "\nAn offline emulator of the Chatlayer.ai platform for contract tests.\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-30s %s\n", c.synopsis(), c.summary)
	}
	fmt.Fprintf(w, "\nEvery flag has one environment twin, named after its command: serve's and\n"+
		"healthcheck's start with %s (--delivery-retries is\n%s), conformance's with\n"+
		"%s. A flag beats its variable.\n", serveEnv, serveEnv.name("delivery-retries"), conformanceEnv)
	fmt.Fprintln(w, "Run 'chatlayer-emulator COMMAND --help' for a command's flags.")
}
