package main

import (
	"fmt"
	"slices"
	"strings"
)

// The measurement groups, in the order of the report; -only selects some
// of them by these names.
const (
	groupRate        = "rate"        // v1 message: requests/s and latency
	groupTurns       = "turns"       // message→delivery, closed loop at saturation
	groupPaced       = "paced"       // message→delivery, open loop at a fixed rate
	groupValidation  = "validation"  // validated v1 message against the same route unvalidated
	groupActions     = "actions"     // validated conversation-actions POST against kin-openapi
	groupHistory     = "history"     // history GET
	groupConcurrent  = "concurrent"  // 1,000 concurrent conversations
	groupConvMemory  = "convmemory"  // memory per stored conversation
	groupStart       = "start"       // start to ready
	groupScenarios   = "scenarios"   // start to ready with 100 scenario files
	groupIdle        = "idle"        // idle memory of the binary
	groupConformance = "conformance" // a full conformance run
	groupDocker      = "docker"      // docker run to ready
)

// groups lists every group.
var groups = []string{
	groupRate, groupTurns, groupPaced, groupValidation, groupActions, groupHistory, groupConcurrent,
	groupConvMemory, groupStart, groupScenarios, groupIdle, groupConformance, groupDocker,
}

// selection is the set of groups to run; nil runs them all.
type selection map[string]bool

// parseSelection reads the value of -only: group names separated by
// commas; "" selects every group.
func parseSelection(s string) (selection, error) {
	if s == "" {
		return nil, nil
	}
	sel := selection{}
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(groups, name) {
			return nil, fmt.Errorf("-only: unknown group %q (groups: %s)", name, strings.Join(groups, ", "))
		}
		sel[name] = true
	}
	return sel, nil
}

// has reports whether any of the named groups runs.
func (sel selection) has(names ...string) bool {
	if sel == nil {
		return true
	}
	return slices.ContainsFunc(names, func(n string) bool { return sel[n] })
}
