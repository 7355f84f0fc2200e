package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestRunArgsKeepSecretsOffTheCommandLine(t *testing.T) {
	o := imageOptions{image: "vendor:1", port: 9100}
	o.env.values = []string{"BRIDGE_VERIFY_TOKEN=s3cret", "EMPTY="}
	o.args.values = []string{"--listen", ":9100"}
	args, env, err := runArgs(o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"run", "--detach", "--publish", "127.0.0.1::9100/tcp",
		"--env", "BRIDGE_VERIFY_TOKEN", "--env", "EMPTY", "--", "vendor:1", "--listen", ":9100"}
	if !reflect.DeepEqual(args, want) {
		t.Errorf("args = %q\nwant   %q", args, want)
	}
	if strings.Contains(strings.Join(args, " "), "s3cret") {
		t.Error("a variable's value is on the docker command line")
	}
	if !reflect.DeepEqual(env, o.env.values) {
		t.Errorf("env = %q, want the variables for the docker command's environment", env)
	}
}

func TestRunArgsRefuseAnEntryWithoutName(t *testing.T) {
	for _, bad := range []string{"NOEQUALS", "=value"} {
		o := imageOptions{image: "vendor:1", port: 80}
		o.env.values = []string{bad}
		if _, _, err := runArgs(o); err == nil || strings.Contains(err.Error(), bad) {
			t.Errorf("runArgs accepted or echoed %q: %v", bad, err)
		}
	}
}
