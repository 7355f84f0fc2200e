// Package delivery makes the emulator's HTTP calls to users' endpoints: bot
// messages to a Webhook-channel URL, offloading events and API-plugin calls.
//
// A Dispatcher sends each Request with retries, in strict order per ordering
// key (a conversation), and records every attempt in a bounded Journal that
// tests and the control API can list, filter and wait on.
//
//	d := delivery.New(delivery.Config{Backoff: time.Millisecond})
//	defer d.Close(ctx)
//	id, err := d.Enqueue(delivery.Request{
//		Kind: delivery.KindChannel, Bot: "bot-1", Conversation: "user-1",
//		URL: webhookURL, Body: body, Secrets: []string{verifyToken},
//	})
//	ds, err := d.Journal().Wait(ctx, delivery.Filter{Conversation: "user-1"}, 1)
//
// # Policy
//
// Chatlayer documents only that it "will retry sending the message 3 times
// upon receiving a failing HTTP code". The emulator makes 1 attempt plus
// Config.Retries retries (default 3). An attempt fails on a non-2xx status
// (redirects are never followed: a 3xx is a failure and its Location is
// recorded), on a connection error, or when the per-attempt timeout (default
// 10 s, covering connect, headers and body) expires. Before retry i (1-based)
// the dispatcher waits Backoff * 2^(i-1) (default Backoff 1 s). The answer is
// read up to MaxRead bytes (default 1 MiB) and its first KeepBytes (default
// 20 KiB) are kept. Delivery n+1 of a key is not attempted before delivery n
// is delivered or failed.
//
// # Emulator extensions
//
// Every request carries the header X-Emulator-Delivery-Id, the same on every
// attempt of one delivery and different between deliveries, so receivers can
// detect duplicates. Chatlayer itself sends no such header. Requests also
// carry User-Agent: chatlayer-emulator.
//
// # Secrets
//
// Values listed in Request.Secrets (verify tokens, bearer tokens) are replaced
// by "***" in everything the journal keeps and the logger writes: the URL
// (also in URL-encoded form), headers, the request body, answers and error
// texts. Only Delivery.ResponseBody, which is not serialized, is unmasked.
package delivery
