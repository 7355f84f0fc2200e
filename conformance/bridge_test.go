package conformance_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

// TestReferenceBridgePasses: the offloading bridge of examples/, the
// project's "good vendor", passes every check of the offloading profile,
// and the four reports carry the verdict without the token.
func TestReferenceBridgePasses(t *testing.T) {
	srv := httptest.NewServer(bridge.New(bridge.Config{VerifyToken: token}))
	defer srv.Close()
	rep := runT(t, options(srv.URL+"/offloading", conformance.ProfileOffloading))
	if rep.ExitCode != conformance.ExitPassed {
		t.Fatalf("ExitCode = %d, failed: %v", rep.ExitCode, failedIDs(rep))
	}
	for _, c := range rep.Checks {
		if c.Status == conformance.StatusFailed {
			t.Errorf("%s failed: %s", c.ID, c.Message)
		}
	}
	var out bytes.Buffer
	for _, write := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return rep.WriteText(b) },
		func(b *bytes.Buffer) error { return rep.WriteJUnit(b) },
		func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
		func(b *bytes.Buffer) error { return rep.WriteHTML(b) },
	} {
		if err := write(&out); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(out.String(), token) {
		t.Error("the verify token appears in a report")
	}
}
