package conformance_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// TestEgressPolicyAppliesToTheTarget: the suite's client applies the
// egress policy (C5). Under public, a target on loopback gets no request,
// and the report says why; under the default policy the same target
// passes (TestReferenceVendorPasses).
func TestEgressPolicyAppliesToTheTarget(t *testing.T) {
	v := &vendor{}
	o := options(v.start(t).URL, conformance.ProfileOffloading)
	o.Egress = egress.Public
	rep := runT(t, o)
	if rep.ExitCode != conformance.ExitFailed {
		t.Fatalf("ExitCode = %d, want 1", rep.ExitCode)
	}
	v.mu.Lock()
	n := len(v.got)
	v.mu.Unlock()
	if n != 0 {
		t.Fatalf("the vendor got %d requests", n)
	}
	c := result(t, rep, "offloading.health.ok")
	report, _ := json.Marshal(c)
	if c.Status != conformance.StatusFailed || !strings.Contains(string(report), "egress policy public refuses 127.0.0.1") {
		t.Errorf("health check %s, want failed naming the policy: %s", c.Status, report)
	}
}
