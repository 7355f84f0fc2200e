package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// envPrefix starts the environment twin of every flag.
const envPrefix = "CHATLAYER_EMULATOR_"

// envName is the environment twin of a flag: --delivery-retries is
// CHATLAYER_EMULATOR_DELIVERY_RETRIES.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("chatlayer-emulator "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: chatlayer-emulator %s [flags]\n", name)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(stderr, "  --%s (env %s)\n    \t%s (default %q)\n", f.Name, envName(f.Name), f.Usage, f.DefValue)
		})
	}
	return fs
}

// parseFlags sets every flag from its environment twin, then parses args,
// so that a flag beats its environment variable. List flags take a
// comma-separated list from the environment.
func parseFlags(fs *flag.FlagSet, args []string, env func(string) string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		v := env(envName(f.Name))
		if v == "" || err != nil {
			return
		}
		if l, isList := f.Value.(*listFlag); isList {
			l.setFromEnv(v)
			return
		}
		if e := f.Value.Set(v); e != nil {
			err = fmt.Errorf("%s=%q: %v", envName(f.Name), v, e)
		}
	})
	if err != nil {
		return err
	}
	return fs.Parse(args)
}

// listFlag is a repeatable string flag. Values from the command line
// replace those from the environment.
type listFlag struct {
	values  []string
	fromEnv bool
}

// String implements flag.Value.
func (l *listFlag) String() string { return strings.Join(l.values, ",") }

// Set implements flag.Value.
func (l *listFlag) Set(v string) error {
	if l.fromEnv {
		l.values, l.fromEnv = nil, false
	}
	l.values = append(l.values, v)
	return nil
}

// setFromEnv takes a comma-separated list from the environment.
func (l *listFlag) setFromEnv(v string) {
	l.values = nil
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			l.values = append(l.values, item)
		}
	}
	l.fromEnv = true
}
