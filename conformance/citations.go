package conformance

// What the checks rest on. A MUST check rests on a sentence of Chatlayer's
// public documentation, quoted word for word in its Citation; every other
// check is a SHOULD. Source points into docs/CONTRACT.md, the project's
// reading of the contract, which quotes the same sentences and says what
// Chatlayer leaves open.

// Citation is a sentence of Chatlayer's public documentation, quoted word
// for word, and the page that says it.
type Citation struct {
	URL   string `json:"url"`
	Quote string `json:"quote"`
}

// The pages the citations come from.
const (
	offloadingPage = "https://docs.chatlayer.ai/integrations/human-offloading-live-chat/offloading-webhook"
	webhookPage    = "https://docs.chatlayer.ai/channels/all-channels/webhook-api"
)

// The quoted sentences.
const (
	quote200     = "We expect a HTTP status code of 200 for every request made to the webservice."
	quoteHealth  = "You must send the response as described in the Response tab."
	quoteOffload = "For successful offloading, we expect following response"
	quoteChannel = "When a user message is sent to the Webhook message API, the bot response(s) will be sent to the customer Webhook endpoint URL."
)

// Sections of docs/CONTRACT.md the checks cite.
const (
	srcEveryRequest = "docs/CONTRACT.md §2.1"
	srcHealth       = "docs/CONTRACT.md §2.2"
	srcMessages     = "docs/CONTRACT.md §2.3"
	srcBotItems     = "docs/CONTRACT.md §2.3, §3.2"
	srcOffload      = "docs/CONTRACT.md §2.4"
	srcTranscript   = "docs/CONTRACT.md §2.4, §4"
	srcToken        = "docs/CONTRACT.md §2.5"
	srcHandback     = "docs/CONTRACT.md §2.7"
	srcChannel      = "docs/CONTRACT.md §3.1, §3.2"
	srcEventKind    = "docs/CONTRACT.md §3.2"
	srcChannelToken = "docs/CONTRACT.md §3.3"
	srcChannelMore  = "docs/CONTRACT.md §3.4, §4"
	srcRobust       = "docs/CONTRACT.md §4"
	srcLatency      = "docs/CONTRACT.md §2.1, §4"
	srcChannelTime  = "docs/CONTRACT.md §3.1, §4"
)

// cite200 is the offloading page's "200 for every request".
func cite200() Citation { return Citation{URL: offloadingPage, Quote: quote200} }

// citeChannel is the Webhook channel page's delivery sentence.
func citeChannel() Citation { return Citation{URL: webhookPage, Quote: quoteChannel} }
