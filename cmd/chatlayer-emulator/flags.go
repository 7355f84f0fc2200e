package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// envPrefix starts the environment twins of a subcommand's flags. Each
// subcommand has its own, so that a variable exported for one (the verify
// token of conformance) never configures another (the demo channel's
// verify token of serve).
type envPrefix string

// Environment prefixes.
const (
	// serveEnv is serve's, and healthcheck's: the image's HEALTHCHECK
	// finds serve's address and TLS settings in them.
	serveEnv       envPrefix = "CHATLAYER_EMULATOR_"
	conformanceEnv envPrefix = "CHATLAYER_CONFORMANCE_"
	validateEnv    envPrefix = "CHATLAYER_VALIDATE_"
)

// name is the environment twin of a flag: serve's --delivery-retries is
// CHATLAYER_EMULATOR_DELIVERY_RETRIES.
func (p envPrefix) name(flagName string) string {
	return string(p) + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flagSet is a subcommand's flags, with their environment twins.
type flagSet struct {
	*flag.FlagSet
	cmd     command
	invalid *valueError // the command-line value Parse refused, if any
}

// newFlagSet returns the flag set of the subcommand name. The flag package
// prints nothing: parse returns the errors and usage prints the help.
func newFlagSet(name string) *flagSet {
	c, _ := lookupCommand(name)
	fs := &flagSet{FlagSet: flag.NewFlagSet("chatlayer-emulator "+name, flag.ContinueOnError), cmd: c}
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// usage prints the subcommand's usage line, its summary and its flags
// with their environment twins.
func (fs *flagSet) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: chatlayer-emulator %s\n%s\n", fs.cmd.synopsis(), fs.cmd.summary)
	if !fs.hasFlags() {
		return
	}
	fmt.Fprintf(w, "\nflags (each has the environment twin in parentheses; a flag beats its variable):\n")
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(w, "  --%s (%s)\n    \t%s%s\n", f.Name, fs.cmd.env.name(f.Name), f.Usage, defaultNote(f))
	})
}

// hasFlags reports whether the subcommand declares any flag.
func (fs *flagSet) hasFlags() bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// defaultNote is " (default V)" for a flag whose default is worth saying:
// not an empty one, not false, not one its usage already states.
func defaultNote(f *flag.Flag) string {
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	switch {
	case f.DefValue == "", strings.Contains(f.Usage, "(default"):
		return ""
	case isBool && b.IsBoolFlag() && f.DefValue == "false":
		return ""
	}
	return " (default " + f.DefValue + ")"
}

// parseArgs parses the environment and args. It returns stop when the
// command must end with code: after --help (the usage on stdout, 0) or a
// usage error (the error and a hint on stderr, 2).
func (fs *flagSet) parseArgs(args []string, env environ, stdout, stderr io.Writer) (code int, stop bool) {
	err := fs.parse(args, env)
	switch {
	case err == nil:
		return exitOK, false
	case errors.Is(err, flag.ErrHelp):
		fs.usage(stdout)
		return exitOK, true
	}
	fmt.Fprintf(stderr, "chatlayer-emulator %s: %v\nRun 'chatlayer-emulator %s --help' for its usage.\n", fs.cmd.name, err, fs.cmd.name)
	return exitUsage, true
}

// parse sets every flag from its environment twin, then parses args, so
// that a flag beats its environment variable. List flags take a
// comma-separated list from the environment.
func (fs *flagSet) parse(args []string, env environ) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := fs.cmd.env.name(f.Name)
		v := env.get(name)
		if v == "" || err != nil {
			return
		}
		value := unwrap(f.Value)
		if l, isList := value.(*listFlag); isList {
			l.setFromEnv(v)
			return
		}
		if e := value.Set(v); e != nil {
			err = newValueError(f.Name, value, v, name, e)
		}
	})
	if err != nil {
		return err
	}
	fs.VisitAll(func(f *flag.Flag) {
		f.Value = &checkedValue{Value: unwrap(f.Value), name: f.Name, fs: fs}
	})
	err = fs.Parse(args)
	if fs.invalid != nil {
		return fs.invalid
	}
	return err
}

// unwrap returns the value a checkedValue wraps, or v itself.
func unwrap(v flag.Value) flag.Value {
	if c, ok := v.(*checkedValue); ok {
		return c.Value
	}
	return v
}

// checkedValue wraps a flag's value to keep the error of a value that does
// not parse, which the flag package flattens into a string.
type checkedValue struct {
	flag.Value
	name string // the flag's
	fs   *flagSet
}

// Set implements flag.Value.
func (v *checkedValue) Set(s string) error {
	err := v.Value.Set(s)
	if err != nil {
		v.fs.invalid = newValueError(v.name, v.Value, s, "", err)
	}
	return err
}

// IsBoolFlag tells the flag package whether the wrapped flag is a switch.
func (v *checkedValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// valueError is a flag value, from the command line or the environment,
// that does not parse.
type valueError struct {
	flag   string // the flag's name
	shown  string // the value as the error shows it (a URL's secrets hidden)
	source string // the environment variable it came from; "" for the command line
	reason error
}

// newValueError explains err, the refusal of value by the flag name whose
// value is v. The flag package's own value types say only "parse error";
// the error then says which form they accept.
func newValueError(name string, v flag.Value, value, source string, err error) *valueError {
	shown := value
	if r, ok := v.(interface{ redact(string) string }); ok {
		shown = r.redact(value)
	}
	return &valueError{flag: name, shown: shown, source: source, reason: explain(v, value, err)}
}

// Error implements error.
func (e *valueError) Error() string {
	if e.source != "" {
		return fmt.Sprintf("invalid value %q for %s (--%s): %v", e.shown, e.source, e.flag, e.reason)
	}
	return fmt.Sprintf("invalid value %q for --%s: %v", e.shown, e.flag, e.reason)
}

// explain returns the form a value of the flag package's own types must
// have; errors of the other types already say it.
func explain(v flag.Value, value string, err error) error {
	g, ok := v.(flag.Getter)
	if !ok {
		return err
	}
	switch g.Get().(type) {
	case time.Duration:
		return errors.New("want a duration such as 10s, 1m30s or 500ms")
	case bool:
		return errors.New("want true or false")
	case int, int64:
		if _, e := strconv.ParseInt(value, 0, 64); errors.Is(e, strconv.ErrRange) {
			return errors.New("out of range")
		}
		return errors.New("want a whole number such as 3")
	}
	return err
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

// httpURL is a flag holding an absolute http or https URL with a host, or
// nothing: a URL that is not one is refused at start, naming the flag,
// rather than by every call made to it.
type httpURL string

// String implements flag.Value.
func (u *httpURL) String() string { return string(*u) }

// Set implements flag.Value; "" unsets the URL.
func (u *httpURL) Set(v string) error {
	if v != "" {
		p, err := url.Parse(v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return errors.New("want an absolute http or https URL with a host, such as http://127.0.0.1:9000/path")
		}
	}
	*u = httpURL(v)
	return nil
}

// redact hides what a refused URL may carry as a secret: the password,
// and the query.
func (*httpURL) redact(v string) string {
	if p, err := url.Parse(v); err == nil && p.User != nil {
		if _, hasPassword := p.User.Password(); hasPassword {
			v = p.Redacted()
		}
	}
	if base, _, hasQuery := strings.Cut(v, "?"); hasQuery {
		return base + "?…"
	}
	return v
}
