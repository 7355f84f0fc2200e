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
// are the test levers: they drive (Say, Intro, Click, ClickTitle, Send: a
// user message through the same handler as a client's POST), wait (Flush,
// WaitDeliveries, from a Mark) and check (CheckDelivered, Deliveries,
// Conversation, Clock, Reset).
//
// The module is github.com/chatlayer-emulator/chatlayer-emulator. No
// version is published yet: add it with a replace directive to a local
// clone, then go get the package (the README's "In a Go test" says how).
// In a Go test:
//
//	s := emulator.RunT(t, emulator.Config{
//		WebhookURL: receiver.URL, // your webhook
//		Delivery:   emulator.DeliveryConfig{Backoff: new(time.Millisecond)},
//	})
//	s.IntroT(t, "demo", "c1")
//	s.CheckDelivered(t, emulator.DeliveryFilter{Conversation: "c1"},
//		"Hi! I'm the Chatlayer emulator demo bot.", "What would you like to try?")
//	mark := s.Mark()
//	s.SayT(t, "demo", "c1", "what are your opening hours")
//	got := s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: "c1", Since: mark}, 1)
//
// The zero Config is usable: it serves the demo bot and delivers as
// Chatlayer does. DeliveryConfig.Retries and Backoff take what
// --delivery-retries and --delivery-backoff take, with the same meaning
// (new(0) is "none", as 0 is on the command line); nil keeps Chatlayer's
// schedule.
//
// Without Config.Bots the embedded demo bot (bot "demo", channel "demo",
// token "demo-token", verify token "demo-verify") is served. The server
// speaks plain HTTP unless Config.TLS is set.
package emulator
