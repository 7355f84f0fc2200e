// Command chat-app is an example application that integrates with
// Chatlayer through a Webhook channel: it serves the webhook that receives
// the bot's messages, and sends the user's messages to the channel API. Run
// against the emulator, it is what an integration test exercises.
//
//	go run ./examples/chat-app --chatlayer-url http://127.0.0.1:8080 --addr 127.0.0.1:9000
//
// It starts a conversation, asks one question, prints the bot's replies as
// they arrive, and exits once it has seen --expect replies.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	cfg := Config{}
	flag.StringVar(&cfg.ChatlayerURL, "chatlayer-url", env("CHATLAYER_URL", "http://127.0.0.1:8080"), "base URL of Chatlayer (or the emulator)")
	flag.StringVar(&cfg.Channel, "channel", env("CHATLAYER_CHANNEL", "demo"), "Webhook channel id")
	flag.StringVar(&cfg.Token, "token", env("CHATLAYER_TOKEN", "demo-token"), "API access token")
	flag.StringVar(&cfg.VerifyToken, "verify-token", env("CHATLAYER_VERIFY_TOKEN", "demo-verify"), "the channel's verify token")
	addr := flag.String("addr", env("APP_ADDR", "127.0.0.1:9000"), "address of the app's webhook")
	expect := flag.Int("expect", 3, "exit after this many bot messages")
	flag.Parse()

	app := New(cfg)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, app)
	for _, text := range []string{"", "what are your opening hours"} {
		if err := app.Say("app-conversation", text); err != nil {
			log.Fatal(err)
		}
	}
	for i := 0; i < *expect; i++ {
		select {
		case m := <-app.Replies:
			fmt.Println("bot:", m)
		case <-time.After(30 * time.Second):
			log.Fatal("no reply from the bot within 30s")
		}
	}
}

// env returns the environment variable, or def.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
