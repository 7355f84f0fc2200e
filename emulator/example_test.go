package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// The first hour without a *testing.T: start the emulator on the demo
// bot, point it at your webhook, talk to the bot, and wait for its replies
// from a mark instead of sleeping. (In a test, RunT and the ...T forms do
// the error handling; see the README's "In a Go test", compiled as
// TestMyWebhook.)
func Example() {
	// Your application's webhook; this one prints the texts it gets.
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Message struct{ Text string } `json:"message"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		fmt.Println("webhook:", body.Message.Text)
	}))
	defer hook.Close()

	s, err := emulator.New(emulator.Config{WebhookURL: hook.URL})
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil { // your application calls s.URL()
		log.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	if err := s.Intro(ctx, "demo", "conv-1"); err != nil {
		log.Fatal(err)
	}
	if _, err := s.WaitDeliveries(ctx, emulator.DeliveryFilter{Conversation: "conv-1"}, 2); err != nil {
		log.Fatal(err)
	}
	mark := s.Mark() // the next wait counts only what comes after it
	if err := s.Say(ctx, "demo", "conv-1", "what are your opening hours"); err != nil {
		log.Fatal(err)
	}
	replies, err := s.WaitDeliveries(ctx, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark}, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("replies since the mark:", len(replies))
	// Output:
	// webhook: Hi! I'm the Chatlayer emulator demo bot.
	// webhook: What would you like to try?
	// webhook: We're open Monday to Friday, 9:00 to 17:00.
	// replies since the mark: 1
}

// A message the v1 API refuses is refused from Go too, with the error a
// client gets. Say needs no listener: it goes through s.Handler().
func ExampleServer_Say() {
	s, err := emulator.New(emulator.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	err = s.Say(context.Background(), "demo", "conv-1", "")
	fmt.Println(err)
	var e *emulator.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Field)
	}
	// Output:
	// 400 Bad Request: /message/textMessage/text: minimum string length is 1
	// 400 /message/textMessage/text
}

// Click a quick reply the way a client does, by sending back its payload:
// PayloadOf finds it in the delivery that offered it.
func ExampleServer_Click() {
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer hook.Close()
	s, err := emulator.New(emulator.Config{WebhookURL: hook.URL})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	if err := s.Intro(ctx, "demo", "conv-1"); err != nil {
		log.Fatal(err)
	}
	intro, err := s.WaitDeliveries(ctx, emulator.DeliveryFilter{Conversation: "conv-1"}, 2)
	if err != nil {
		log.Fatal(err)
	}
	payload, ok := emulator.PayloadOf(intro[1], "FAQ")
	fmt.Println("FAQ offered:", ok)

	mark := s.Mark()
	if err := s.Click(ctx, "demo", "conv-1", payload); err != nil {
		log.Fatal(err)
	}
	replies, err := s.WaitDeliveries(ctx, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark}, 1)
	if err != nil {
		log.Fatal(err)
	}
	var body struct {
		Message struct{ Text string } `json:"message"`
	}
	json.Unmarshal([]byte(replies[0].RequestBody), &body)
	fmt.Println(body.Message.Text)
	// Output:
	// FAQ offered: true
	// Ask me about our opening hours, prices or where we are.
}
