package delivery

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
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
	// tmpl is the request validate built: every attempt is a copy of it,
	// so that the URL is parsed once per call.
	tmpl *http.Request
	// sync is set for Do, whose caller reads the terminal record.
	sync   bool
	answer []byte // the last answer read; written by the delivering goroutine only
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
	c.header = callHeader(r)
	return c
}

// callHeader copies r.Header and sets the dispatcher's headers. Their
// values share one array, each slice capped at its length, so that an
// append to one cannot reach the next.
func callHeader(r Request) http.Header {
	h := make(http.Header, len(r.Header)+3)
	for k, vs := range r.Header {
		h[k] = slices.Clone(vs)
	}
	own := make([]string, 0, 3)
	set := func(key, value string) {
		own = append(own, value)
		h[key] = own[len(own)-1 : len(own) : len(own)]
	}
	if r.Body != nil && h.Get("Content-Type") == "" {
		set("Content-Type", "application/json")
	}
	set("User-Agent", userAgent)
	set(HeaderDeliveryID, "") // its value comes with the id
	return h
}

// validate reports a Request that can never be sent, with secrets masked,
// and keeps the request it built for the attempts.
func (c *call) validate() error {
	req, err := http.NewRequest(c.method, c.req.URL, nil)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidRequest, c.mask.String(err.Error()))
	}
	if u := req.URL; (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: URL %q is not an absolute http(s) URL", ErrInvalidRequest, c.mask.String(c.req.URL))
	}
	c.tmpl = req
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
	c.header[HeaderDeliveryID][0] = id
}

// httpRequest builds the request of one attempt from the template. The
// header is shared unless the client has a cookie jar, which adds to it:
// nothing else on the client's path writes to a request's header.
func (c *call) httpRequest(ctx context.Context, jar bool) *http.Request {
	req := c.tmpl.WithContext(ctx)
	req.Header = c.header
	if jar {
		req.Header = c.header.Clone()
	}
	// The body fields as http.NewRequest sets them for a *bytes.Reader,
	// without parsing the URL again.
	switch body := c.req.Body; {
	case body == nil:
	case len(body) == 0:
		req.Body, req.GetBody = http.NoBody, func() (io.ReadCloser, error) { return http.NoBody, nil }
	default:
		req.ContentLength = int64(len(body))
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return req
}
