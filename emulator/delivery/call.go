package delivery

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// call is one Request being delivered, with everything derived from it once.
type call struct {
	id          string
	req         Request
	key         string      // ordering key
	method      string      // defaulted
	header      http.Header // sent on every attempt; read-only once the id is set
	mask        masker
	maxAttempts int
	answer      []byte // the last answer read; written by the delivering goroutine only
}

// newCall prepares r for delivery under cfg.
func newCall(r Request, cfg Config) *call {
	c := &call{req: r, key: r.Key, method: r.Method, mask: newMasker(r.Secrets), maxAttempts: 1 + cfg.Retries}
	if c.key == "" {
		c.key = r.Bot + "/" + r.Conversation
	}
	if c.method == "" {
		c.method = http.MethodPost
	}
	if r.NoRetry {
		c.maxAttempts = 1
	}
	c.header = r.Header.Clone()
	if c.header == nil {
		c.header = make(http.Header)
	}
	if r.Body != nil && c.header.Get("Content-Type") == "" {
		c.header.Set("Content-Type", "application/json")
	}
	c.header.Set("User-Agent", userAgent)
	return c
}

// validate reports a Request that can never be sent, with secrets masked.
func (c *call) validate() error {
	u, err := url.Parse(c.req.URL)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidRequest, c.mask.String(err.Error()))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: URL %q is not an absolute http(s) URL", ErrInvalidRequest, c.mask.String(c.req.URL))
	}
	if _, err := http.NewRequest(c.method, c.req.URL, nil); err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidRequest, c.mask.String(err.Error()))
	}
	return nil
}

// record is the journal's first view of the call, secrets masked.
func (c *call) record() Delivery {
	return Delivery{
		Kind:         c.req.Kind,
		Bot:          c.req.Bot,
		Conversation: c.req.Conversation,
		Method:       c.method,
		URL:          c.mask.String(c.req.URL),
		Header:       c.mask.Header(c.header),
		RequestBody:  c.mask.String(string(c.req.Body)),
	}
}

// setID gives the call the id the journal assigned.
func (c *call) setID(id string) {
	c.id = id
	c.header.Set(HeaderDeliveryID, id)
}

// httpRequest builds the request of one attempt.
func (c *call) httpRequest(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if c.req.Body != nil {
		body = bytes.NewReader(c.req.Body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.req.URL, body)
	if err != nil {
		return nil, err
	}
	req.Header = c.header.Clone() // a client with a cookie jar adds to it
	return req, nil
}
