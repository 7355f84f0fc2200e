//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// Images under test, built once by TestMain.
var (
	pool          *dockertest.Pool
	emulatorImage string // repository:tag
	receiverImage = "chatlayer-emulator-e2e-receiver:latest"
	bridgeImage   = "chatlayer-emulator-e2e-bridge:latest"
	skipReason    string
)

func TestMain(m *testing.M) {
	if err := setUp(); err != nil {
		if os.Getenv("CHATLAYER_E2E_REQUIRE_DOCKER") == "1" {
			fmt.Fprintln(os.Stderr, "e2e: Docker is required (CHATLAYER_E2E_REQUIRE_DOCKER=1):", err)
			os.Exit(1)
		}
		skipReason = "no usable Docker engine, container tests skipped: " + err.Error()
	}
	os.Exit(m.Run())
}

// needDocker skips the test when TestMain found no Docker engine.
func needDocker(t *testing.T) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}

// setUp connects to Docker and builds the images.
func setUp() error {
	p, err := dockertest.NewPool("")
	if err != nil {
		return err
	}
	p.MaxWait = 30 * time.Second
	if err := p.Client.Ping(); err != nil {
		return err
	}
	pool = p
	if emulatorImage = os.Getenv("CHATLAYER_E2E_IMAGE"); emulatorImage == "" {
		emulatorImage = "chatlayer-emulator:e2e"
		if err := buildEmulatorImage(emulatorImage); err != nil {
			return fmt.Errorf("building the emulator image: %w", err)
		}
	}
	if err := buildReceiverImage(); err != nil {
		return fmt.Errorf("building the receiver image: %w", err)
	}
	if err := buildBridgeImage(); err != nil {
		return fmt.Errorf("building the bridge image: %w", err)
	}
	return nil
}

// repoRoot is the repository's root, from this package's folder.
func repoRoot() string { return filepath.Join("..", "..") }

// goBuild builds a static binary of pkg (relative to the repository) at out.
func goBuild(out, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = repoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v: %s", pkg, err, b)
	}
	return nil
}

// buildEmulatorImage builds the image as `make image` does: the binary on
// the host, packed by the Dockerfile's prebuilt target.
func buildEmulatorImage(name string) error {
	root, _ := filepath.Abs(repoRoot())
	rootfs := filepath.Join(root, "dist", "rootfs")
	if err := os.MkdirAll(filepath.Join(rootfs, "scenarios"), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(rootfs, "etc", "ssl", "certs"), 0o755); err != nil {
		return err
	}
	if certs, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		os.WriteFile(filepath.Join(rootfs, "etc", "ssl", "certs", "ca-certificates.crt"), certs, 0o644)
	}
	if err := goBuild(filepath.Join(rootfs, "chatlayer-emulator"), "./cmd/chatlayer-emulator"); err != nil {
		return err
	}
	return buildImage(name, root, "prebuilt")
}

// buildReceiverImage packs the reference webhook receiver on scratch.
func buildReceiverImage() error {
	dir, err := os.MkdirTemp("", "cle-receiver-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := goBuild(filepath.Join(dir, "webhook-logger"), "./examples/webhook-logger"); err != nil {
		return err
	}
	dockerfile := "FROM scratch\nCOPY webhook-logger /webhook-logger\nUSER 65532:65532\nENTRYPOINT [\"/webhook-logger\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		return err
	}
	return buildImage(receiverImage, dir, "")
}

// buildBridgeImage packs the reference offloading bridge on scratch.
func buildBridgeImage() error {
	dir, err := os.MkdirTemp("", "cle-bridge-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := goBuild(filepath.Join(dir, "offloading-bridge"), "./examples/offloading-bridge"); err != nil {
		return err
	}
	dockerfile := "FROM scratch\nCOPY offloading-bridge /offloading-bridge\nUSER 65532:65532\nENTRYPOINT [\"/offloading-bridge\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		return err
	}
	return buildImage(bridgeImage, dir, "")
}

// buildImage runs a classic (registry-free) docker build.
func buildImage(name, contextDir, target string) error {
	var out bytes.Buffer
	err := pool.Client.BuildImage(dc.BuildImageOptions{
		Name: name, ContextDir: contextDir, Dockerfile: "Dockerfile", Target: target,
		OutputStream: &out, RmTmpContainer: true, ForceRmTmpContainer: true,
	})
	if err != nil {
		return fmt.Errorf("%v: %s", err, out.String())
	}
	return nil
}
