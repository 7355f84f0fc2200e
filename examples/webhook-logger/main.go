// Command webhook-logger is a reference Webhook-channel receiver: the
// endpoint a team exposes to receive a Chatlayer bot's messages. It checks
// the verify token (answering 401 on a mismatch, as Chatlayer's own example
// does), prints one line per delivery with the whole body (the verify token
// masked), and lists what it accepted at GET /webhook/received.
//
//	go run ./examples/webhook-logger --addr 127.0.0.1:9000 --verify-token demo-verify
//
// It prints "webhook-logger listening on http://ADDR/webhook" once it
// accepts connections (with the port it got, for --addr 127.0.0.1:0), so a
// script can wait for that line, then connect.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "webhook-logger:", err)
		os.Exit(1)
	}
}

// run serves the webhook until ctx is done. It prints where it listens
// once the port is bound, then one line per delivery, to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("webhook-logger", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9000", "address to listen on (port 0: any free port)")
	token := fs.String("verify-token", "demo-verify", "the channel's verify token")
	delay := fs.Duration("delay", 0, "wait this long before answering each delivery (to play a slow webhook)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger := log.New(stdout, "", 0)
	logger.Printf("webhook-logger listening on http://%s/webhook", ln.Addr())
	return serve(ctx, ln, NewHandler(*token, *delay, logger))
}

// serve answers on ln until ctx is done, then shuts the server down,
// letting deliveries under way finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdown)
	<-done // http.ErrServerClosed
	return err
}
