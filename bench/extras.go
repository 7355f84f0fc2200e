package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

// emulatorImage is the image `make image` builds.
const emulatorImage = "chatlayer-emulator:latest"

// measureExtras measures a full conformance run, and docker run to ready
// when Docker and the image are there.
func measureExtras(o options, logf logFunc) ([]row, error) {
	var rows []row
	if o.only.has(groupConformance) {
		conf, err := measureConformance(o, logf)
		if err != nil {
			return nil, err
		}
		rows = append(rows, conf)
	}
	if !o.only.has(groupDocker) {
		return rows, nil
	}
	if docker, err := measureDockerStart(o, logf); err != nil {
		logf("docker run to ready not measured: %v", err)
	} else {
		rows = append(rows, docker)
	}
	return rows, nil
}

// measureConformance runs the offloading profile against the reference
// bridge on loopback, once per round.
func measureConformance(o options, logf logFunc) (row, error) {
	srv := httptest.NewServer(bridge.New(bridge.Config{VerifyToken: "bench-secret"}))
	defer srv.Close()
	var took []float64
	for i := 0; i < o.rounds; i++ {
		began := time.Now()
		rep, err := conformance.Run(context.Background(), conformance.Options{
			Target: srv.URL + "/offloading", VerifyToken: "bench-secret", Profile: conformance.ProfileOffloading, Seed: int64(i + 1),
		})
		if err != nil {
			return row{}, fmt.Errorf("conformance run: %w", err)
		}
		took = append(took, ms(time.Since(began)))
		logf("conformance run %d: %.1f ms, exit code %d", i+1, took[i], rep.ExitCode)
	}
	return soloRow("full conformance run (offloading)", millis, took, conformTarget), nil
}

// measureDockerStart times `docker run` to the first 200 on the ready
// route, for the emulator image and for the bare reference server packed
// the same way (a static binary on scratch).
func measureDockerStart(o options, logf logFunc) (row, error) {
	if err := exec.Command("docker", "image", "inspect", emulatorImage).Run(); err != nil {
		return row{}, errors.New("no " + emulatorImage + " image: run make image first")
	}
	ref, cleanup, err := buildRefImage()
	if err != nil {
		return row{}, err
	}
	defer cleanup()
	var e, r []float64
	for i := 0; i < min(o.starts, 5); i++ {
		de, err := dockerRunToReady(emulatorImage, "8080", "/_emulator/ready", "CHATLAYER_EMULATOR_RATE_LIMIT=off")
		if err != nil {
			return row{}, err
		}
		dr, err := dockerRunToReady(ref, "8080", "/ready", "")
		if err != nil {
			return row{}, err
		}
		e, r = append(e, ms(de)), append(r, ms(dr))
	}
	logf("docker run to ready: emulator %.0f ms, reference %.0f ms", spreadOf(e).med, spreadOf(r).med)
	return newRow("docker run to ready", millis, e, r, dockerTarget), nil
}

// buildRefImage packs the reference server (bench/refserver) on scratch.
func buildRefImage() (string, func(), error) {
	dir, err := os.MkdirTemp("", "chatlayer-bench-ref-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "refserver"), "./bench/refserver")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("building refserver: %v: %s", err, out)
	}
	dockerfile := "FROM scratch\nCOPY refserver /refserver\nENTRYPOINT [\"/refserver\", \"--addr\", \"0.0.0.0:8080\"]\n"
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644)
	const name = "chatlayer-bench-refserver:latest"
	if out, err := exec.Command("docker", "build", "-q", "-t", name, dir).CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("building the reference image: %v: %s", err, out)
	}
	return name, cleanup, nil
}

// dockerRunToReady starts image with its port published on loopback and
// polls the ready path until it answers 200; the container is removed.
func dockerRunToReady(image, port, path, env string) (time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	args := []string{"run", "-d", "--rm", "-p", addr + ":" + port}
	if env != "" {
		args = append(args, "-e", env)
	}
	began := time.Now()
	out, err := exec.Command("docker", append(args, image)...).Output()
	if err != nil {
		return 0, fmt.Errorf("docker run %s: %v", image, err)
	}
	id := string(out[:min(len(out), 12)])
	defer exec.Command("docker", "rm", "-f", id).Run()
	poll := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	defer poll.CloseIdleConnections()
	if err := pollReady(poll, "http://"+addr+path); err != nil {
		return 0, fmt.Errorf("%s: %w", image, err)
	}
	return time.Since(began), nil
}
