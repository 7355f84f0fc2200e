package main

// conformance --image runs the vendor's image through the docker command,
// not a Docker client library: a client library links about 2 MB of
// code into every subcommand, and its package initialisation added about
// 20 ms to every start of `serve` and 1.1 MB to its idle memory. Anyone
// certifying an image has the docker command; the emulator's own
// container tests still use dockertest.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"
)

// imageOptions certify a vendor shipped as a container image.
type imageOptions struct {
	image string   // NAME[:TAG]
	port  int      // the port the vendor listens on inside the container
	path  string   // the endpoint's path inside the vendor
	env   listFlag // KEY=VALUE for the container
	args  listFlag // the container's command, replacing the image's CMD
}

// vendorContainer is a vendor started for a run, removed by stop.
type vendorContainer struct {
	docker string // the docker command's path
	id     string // the container's id
	target string
}

// startVendor starts the image with `docker run`, publishing its port on
// a free loopback port, and waits until it answers HTTP or wait passes.
func startVendor(ctx context.Context, o imageOptions, wait time.Duration) (*vendorContainer, error) {
	docker, err := exec.LookPath("docker")
	if err != nil {
		return nil, fmt.Errorf("--image needs the docker command: %w", err)
	}
	v := &vendorContainer{docker: docker}
	args, env, err := runArgs(o)
	if err != nil {
		return nil, err
	}
	out, err := v.run(ctx, env, args...)
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.image, err)
	}
	v.id = strings.TrimSpace(out)
	host, err := v.hostPort(ctx, o.port)
	if err != nil {
		v.stop()
		return nil, err
	}
	v.target = (&url.URL{Scheme: "http", Host: host, Path: o.path}).String()
	if err := v.waitHTTP(ctx, wait); err != nil {
		v.stop()
		return nil, err
	}
	return v, nil
}

// runArgs builds the `docker run` command line. The container's variables
// are passed by name only (`--env KEY`), their values through the docker
// command's environment, so that a secret never shows on a command line.
func runArgs(o imageOptions) (args, env []string, err error) {
	args = []string{"run", "--detach", "--publish", fmt.Sprintf("127.0.0.1::%d/tcp", o.port)}
	for _, kv := range o.env.values {
		key, _, ok := strings.Cut(kv, "=")
		if !ok || key == "" {
			return nil, nil, errors.New(`--image-env: an entry without "=" or without a name: want KEY=VALUE`)
		}
		args = append(args, "--env", key)
		env = append(env, kv)
	}
	args = append(args, "--", o.image)
	return append(args, o.args.values...), env, nil
}

// run runs the docker command and returns its standard output; an error
// carries what it printed on standard error.
func (v *vendorContainer) run(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, v.docker, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("docker %s: %w: %s", args[0], err, msg)
		}
		return "", fmt.Errorf("docker %s: %w", args[0], err)
	}
	return stdout.String(), nil
}

// hostPort asks Docker which loopback port it published for port.
func (v *vendorContainer) hostPort(ctx context.Context, port int) (string, error) {
	out, err := v.run(ctx, nil, "port", v.id, fmt.Sprintf("%d/tcp", port))
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(out, "\n") {
		if host, p, err := net.SplitHostPort(strings.TrimSpace(line)); err == nil && host == "127.0.0.1" {
			return net.JoinHostPort(host, p), nil
		}
	}
	return "", fmt.Errorf("docker published no loopback port for %d/tcp (it said %q)", port, strings.TrimSpace(out))
}

// waitHTTP polls the target until it answers HTTP at all (any status):
// the vendor is then listening. Docker gives no event for that.
func (v *vendorContainer) waitHTTP(ctx context.Context, wait time.Duration) error {
	client := &http.Client{Timeout: time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(v.target); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New("the vendor container did not answer HTTP on " + v.target + " within " + wait.String())
}

// stop removes the container and its anonymous volumes. It runs on its
// own context: the run's may be cancelled already.
func (v *vendorContainer) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := v.run(ctx, nil, "rm", "--force", "--volumes", v.id); err != nil {
		fmt.Println("conformance: removing the vendor container:", err)
	}
}
