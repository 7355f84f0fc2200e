// Command chat-app is an example application that integrates with
// Chatlayer through a Webhook channel: it serves the webhook that receives
// the bot's messages, and sends the user's messages to the channel API. Run
// against the emulator, it is what an integration test exercises.
//
//	go run ./examples/chat-app --chatlayer-url http://127.0.0.1:8080 --addr 127.0.0.1:9000
//
// It prints "chat-app listening on http://ADDR/webhook" once its webhook
// accepts connections, starts a conversation, asks one question, prints
// the bot's replies as they arrive ("bot: …"), and exits once it has seen
// --expect replies.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/program"
)

func main() {
	program.Main("chat-app", func(ctx context.Context, args []string, stdout io.Writer) error {
		return run(ctx, args, os.Getenv, stdout)
	})
}

// run starts the webhook, has one conversation and returns once it has
// printed the replies it expects. Every flag has an environment twin, read
// through getenv: a container image is configured by its environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	env := program.Env(getenv)
	cfg := Config{}
	fs := flag.NewFlagSet("chat-app", flag.ContinueOnError)
	fs.StringVar(&cfg.ChatlayerURL, "chatlayer-url", env("CHATLAYER_URL", "http://127.0.0.1:8080"), "base URL of Chatlayer (or the emulator)")
	fs.StringVar(&cfg.Channel, "channel", env("CHATLAYER_CHANNEL", "demo"), "Webhook channel id")
	fs.StringVar(&cfg.Token, "token", env("CHATLAYER_TOKEN", "demo-token"), "API access token")
	fs.StringVar(&cfg.VerifyToken, "verify-token", env("CHATLAYER_VERIFY_TOKEN", "demo-verify"), "the channel's verify token")
	addr := fs.String("addr", env("APP_ADDR", "127.0.0.1:9000"), "address of the app's webhook (port 0: any free port)")
	expect := fs.Int("expect", 3, "exit after this many bot messages")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	app := New(cfg)
	serveCtx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- program.Serve(serveCtx, ln, app) }()
	fmt.Fprintf(stdout, "chat-app listening on http://%s/webhook\n", ln.Addr())
	err = converse(ctx, app, *expect, stdout)
	stop()
	return errors.Join(err, <-served)
}

// conversationID is the app's conversation: 32 characters or more, as
// Chatlayer's docs ask of sender ids (the emulator warns about shorter ones).
const conversationID = "chat-app-4f1d2c9e8b7a6d5c4b3a2f1e0d9c8b7a"

// converse starts a conversation, asks one question and prints the first
// expect replies.
func converse(ctx context.Context, app *App, expect int, stdout io.Writer) error {
	for _, text := range []string{"", "what are your opening hours"} {
		if err := app.Say(conversationID, text); err != nil {
			return err
		}
	}
	for range expect {
		select {
		case m := <-app.Replies:
			fmt.Fprintln(stdout, "bot:", m)
		case <-time.After(30 * time.Second):
			return errors.New("no reply from the bot within 30s")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
