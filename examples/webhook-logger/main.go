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
	"flag"
	"io"
	"log"
	"net"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/program"
)

func main() { program.Main("webhook-logger", run) }

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
	return program.Serve(ctx, ln, NewHandler(*token, *delay, logger))
}
