// Command order-plugin is a reference API plugin: the back end that a
// Chatlayer bot's API action calls, answering in Chatlayer's
// {session, messages, action} form. It answers the demo bot's "Check my
// order" (block order-api in scenarios/demo.yaml, which calls
// http://127.0.0.1:9001/plugin):
//
//	go run ./examples/order-plugin --addr 127.0.0.1:9001
//
// It prints "order-plugin listening on http://ADDR/plugin" once it accepts
// connections (with the port it got, for --addr 127.0.0.1:0), then one
// line per call with the answer it gave.
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"net"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/program"
)

func main() { program.Main("order-plugin", run) }

// run serves the plugin until ctx is done. It prints where it listens
// once the port is bound, then one line per call, to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("order-plugin", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9001", "address to listen on (port 0: any free port)")
	var cfg Config
	fs.StringVar(&cfg.Status, "status", "shipped", "the status of every order")
	fs.StringVar(&cfg.NextBlock, "next-block", "order-status", "the block the answer's action goes to (empty: no action, the bot goes on with the API action's next)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger := log.New(stdout, "", 0)
	logger.Printf("order-plugin listening on http://%s/plugin", ln.Addr())
	return program.Serve(ctx, ln, NewHandler(cfg, logger))
}
