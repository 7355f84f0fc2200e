package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// TestEgressFlag: --egress takes default, public or any, from the flag or
// its environment twin, and the policy applies to deliveries: under
// public, a webhook on loopback gets no request and the journal says why.
func TestEgressFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  func(string) string
	}{
		{[]string{"--egress", "strict"}, env()},
		{nil, env("CHATLAYER_EMULATOR_EGRESS", "off")},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), c.args, c.env, io.Discard, &stderr); code != exitUsage {
			t.Fatalf("%v: exit %d, want 2", c.args, code)
		}
		if !strings.Contains(stderr.String(), "want default, public or any") {
			t.Errorf("stderr %q does not name the policies", stderr.String())
		}
	}
	var hits atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer hook.Close()
	url, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--webhook-url", hook.URL},
		env("CHATLAYER_EMULATOR_EGRESS", "public"))
	if status, _ := v1Status(t, url); status != http.StatusAccepted { // an intro message in c1
		t.Fatalf("message: %d", status)
	}
	resp, err := http.Get(url + "/_emulator/deliveries/wait?conversation=c1&count=1&timeout=10s")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Deliveries []emulator.Delivery }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || len(got.Deliveries) == 0 {
		t.Fatalf("wait: %d, %v", resp.StatusCode, err)
	}
	if d := got.Deliveries[0]; len(d.Attempts) != 1 || d.Attempts[0].ErrorKind != "egress_refused" {
		t.Fatalf("delivery %+v: want one egress_refused attempt", d)
	}
	if code := stop(); code != exitOK || hits.Load() != 0 {
		t.Fatalf("exit %d, webhook hits %d; want 0 and 0", code, hits.Load())
	}
}
