// Package egress decides which addresses the emulator may connect to when
// it calls a user's endpoint: webhook channels, offloading providers and
// API plugins, and, in the conformance suite, the endpoint under test.
//
// Those URLs come from scenario files and from the control API, which is
// open when no admin token is set. Without a policy, whoever can reach the
// control API could point a webhook at a cloud metadata service and read
// its answer back from the delivery journal. The policy is applied to the
// address actually dialled, after DNS resolution, on every connection, so
// a name that resolves to a refused address (DNS rebinding included) is
// refused too.
package egress

import (
	"fmt"
	"net/netip"
	"syscall"
)

// Policy names which addresses may be dialled. The zero value is Default.
type Policy string

// The policies.
const (
	// Default allows loopback, private and public addresses, which is
	// where a developer's or a CI job's endpoints live, and refuses the
	// addresses no endpoint should be at: link-local (169.254.0.0/16,
	// fe80::/10, with the cloud metadata services), the cloud metadata
	// addresses outside link-local, unspecified, multicast, broadcast and
	// reserved addresses.
	Default Policy = "default"
	// Public also refuses loopback, private, shared (100.64.0.0/10) and
	// other special-purpose addresses: only public unicast addresses may
	// be dialled.
	Public Policy = "public"
	// Any refuses nothing. Some container runtimes put the host at a
	// link-local address (Podman's host.containers.internal with pasta).
	Any Policy = "any"
)

// Parse returns the policy named s; "" is Default.
func Parse(s string) (Policy, error) {
	switch p := Policy(s); p {
	case "":
		return Default, nil
	case Default, Public, Any:
		return p, nil
	}
	return "", fmt.Errorf("egress policy %q: want default, public or any", s)
}

// String returns the policy's name.
func (p Policy) String() string { return string(p.normal()) }

// Set implements flag.Value.
func (p *Policy) Set(s string) error {
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// RefusedError reports a connection the policy refused.
type RefusedError struct {
	Policy Policy
	Addr   netip.Addr
	Class  string // what kind of address it is: "link-local", "loopback", …
}

// Error names the address, why it is refused and how to allow it: only
// Any allows what every policy refuses.
func (e *RefusedError) Error() string {
	hint := "--egress any allows it"
	if alwaysRefused(e.Addr) == "" {
		hint = "--egress default or any allows it"
	}
	return fmt.Sprintf("egress policy %s refuses %s (%s address; %s)", e.Policy, e.Addr, e.Class, hint)
}

// Check returns a *RefusedError when p refuses to connect to ip.
func (p Policy) Check(ip netip.Addr) error {
	if p == Any {
		return nil
	}
	ip = ip.WithZone("").Unmap()
	if class := alwaysRefused(ip); class != "" {
		return &RefusedError{Policy: p.normal(), Addr: ip, Class: class}
	}
	if p == Public {
		if class := nonPublic(ip); class != "" {
			return &RefusedError{Policy: p, Addr: ip, Class: class}
		}
	}
	return nil
}

// Control checks the address a net.Dialer is about to connect to; it is
// the dialer's Control hook. An address that is not an IP (a Unix socket)
// is refused by every policy but Any.
func (p Policy) Control(network, address string, _ syscall.RawConn) error {
	if p == Any {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("egress policy %s: %s address %q is not an IP address and port", p, network, address)
	}
	return p.Check(ap.Addr())
}

// normal returns p, with the zero value named Default.
func (p Policy) normal() Policy {
	if p == "" {
		return Default
	}
	return p
}
