package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// TestEgressFlag: --egress takes default, public or any, from the flag or
// its environment twin, and the policy applies to deliveries: under
// public, a webhook on loopback gets no request and the journal says why.
func TestEgressFlag(t *testing.T) {
	wantUsage(t, []string{"--egress", "strict"}, env(), "want default, public or any")
	wantUsage(t, nil, env("CHATLAYER_EMULATOR_EGRESS", "off"), "want default, public or any")
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
