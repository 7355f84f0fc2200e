// Package emulator is a local, offline emulator of the Chatlayer.ai chatbot
// platform, as a library first: the chatlayer-emulator binary is a thin
// command around it.
//
// A Server serves Chatlayer's v1 and legacy APIs (Webhook channel,
// conversations, messages, session data, conversation actions, NLP extract,
// history, webview), validated against the embedded OpenAPI document; runs
// the scripted bots of scenario files through the dialog engine; POSTs each
// bot message to the channel's webhook URL exactly as Chatlayer does, with
// retries and a journal of every attempt; and plays Chatlayer's side of the
// offloading webhook (health check, messages and offload events, pause and
// hand-back). The control API under /_emulator and the methods of Server
// (Flush, WaitDeliveries, Reset, Clock, Conversation) are the test levers.
//
// In a Go test:
//
//	s := emulator.RunT(t, emulator.Config{
//		WebhookURL: receiver.URL, // your webhook
//		Delivery:   emulator.DeliveryConfig{Backoff: new(time.Millisecond)},
//	})
//	// POST to s.URL()+"/v1/channels/webhook/demo/messages" with
//	// "Authorization: Bearer demo-token", then:
//	got := s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: "c1"}, 2)
//
// Without Config.Bots the embedded demo bot (bot "demo", channel "demo",
// token "demo-token", verify token "demo-verify") is served. The server
// speaks plain HTTP unless Config.TLS is set.
package emulator
