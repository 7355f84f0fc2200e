// Package program is what the example programs share: a main that stops
// on SIGINT or SIGTERM, and an HTTP server that shuts down gracefully.
// Each example's own code (its flags and handler) stays in its folder.
package program

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Main runs run with the command-line arguments and stdout until it
// returns or SIGINT/SIGTERM cancels its context; it exits 0, or 1 with
// the error on stderr (--help exits 0).
func Main(name string, run func(ctx context.Context, args []string, stdout io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// shutdownTimeout bounds how long Serve lets requests under way finish.
const shutdownTimeout = 5 * time.Second

// Serve answers on ln with h until ctx is done, then shuts the server
// down, letting requests under way finish.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdown)
	<-done // http.ErrServerClosed
	return err
}

// Env returns a lookup of default values from the environment: a flag's
// default is its environment twin when that is set (a container image is
// configured by its environment).
func Env(getenv func(string) string) func(name, def string) string {
	return func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
}
