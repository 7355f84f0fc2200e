package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ory/dockertest/v3"
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
	pool     *dockertest.Pool
	resource *dockertest.Resource
	target   string
}

// startVendor starts the image with dockertest, publishing its port on
// loopback, and waits until it answers HTTP or wait passes.
func startVendor(ctx context.Context, o imageOptions, wait time.Duration) (*vendorContainer, error) {
	pool, err := dockertest.NewPool("")
	if err != nil {
		return nil, fmt.Errorf("--image needs a Docker engine: %w", err)
	}
	if err := pool.Client.Ping(); err != nil {
		return nil, fmt.Errorf("--image needs a Docker engine: %w", err)
	}
	repo, tag, _ := strings.Cut(o.image, ":")
	port := fmt.Sprintf("%d/tcp", o.port)
	res, err := pool.RunWithOptions(&dockertest.RunOptions{Repository: repo, Tag: tag, Env: o.env.values, ExposedPorts: []string{port}, Cmd: o.args.values})
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.image, err)
	}
	v := &vendorContainer{pool: pool, resource: res}
	v.target = (&url.URL{Scheme: "http", Host: res.GetHostPort(port), Path: o.path}).String()
	if err := v.waitHTTP(ctx, wait); err != nil {
		v.stop()
		return nil, err
	}
	return v, nil
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

// stop removes the container.
func (v *vendorContainer) stop() {
	if err := v.pool.Purge(v.resource); err != nil {
		fmt.Println("conformance: removing the vendor container:", err)
	}
}
