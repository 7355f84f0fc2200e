package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// answer is what one exchange received.
type answer struct {
	status    int
	location  string
	body      []byte // read bytes: KeepBytes, or up to MaxRead when Accept is set
	truncated bool   // the answer was longer than MaxRead
}

// attempt makes attempt n of c under ctx and returns its record and the
// bytes of the answer that were read: KeepBytes, or up to MaxRead when the
// request has an Accept hook.
func (d *Dispatcher) attempt(ctx context.Context, c *call, n int) (Attempt, []byte) {
	a := Attempt{N: n, At: d.cfg.Now()}
	start := time.Now()
	actx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	ans, err := d.exchange(actx, c)
	cancel()
	a.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	a.Status = ans.status
	a.Location = c.mask.String(ans.location)
	a.Response = c.mask.Excerpt(ans.body, int(d.cfg.KeepBytes))
	switch {
	case err != nil:
		a.ErrorKind = d.classify(ctx, actx, err)
		a.Error = c.mask.String(errorText(a.ErrorKind, err))
	default:
		a.ErrorKind, a.Error = judge(c, ans)
	}
	return a, ans.body
}

// exchange sends one request and reads its answer within ctx.
func (d *Dispatcher) exchange(ctx context.Context, c *call) (answer, error) {
	resp, err := d.client.Do(c.httpRequest(ctx, d.client.Jar != nil))
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	ans := answer{status: resp.StatusCode, location: resp.Header.Get("Location")}
	keep := d.cfg.KeepBytes
	if c.req.Accept != nil {
		keep = d.cfg.MaxRead
	}
	ans.body, ans.truncated, err = readCapped(resp.Body, d.cfg.MaxRead, keep)
	return ans, err
}

// readCapped keeps the first keep bytes of r and reads on, discarding, up to
// maxRead bytes in all. It reports whether r held more than maxRead bytes.
func readCapped(r io.Reader, maxRead, keep int64) ([]byte, bool, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, keep))
	if err != nil {
		return buf.Bytes(), false, err
	}
	rest, err := io.Copy(io.Discard, io.LimitReader(r, maxRead-keep+1))
	return buf.Bytes(), n+rest > maxRead, err
}

// judge classifies a complete answer: its status, then the Accept hook.
func judge(c *call, ans answer) (ErrorKind, string) {
	switch s := ans.status; {
	case s >= 300 && s < 400:
		return FailRedirect, fmt.Sprintf("status %d: redirect to %q not followed", s, c.mask.String(ans.location))
	case s >= 400 && s < 500:
		return Fail4xx, fmt.Sprintf("status %d %s", s, http.StatusText(s))
	case s < 200 || s >= 300:
		return Fail5xx, fmt.Sprintf("status %d %s", s, http.StatusText(s))
	}
	if c.req.Accept != nil {
		if err := c.req.Accept(ans.status, ans.body); err != nil {
			return FailBadResponse, "answer refused: " + c.mask.String(err.Error())
		}
	}
	if ans.truncated {
		return ResponseTruncated, "answer longer than the read cap; the rest was not read"
	}
	return "", ""
}

// classify names the cause of a transport error. ctx is the delivery's
// context, actx the attempt's.
func (d *Dispatcher) classify(ctx, actx context.Context, err error) ErrorKind {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var refused *egress.RefusedError
	switch {
	case d.stop.Err() != nil:
		return FailShutdown
	case errors.As(err, &refused):
		return FailEgress
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return FailCanceled
	case ctx.Err() != nil, errors.Is(actx.Err(), context.DeadlineExceeded), isTimeout(err):
		return FailTimeout
	case errors.As(err, &dnsErr):
		return FailDNS
	case isTLS(err):
		return FailTLS
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return FailConnect
	}
	return FailIO
}

// errorText is the Attempt.Error of a transport error.
func errorText(kind ErrorKind, err error) string {
	if kind == FailShutdown {
		return shutdown
	}
	return err.Error()
}

// isTimeout reports a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isTLS reports a TLS handshake or certificate error.
func isTLS(err error) bool {
	var (
		recErr   tls.RecordHeaderError
		alertErr tls.AlertError
		verErr   *tls.CertificateVerificationError
		authErr  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		certErr  x509.CertificateInvalidError
	)
	return errors.As(err, &recErr) || errors.As(err, &alertErr) || errors.As(err, &verErr) ||
		errors.As(err, &authErr) || errors.As(err, &hostErr) || errors.As(err, &certErr)
}
