// Command offloading-bridge is a reference offloading webhook for
// Chatlayer (and chatlayer-emulator): it records what the bot platform
// sends, accepts every offload, and lets an agent reply and hand the
// conversation back. See package bridge for the routes.
//
//	go run ./examples/offloading-bridge --addr 127.0.0.1:9100 \
//	    --verify-token bridge-secret --chatlayer-url http://127.0.0.1:8080 --chatlayer-token demo-token
//
// Then point the emulator at it:
//
//	chatlayer-emulator --offloading-url http://127.0.0.1:9100/offloading --offloading-verify-token bridge-secret
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

func main() {
	addr := flag.String("addr", env("BRIDGE_ADDR", "127.0.0.1:9100"), "address to listen on (env BRIDGE_ADDR)")
	token := flag.String("verify-token", env("BRIDGE_VERIFY_TOKEN", "bridge-secret"), "the verify token Chatlayer sends as ?challenge.verifyToken= (env BRIDGE_VERIFY_TOKEN)")
	chatlayerURL := flag.String("chatlayer-url", env("BRIDGE_CHATLAYER_URL", "http://127.0.0.1:8080"), "base URL of the Chatlayer API or the emulator (env BRIDGE_CHATLAYER_URL)")
	chatlayerToken := flag.String("chatlayer-token", env("BRIDGE_CHATLAYER_TOKEN", "demo-token"), "v1 API access token for agent calls (env BRIDGE_CHATLAYER_TOKEN)")
	version := flag.String("version", env("BRIDGE_VERSION", "DRAFT"), "bot version of agent calls when a session does not tell it: DRAFT or LIVE (env BRIDGE_VERSION)")
	flag.Parse()
	h := bridge.New(bridge.Config{VerifyToken: *token, ChatlayerURL: *chatlayerURL, Token: *chatlayerToken, Version: *version})
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("offloading-bridge listening: webhook http://%s/offloading, agent API http://%s/agent/{sessionId}/reply", *addr, *addr)
	log.Fatal(srv.ListenAndServe())
}

// env returns the environment variable, or def: a container image is
// configured by its environment.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
