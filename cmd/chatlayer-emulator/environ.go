package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// environ is the process environment as os.Environ returns it: KEY=VALUE
// entries. Tests pass their own.
type environ []string

// get returns the value of the variable key, "" when it is not set. The
// first entry wins, as with os.Getenv.
func (e environ) get(key string) string {
	for _, kv := range e {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// names lists the variables set, in order.
func (e environ) names() []string {
	out := make([]string, 0, len(e))
	for _, kv := range e {
		if k, _, ok := strings.Cut(kv, "="); ok && k != "" {
			out = append(out, k)
		}
	}
	return out
}

// projectPrefix starts every variable the project reads.
const projectPrefix = "CHATLAYER_"

// The variables of the emulator's own container tests (emulator/e2e, set
// by .ci/run), not of a subcommand: CI runs the command with them set, so
// they are known and not reported.
const (
	harnessPrefix         = "CHATLAYER_E2E_"
	harnessImage          = harnessPrefix + "IMAGE"
	harnessRequire        = harnessPrefix + "REQUIRE_DOCKER"
	harnessRequireBrowser = harnessPrefix + "REQUIRE_BROWSER" // the HTML report's browser test
)

// knownVariable is a variable the project reads, and who reads it.
type knownVariable struct {
	name   string
	prefix envPrefix // "" for the test harness's
	reader string    // "serve --verify-token", "the e2e tests"
}

// knownVariables lists every subcommand's environment twins and the test
// harness's variables.
func knownVariables() []knownVariable {
	var out []knownVariable
	for _, c := range commands() {
		if c.flags == nil {
			continue
		}
		c.flags().VisitAll(func(f *flag.Flag) {
			out = append(out, knownVariable{name: c.env.name(f.Name), prefix: c.env, reader: c.name + " --" + f.Name})
		})
	}
	for _, name := range []string{harnessImage, harnessRequire, harnessRequireBrowser} {
		out = append(out, knownVariable{name: name, reader: "the e2e tests"})
	}
	return out
}

// strayVariable is a CHATLAYER_ variable that no subcommand reads, and the
// known variable whose name is closest, when one is near.
type strayVariable struct {
	name    string
	nearest *knownVariable
}

// String says that the variable is ignored, and what it may have meant.
// It never shows the variable's value, which may be a secret.
func (s strayVariable) String() string {
	msg := s.name + " is set, but no command reads it: ignored"
	if s.nearest != nil {
		msg += fmt.Sprintf("; did you mean %s (%s)?", s.nearest.name, s.nearest.reader)
	}
	return msg
}

// strayVariables lists the CHATLAYER_ variables of env that are neither a
// twin of the command's flags nor another subcommand's (those are read by
// their own command, and are silent). own is the command's prefix: a
// suggestion prefers its variables.
func strayVariables(own envPrefix, env environ) []strayVariable {
	var known []knownVariable
	var out []strayVariable
	for _, name := range env.names() {
		if !strings.HasPrefix(name, projectPrefix) {
			continue
		}
		if known == nil {
			known = knownVariables()
		}
		if !isKnown(name, known) {
			out = append(out, strayVariable{name: name, nearest: nearest(name, own, known)})
		}
	}
	return out
}

// warnStrayVariables prints one line per stray variable to w.
func warnStrayVariables(w io.Writer, c command, env environ) {
	for _, s := range strayVariables(c.env, env) {
		fmt.Fprintf(w, "chatlayer-emulator %s: warning: %s\n", c.name, s)
	}
}

// isKnown reports whether name is one of known.
func isKnown(name string, known []knownVariable) bool {
	for _, k := range known {
		if k.name == name {
			return true
		}
	}
	return false
}

// maxSuggestDistance is the largest edit distance at which a known name
// is suggested for an unknown one.
const maxSuggestDistance = 3

// nearest returns the known variable closest to name, or nil when none is
// near. A name is near by its whole spelling, or by its part after the
// prefix (CHATLAYER_EMULATOR_TARGET is near CHATLAYER_CONFORMANCE_TARGET,
// one edit for the prefix); ties go to the command's own variables.
func nearest(name string, own envPrefix, known []knownVariable) *knownVariable {
	var best *knownVariable
	bestScore := maxSuggestDistance + 1
	for i := range known {
		k := &known[i]
		score := min(editDistance(name, k.name), editDistance(flagPart(name), flagPart(k.name))+1)
		if score < bestScore || (score == bestScore && best != nil && k.prefix == own && best.prefix != own) {
			best, bestScore = k, score
		}
	}
	if best == nil || 2*bestScore > len(flagPart(name)) {
		return nil // too far, or too short a name to guess from
	}
	return best
}

// flagPart strips the subcommand prefix (or CHATLAYER_) from a variable's
// name: CHATLAYER_CONFORMANCE_VERIFY_TOKEN is VERIFY_TOKEN.
func flagPart(name string) string {
	for _, p := range []envPrefix{serveEnv, conformanceEnv, validateEnv, harnessPrefix} {
		if rest, ok := strings.CutPrefix(name, string(p)); ok {
			return rest
		}
	}
	return strings.TrimPrefix(name, projectPrefix)
}

// editDistance is the edit distance between two names (ASCII: bytes).
func editDistance(a, b string) int { return dialog.EditDistance([]byte(a), []byte(b)) }
