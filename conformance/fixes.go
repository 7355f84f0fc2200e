package conformance

// fixes holds, by check id or id prefix, how a vendor fixes a failure of
// the check; the longest matching key wins. The texts are those of the
// "How to fix a failure" column of docs/CONFORMANCE.md. They live apart
// from the check definitions so that a change to a check's level or
// source and a change to its fix touch different lines.
var fixes = map[string]string{
	"offloading.health.ok": `answer exactly {"status":"ok"} with 200 to the GET; Chatlayer sends it when the offloading settings are saved`,
	"offloading.auth.wrong-token": "compare challenge.verifyToken with your configured token (in constant time) " +
		"and answer 401 on a mismatch",
	"offloading.auth.missing-token": "treat a missing challenge.verifyToken parameter as a wrong token: answer 401",
	"offloading.messages.user.": "accept every user message type; do not require fields a type does not have " +
		"(text is absent from intro and location)",
	"offloading.messages.bot.": "accept every bot message kind, including attachments and the non-visual event kind, " +
		"even if you ignore them",
	"offloading.messages.bot.batch":  "iterate over messages; do not assume one item per event",
	"offloading.messages.status-200": "answer 200, not 201, 202 or 204",
	"offloading.offload.answer": `answer {"offloadSuccess":true,"pauseBot":true} (or offloadSuccess false when no agent ` +
		"can take over) as JSON, each key once",
	"offloading.offload.large-transcript": "raise your request body limit (1 MiB or more) and do not process " +
		"the transcript synchronously item by item",
	"offloading.offload.unicode": "decode bodies as UTF-8; store them in a UTF-8 (utf8mb4) column",
	"offloading.tolerant.unknown-fields": `ignore unknown fields (no "disallow unknown fields" decoding); ` +
		"Chatlayer's payloads changed several times",
	"offloading.tolerant.unknown-event": "acknowledge event types you do not know with 200 and ignore them; never crash on them",
	"offloading.robust.duplicate": "make processing idempotent (e.g. key on sessionId and the item's timestamp or id) " +
		"and answer 200 to a duplicate instead of an error",
	"offloading.robust.concurrent": "remove any global lock or single connection that fails under parallel requests",
	"offloading.robust.burst":      "accept Chatlayer's traffic without a rate limit below it: queue work instead of refusing it",
	"offloading.handback.round-trip": "after a successful offload, send agent messages with " +
		"POST /v1/bots/{botId}/conversations/{sessionId}/actions to the Chatlayer (emulator) URL your bridge is configured with",
	"offloading.latency": "answer first, work later: acknowledge the event and process it asynchronously",

	"webhook.message.":                "accept every kind; drop event messages if you do not display them, but answer 2xx",
	"webhook.auth.wrong-token":        "compare verifyToken in the body with your configured token and answer 401 on a mismatch",
	"webhook.auth.missing-token":      "treat a missing verifyToken as a wrong one: answer 401",
	"webhook.robust.duplicate":        "be idempotent: answer 2xx to a duplicate delivery (Chatlayer retries)",
	"webhook.robust.out-of-order":     "do not reject or stall on counters out of order; sort on display if you need to",
	"webhook.tolerant.unknown-fields": "ignore fields you do not know (the nlp object among them)",
	"webhook.latency":                 "answer first, work later: acknowledge the delivery and process it asynchronously",
}

// fixOf returns how to fix a failure of the check id ("" if none is
// known).
func fixOf(id string) string {
	best, fix := -1, ""
	for k, v := range fixes {
		if matches(id, k) && len(k) > best {
			best, fix = len(k), v
		}
	}
	return fix
}

// withFixes sets the Fix of every check.
func withFixes(cs []Check) []Check {
	for i := range cs {
		cs[i].Fix = fixOf(cs[i].ID)
	}
	return cs
}
