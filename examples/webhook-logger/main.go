// Command webhook-logger is a reference Webhook-channel receiver: the
// endpoint a team exposes to receive a Chatlayer bot's messages. It checks
// the verify token (answering 401 on a mismatch, as Chatlayer's own example
// does), skips non-visual "event" messages, prints one line per message, and
// lists what it received at GET /webhook/received.
//
//	go run ./examples/webhook-logger --addr 127.0.0.1:9000 --verify-token demo-verify
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	token := flag.String("verify-token", "demo-verify", "the channel's verify token")
	delay := flag.Duration("delay", 0, "wait this long before answering each delivery (to play a slow webhook)")
	flag.Parse()
	logger := log.New(os.Stdout, "", log.LstdFlags)
	srv := &http.Server{Addr: *addr, Handler: NewHandler(*token, *delay, logger), ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("webhook-logger listening on http://%s/webhook", *addr)
	log.Fatal(srv.ListenAndServe())
}
