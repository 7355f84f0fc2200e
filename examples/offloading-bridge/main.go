// Command offloading-bridge is a reference offloading webhook for
// Chatlayer (and chatlayer-emulator): it records what the bot platform
// sends, accepts every offload, and lets an agent reply and hand the
// conversation back. See package bridge for the routes.
//
//	go run ./examples/offloading-bridge --addr 127.0.0.1:9100 \
//	    --verify-token bridge-secret --chatlayer-url http://127.0.0.1:8080 --chatlayer-token demo-token
//
// It prints "offloading-bridge listening: webhook http://ADDR/offloading, …"
// once it accepts connections (with the port it got, for --addr
// 127.0.0.1:0). Then point the emulator at it:
//
//	chatlayer-emulator --offloading-url http://127.0.0.1:9100/offloading --offloading-verify-token bridge-secret
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/program"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

func main() {
	program.Main("offloading-bridge", func(ctx context.Context, args []string, stdout io.Writer) error {
		return run(ctx, args, os.Getenv, stdout)
	})
}

// run serves the bridge until ctx is done. It prints where it listens
// once the port is bound. A container image is configured by its
// environment: every flag has a BRIDGE_* twin, read through getenv.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	env := program.Env(getenv)
	fs := flag.NewFlagSet("offloading-bridge", flag.ContinueOnError)
	addr := fs.String("addr", env("BRIDGE_ADDR", "127.0.0.1:9100"), "address to listen on, port 0 for any free port (env BRIDGE_ADDR)")
	token := fs.String("verify-token", env("BRIDGE_VERIFY_TOKEN", "bridge-secret"), "the verify token Chatlayer sends as ?challenge.verifyToken= (env BRIDGE_VERIFY_TOKEN)")
	chatlayerURL := fs.String("chatlayer-url", env("BRIDGE_CHATLAYER_URL", "http://127.0.0.1:8080"), "base URL of the Chatlayer API or the emulator (env BRIDGE_CHATLAYER_URL)")
	chatlayerToken := fs.String("chatlayer-token", env("BRIDGE_CHATLAYER_TOKEN", "demo-token"), "v1 API access token for agent calls (env BRIDGE_CHATLAYER_TOKEN)")
	version := fs.String("version", env("BRIDGE_VERSION", "DRAFT"), "bot version of agent calls when a session does not tell it: DRAFT or LIVE (env BRIDGE_VERSION)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	h := bridge.New(bridge.Config{VerifyToken: *token, ChatlayerURL: *chatlayerURL, Token: *chatlayerToken, Version: *version})
	fmt.Fprintf(stdout, "offloading-bridge listening: webhook http://%s/offloading, agent API http://%[1]s/agent/{sessionId}/reply\n", ln.Addr())
	return program.Serve(ctx, ln, h)
}
