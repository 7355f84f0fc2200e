//go:build e2e

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConformanceAgainstAnImage certifies the reference bridge shipped as
// an image: `conformance --image` starts it with Docker, runs the
// offloading profile, reports and removes it.
func TestConformanceAgainstAnImage(t *testing.T) {
	needDocker(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "chatlayer-emulator")
	if err := goBuild(bin, "./cmd/chatlayer-emulator"); err != nil {
		t.Fatal(err)
	}
	junit := filepath.Join(dir, "r.xml")
	cmd := exec.Command(bin, "conformance", "--profile", "offloading",
		"--image", bridgeImage, "--port", "9100", "--path", "/offloading",
		"--image-env", "BRIDGE_ADDR=0.0.0.0:9100", "--image-env", "BRIDGE_VERIFY_TOKEN=image-secret",
		"--junit", junit, "--budget", "60s")
	cmd.Env = append(os.Environ(), "CHATLAYER_CONFORMANCE_VERIFY_TOKEN=image-secret")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("conformance --image: %v\n%s", err, out.String())
	}
	report, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(report), "<testsuite") {
		t.Fatalf("no JUnit report: %v", err)
	}
	if strings.Contains(out.String()+string(report), "image-secret") {
		t.Error("the verify token leaked into the output or the report")
	}
	containers, err := pool.Client.ListContainers(dcListOptions(bridgeImage))
	if err != nil {
		t.Fatal(err)
	}
	if len(containers) != 0 {
		t.Errorf("%d vendor container(s) left behind", len(containers))
	}
}
