package egress_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// target is one row of the hostile-address matrix: the class the Default
// and Public policies must name ("" when they allow the address).
type target struct {
	addr         string
	dflt, public string
}

var matrix = []target{
	{"169.254.169.254", "link-local", "link-local"}, // AWS, GCP, Azure, OCI metadata
	{"169.254.170.2", "link-local", "link-local"},   // ECS task metadata
	{"169.254.1.2", "link-local", "link-local"},
	{"fe80::1", "link-local", "link-local"},
	{"fd00:ec2::254", "cloud metadata", "cloud metadata"},
	{"100.100.100.200", "cloud metadata", "cloud metadata"},
	{"0.0.0.0", "unspecified", "unspecified"},
	{"::", "unspecified", "unspecified"},
	{"0.1.2.3", "reserved", "reserved"},
	{"240.0.0.1", "reserved", "reserved"},
	{"255.255.255.255", "broadcast", "broadcast"},
	{"224.0.0.1", "multicast", "multicast"},
	{"239.255.255.250", "multicast", "multicast"},
	{"ff02::1", "multicast", "multicast"},
	{"::ffff:169.254.169.254", "link-local", "link-local"}, // IPv4-mapped
	{"::ffff:0.0.0.0", "unspecified", "unspecified"},
	{"64:ff9b::a9fe:a9fe", "NAT64-embedded link-local", "NAT64-embedded link-local"},
	{"64:ff9b::7f00:1", "", "NAT64-embedded loopback"},
	{"127.0.0.1", "", "loopback"},
	{"127.1.2.3", "", "loopback"},
	{"::1", "", "loopback"},
	{"::ffff:127.0.0.1", "", "loopback"},
	{"10.0.0.1", "", "private"},
	{"172.16.5.4", "", "private"},
	{"192.168.65.254", "", "private"}, // Docker Desktop's host.docker.internal
	{"fd12:3456::1", "", "private"},
	{"100.64.0.1", "", "special-purpose"},
	{"192.0.0.8", "", "special-purpose"},
	{"198.18.0.1", "", "special-purpose"},
	{"192.0.2.1", "", "special-purpose"},
	{"2001:db8::1", "", "special-purpose"},
	{"8.8.8.8", "", ""},
	{"93.184.216.34", "", ""},
	{"2606:4700::1111", "", ""},
	{"64:ff9b::808:808", "", ""}, // NAT64 of a public address
}

// TestPolicyMatrix checks every policy against the hostile-address matrix.
func TestPolicyMatrix(t *testing.T) {
	for _, tc := range matrix {
		ip := netip.MustParseAddr(tc.addr)
		for _, c := range []struct {
			p    egress.Policy
			want string
		}{{"", tc.dflt}, {egress.Default, tc.dflt}, {egress.Public, tc.public}, {egress.Any, ""}} {
			err := c.p.Check(ip)
			var re *egress.RefusedError
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s under %q: refused (%v), want allowed", tc.addr, c.p, err)
			case c.want != "" && !errors.As(err, &re):
				t.Errorf("%s under %q: %v, want refused as %s", tc.addr, c.p, err, c.want)
			case c.want != "" && re.Class != c.want:
				t.Errorf("%s under %q: refused as %q, want %q", tc.addr, c.p, re.Class, c.want)
			}
		}
	}
}

// TestRefusedErrorSaysHowToAllow checks the message a user reads in the
// delivery journal: the policy, the address, its class and the flag.
func TestRefusedErrorSaysHowToAllow(t *testing.T) {
	err := egress.Policy("").Check(netip.MustParseAddr("169.254.169.254"))
	want := "egress policy default refuses 169.254.169.254 (link-local address; --egress any allows it)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	err = egress.Public.Check(netip.MustParseAddr("10.1.2.3"))
	if err == nil || !strings.Contains(err.Error(), "--egress default or any allows it") {
		t.Fatalf("error %v, want the hint for public", err)
	}
	// Under public, an address every policy refuses is allowed by any only.
	err = egress.Public.Check(netip.MustParseAddr("169.254.169.254"))
	want = "egress policy public refuses 169.254.169.254 (link-local address; --egress any allows it)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}

// TestParse checks the names a flag accepts.
func TestParse(t *testing.T) {
	for in, want := range map[string]egress.Policy{"": egress.Default, "default": egress.Default, "public": egress.Public, "any": egress.Any} {
		if got, err := egress.Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"strict", "Any", "off", " default"} {
		if _, err := egress.Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
	var p egress.Policy
	if err := p.Set("public"); err != nil || p != egress.Public || p.String() != "public" {
		t.Errorf("Set(public): %q, %v", p, err)
	}
	if egress.Policy("").String() != "default" {
		t.Error(`Policy("").String() is not "default"`)
	}
}

// TestControl checks the dialer hook's parsing of the addresses a dialer
// passes: zoned IPv6 and non-IP addresses.
func TestControl(t *testing.T) {
	for _, c := range []struct {
		p             egress.Policy
		network, addr string
		refused       bool
	}{
		{egress.Default, "tcp6", "[fe80::1%eth0]:80", true},
		{egress.Default, "tcp4", "127.0.0.1:8080", false},
		{egress.Public, "tcp4", "127.0.0.1:8080", true},
		{egress.Default, "unix", "/var/run/docker.sock", true},
		{egress.Any, "unix", "/var/run/docker.sock", false},
		{egress.Any, "tcp4", "169.254.169.254:80", false},
	} {
		if err := c.p.Control(c.network, c.addr, nil); (err != nil) != c.refused {
			t.Errorf("%s Control(%s, %s) = %v, want refused %v", c.p, c.network, c.addr, err, c.refused)
		}
	}
}

// TestDialChecksTheResolvedAddress dials a name, not an address: the hook
// sees what the name resolved to, so a name that resolves to a refused
// address is refused (which is what defeats DNS rebinding).
func TestDialChecksTheResolvedAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	dial := func(p egress.Policy) error {
		d := &net.Dialer{Control: p.Control}
		c, err := d.DialContext(context.Background(), "tcp4", net.JoinHostPort("localhost", port))
		if err == nil {
			c.Close()
		}
		return err
	}
	if err := dial(egress.Default); err != nil {
		t.Fatalf("default policy refused localhost: %v", err)
	}
	var re *egress.RefusedError
	if err := dial(egress.Public); !errors.As(err, &re) || re.Class != "loopback" {
		t.Fatalf("public policy dialling localhost: %v, want refused as loopback", err)
	}
}

// FuzzCheck checks that no address makes Check panic, that Any allows
// everything, and that Public refuses everything Default refuses.
func FuzzCheck(f *testing.F) {
	for _, tc := range matrix {
		f.Add(netip.MustParseAddr(tc.addr).AsSlice())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ip, ok := netip.AddrFromSlice(b)
		if !ok {
			return
		}
		if err := egress.Any.Check(ip); err != nil {
			t.Fatalf("any refused %s", ip)
		}
		if egress.Default.Check(ip) != nil && egress.Public.Check(ip) == nil {
			t.Fatalf("public allows %s, which default refuses", ip)
		}
	})
}
