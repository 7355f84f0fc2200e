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
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9100", "address to listen on")
	token := flag.String("verify-token", "bridge-secret", "the verify token Chatlayer sends as ?challenge.verifyToken=")
	chatlayerURL := flag.String("chatlayer-url", "http://127.0.0.1:8080", "base URL of the Chatlayer API (or the emulator)")
	chatlayerToken := flag.String("chatlayer-token", "demo-token", "v1 API access token for agent calls")
	version := flag.String("version", "DRAFT", "bot version of agent calls when a session does not tell it: DRAFT or LIVE")
	flag.Parse()
	h := bridge.New(bridge.Config{VerifyToken: *token, ChatlayerURL: *chatlayerURL, Token: *chatlayerToken, Version: *version})
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("offloading-bridge listening: webhook http://%s/offloading, agent API http://%s/agent/{sessionId}/reply", *addr, *addr)
	log.Fatal(srv.ListenAndServe())
}
