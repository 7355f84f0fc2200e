package egress

import "net/netip"

// prefixes parses CIDR literals; a typo panics at init, where tests see it.
func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

var (
	// metadata are cloud metadata services outside link-local: AWS's
	// IPv6 address and Alibaba Cloud's. The link-local ones
	// (169.254.169.254, 169.254.170.2) are refused as link-local.
	metadata = []netip.Addr{netip.MustParseAddr("fd00:ec2::254"), netip.MustParseAddr("100.100.100.200")}
	// reserved are IPv4 "this network" and the old class E.
	reserved = prefixes("0.0.0.0/8", "240.0.0.0/4")
	// nat64 embeds an IPv4 address in its last 32 bits (RFC 6052).
	nat64 = netip.MustParsePrefix("64:ff9b::/96")
	// special are special-purpose blocks that hold no public endpoint:
	// shared address space, IETF protocol assignments, benchmarking,
	// documentation, and IPv6 discard, documentation and ORCHIDv2.
	special = prefixes("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15",
		"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
		"100::/64", "2001:db8::/32", "2001:20::/28")
)

// alwaysRefused names the class of an address that no policy but Any
// allows, or returns "".
func alwaysRefused(ip netip.Addr) string {
	if class := embedded(ip, alwaysRefused); class != "" {
		return class
	}
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsMulticast():
		return "multicast"
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, m := range metadata {
		if ip == m {
			return "cloud metadata"
		}
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return "reserved"
		}
	}
	return ""
}

// nonPublic names the class of an address that is not public unicast, or
// returns "".
func nonPublic(ip netip.Addr) string {
	if class := embedded(ip, nonPublic); class != "" {
		return class
	}
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case !ip.IsGlobalUnicast():
		return "non-unicast"
	}
	for _, p := range special {
		if p.Contains(ip) {
			return "special-purpose"
		}
	}
	return ""
}

// embedded classifies the IPv4 address a NAT64 address embeds, which is
// where a connection to it ends up; "" when ip is not NAT64 or classify
// names no class.
func embedded(ip netip.Addr, classify func(netip.Addr) string) string {
	if !nat64.Contains(ip) {
		return ""
	}
	b := ip.As16()
	if class := classify(netip.AddrFrom4([4]byte(b[12:]))); class != "" {
		return "NAT64-embedded " + class
	}
	return ""
}
