package delivery

import (
	"errors"
	"net/http"
	"time"
)

// Kind says which integration point a delivery serves.
type Kind string

// The integration points the emulator calls.
const (
	KindChannel    Kind = "channel"    // bot message to a Webhook-channel URL
	KindOffloading Kind = "offloading" // event to the offloading webhook
	KindPlugin     Kind = "plugin"     // API-plugin ("API" action) call
)

// State is where a delivery is in its life.
type State string

// The states of a delivery. Delivered and failed are terminal.
const (
	StatePending   State = "pending"
	StateDelivered State = "delivered"
	StateFailed    State = "failed"
)

// ErrorKind classifies the outcome of one attempt.
type ErrorKind string

// The attempt outcomes. An empty ErrorKind means the attempt succeeded.
// ResponseTruncated is informational: the attempt succeeded but the answer
// was longer than Config.MaxRead.
const (
	FailTimeout       ErrorKind = "timeout"            // per-attempt deadline expired
	FailConnect       ErrorKind = "connect_error"      // the connection could not be made
	FailDNS           ErrorKind = "dns_error"          // the host name did not resolve
	FailTLS           ErrorKind = "tls_error"          // the TLS handshake or certificate check failed
	Fail4xx           ErrorKind = "http_4xx"           // 4xx status
	Fail5xx           ErrorKind = "http_5xx"           // 5xx status, or any other non-2xx, non-3xx status
	FailRedirect      ErrorKind = "redirect"           // 3xx status; never followed
	FailIO            ErrorKind = "io_error"           // reset, EOF or another transport error
	FailBadResponse   ErrorKind = "bad_response"       // Request.Accept refused a 2xx answer
	FailShutdown      ErrorKind = "shutdown"           // interrupted by Dispatcher.Close
	FailCanceled      ErrorKind = "canceled"           // the context given to Do was canceled
	FailEgress        ErrorKind = "egress_refused"     // Config.Egress refused the address; not retried
	ResponseTruncated ErrorKind = "response_truncated" // success, answer cut at MaxRead
)

// HeaderDeliveryID is the emulator-only header that carries the delivery id.
// It is the same on every attempt of one delivery.
const HeaderDeliveryID = "X-Emulator-Delivery-Id"

// userAgent is sent on every request.
const userAgent = "chatlayer-emulator"

// shutdown is the Delivery.Error of deliveries ended by Close.
const shutdown = "shutdown"

var (
	// ErrClosed is returned by Enqueue after Close.
	ErrClosed = errors.New("delivery: dispatcher closed")
	// ErrInvalidRequest is wrapped by Enqueue errors about a malformed Request.
	ErrInvalidRequest = errors.New("delivery: invalid request")
)

// Request is one HTTP call to make to a user's endpoint.
type Request struct {
	Kind         Kind
	Bot          string // for the journal and filters
	Conversation string // for the journal and filters
	// Key is the ordering key; "" means Bot+"/"+Conversation.
	Key    string
	Method string // "" means POST
	URL    string // absolute http or https URL
	// Header holds extra headers. Content-Type application/json is added
	// when Body is not nil and Header has none. User-Agent and
	// X-Emulator-Delivery-Id are always set by the dispatcher.
	Header http.Header
	Body   []byte
	// Secrets are values masked as "***" in the journal and the logs.
	Secrets []string
	// NoRetry makes a single attempt (API-plugin calls).
	NoRetry bool
	// Accept, if set, checks a 2xx answer (status and the body read, up to
	// MaxRead bytes). An error fails the attempt with FailBadResponse.
	Accept func(status int, body []byte) error
	// OnDone, if set, is called once, from the delivering goroutine, when
	// the delivery is terminal.
	OnDone func(Delivery)
}

// Delivery is the journal record of one Request. Values handed out by the
// dispatcher and the journal are copies.
type Delivery struct {
	ID           string      `json:"id"` // "d-000001", sequential per Dispatcher
	Seq          int64       `json:"seq"`
	Kind         Kind        `json:"kind"`
	Bot          string      `json:"bot,omitempty"`
	Conversation string      `json:"conversation,omitempty"`
	Method       string      `json:"method"`
	URL          string      `json:"url"`                   // secrets masked
	Header       http.Header `json:"header,omitempty"`      // request headers sent, secrets masked
	RequestBody  string      `json:"requestBody,omitempty"` // secrets masked
	State        State       `json:"state"`
	Attempts     []Attempt   `json:"attempts"`
	CreatedAt    time.Time   `json:"createdAt"`
	CompletedAt  time.Time   `json:"completedAt,omitzero"`
	// Status is the status of the last answer, 0 if none was received.
	Status int `json:"status,omitempty"`
	// Error says why a failed delivery failed: the last attempt's error, or
	// "shutdown" when Close ended it. Empty unless State is failed.
	Error string `json:"error,omitempty"`
	// ResponseBody is the kept part of the last answer, unmasked. It is
	// never serialized.
	ResponseBody []byte `json:"-"`
}

// Terminal reports whether the delivery is delivered or failed.
func (d Delivery) Terminal() bool {
	return d.State == StateDelivered || d.State == StateFailed
}

// Attempt is one HTTP exchange of a delivery.
type Attempt struct {
	N         int       `json:"n"` // 1-based
	At        time.Time `json:"at"`
	Status    int       `json:"status,omitempty"`
	LatencyMS float64   `json:"latencyMs"`
	Error     string    `json:"error,omitempty"` // secrets masked
	ErrorKind ErrorKind `json:"errorKind,omitempty"`
	Location  string    `json:"location,omitempty"` // Location of a 3xx, masked
	Response  string    `json:"response,omitempty"` // first KeepBytes of the answer, masked
}

// Failed reports whether the attempt counts as a failure.
func (a Attempt) Failed() bool {
	return a.ErrorKind != "" && a.ErrorKind != ResponseTruncated
}
