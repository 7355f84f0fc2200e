package main

import (
	"net/http"
	"testing"
)

// TestAllowBareTokenFlag: "Authorization: <token>" gets 401 naming
// --allow-bare-token by default, and 202 with the flag or its twin.
func TestAllowBareTokenFlag(t *testing.T) {
	url, _ := startServe(t, []string{"--addr", "127.0.0.1:0"}, env())
	resp, err := v1Over(t, http.DefaultClient, url, "demo-token")
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("bare token by default: %v, %v; want 401", resp, err)
	}
	for _, c := range []struct {
		args []string
		env  environ
	}{
		{[]string{"--addr", "127.0.0.1:0", "--allow-bare-token"}, env()},
		{[]string{"--addr", "127.0.0.1:0"}, env("CHATLAYER_EMULATOR_ALLOW_BARE_TOKEN", "true")},
	} {
		url, _ := startServe(t, c.args, c.env)
		if resp, err := v1Over(t, http.DefaultClient, url, "demo-token"); err != nil || resp.StatusCode != http.StatusAccepted {
			t.Errorf("%v: bare token: %v, %v; want 202", c.args, resp, err)
		}
	}
}
