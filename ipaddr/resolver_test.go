package ipaddr

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func testResolver(tb testing.TB) *Resolver {
	tb.Helper()
	trusted, err := ParsePrefixes([]string{"10.0.0.0/8", "2001:db8:ffff::/48", "127.0.0.1"})
	if err != nil {
		tb.Fatal(err)
	}
	r, err := NewResolver(Config{TrustedProxies: trusted})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// resolve runs a case's header through a resolver configured to read it:
// X-Forwarded-For when it is set, else Forwarded, else X-Real-IP.
func resolve(r *Resolver, remote netip.Addr, xff, fwd, real string) (Truncated, error) {
	rr := *r
	rr.header = HeaderXForwardedFor
	switch {
	case strings.TrimSpace(xff) != "":
	case fwd != "":
		rr.header, xff = HeaderForwarded, fwd
	default:
		rr.header, xff = HeaderXRealIP, real
	}
	return rr.Client(remote, xff)
}

func TestClient(t *testing.T) {
	r := testResolver(t)
	tests := []struct {
		name           string
		remote         string
		xff, fwd, real string
		want           string
	}{
		{"untrusted remote ignores headers", "198.51.100.7", "203.0.113.5", "for=203.0.113.6", "203.0.113.7", "198.51.100.0"},
		{"untrusted v6 remote", "2001:db8:1:2::9", "203.0.113.5", "", "", "2001:db8:1::"},
		{"trusted, no headers", "10.1.2.3", "", "", "", "10.1.2.0"},
		{"xff single", "10.1.2.3", "203.0.113.5", "", "", "203.0.113.0"},
		{"xff rightmost untrusted wins over forged left", "10.1.2.3", "1.1.1.1, 203.0.113.5", "", "", "203.0.113.0"},
		{"xff skips trusted hops", "10.1.2.3", "198.51.100.9, 10.9.9.9 ,10.8.8.8", "", "", "198.51.100.0"},
		{"xff v6 bracket port", "10.1.2.3", "[2001:db8:5:6::1]:443", "", "", "2001:db8:5::"},
		{"xff v6 bare", "10.1.2.3", "2001:db8:5:6::1", "", "", "2001:db8:5::"},
		{"xff v4 port", "10.1.2.3", "203.0.113.5:51234", "", "", "203.0.113.0"},
		{"xff v4-mapped", "10.1.2.3", "::ffff:203.0.113.5", "", "", "203.0.113.0"},
		{"xff malformed rightmost uses remote", "10.1.2.3", "203.0.113.5, garbage", "", "", "10.1.2.0"},
		{"xff malformed after trusted uses last trusted", "10.1.2.3", "203.0.113.5, bad, 10.7.7.7", "", "", "10.7.7.0"},
		{"xff empty element stops", "10.1.2.3", "203.0.113.5,,10.7.7.7", "", "", "10.7.7.0"},
		{"xff unknown stops", "10.1.2.3", "unknown", "", "", "10.1.2.0"},
		{"xff all trusted gives leftmost", "10.1.2.3", "10.4.4.4, 10.5.5.5", "", "", "10.4.4.0"},
		{"xff bad port", "10.1.2.3", "203.0.113.5:http", "", "", "10.1.2.0"},
		{"xff long port", "10.1.2.3", "203.0.113.5:1234567", "", "", "10.1.2.0"},
		{"xff unspecified", "10.1.2.3", "0.0.0.0", "", "", "10.1.2.0"},
		{"xff wins over forwarded", "10.1.2.3", "203.0.113.5", "for=198.51.100.1", "", "203.0.113.0"},
		{"xff whitespace only falls through", "10.1.2.3", "  ", "for=198.51.100.1", "", "198.51.100.0"},
		{"v6 trusted remote", "2001:db8:ffff::2", "203.0.113.5", "", "", "203.0.113.0"},
		{"v4-mapped trusted remote", "::ffff:10.1.2.3", "203.0.113.5", "", "", "203.0.113.0"},
		{"forwarded simple", "10.1.2.3", "", "for=192.0.2.60;proto=http;by=203.0.113.43", "", "192.0.2.0"},
		{"forwarded quoted v6 port", "10.1.2.3", "", `For="[2001:db8:cafe::17]:4711"`, "", "2001:db8:cafe::"},
		{"forwarded chain", "10.1.2.3", "", "for=1.1.1.1, for=192.0.2.43, for=10.2.2.2", "", "192.0.2.0"},
		{"forwarded obfuscated stops", "10.1.2.3", "", "for=192.0.2.43, for=_hidden", "", "10.1.2.0"},
		{"forwarded unknown after trusted", "10.1.2.3", "", "for=192.0.2.43, for=unknown, for=10.2.2.2", "", "10.2.2.0"},
		{"forwarded no for", "10.1.2.3", "", "proto=https;by=10.0.0.1", "", "10.1.2.0"},
		{"forwarded escaped quote", "10.1.2.3", "", `for="192.0.2.1\""`, "", "10.1.2.0"},
		{"forwarded spaces", "10.1.2.3", "", " proto=https ; for = 192.0.2.9 ", "", "192.0.2.0"},
		{"x-real-ip", "10.1.2.3", "", "", "198.51.100.77", "198.51.100.0"},
		{"x-real-ip v6", "127.0.0.1", "", "", "2001:db8:aa:bb::1", "2001:db8:aa::"},
		{"x-real-ip malformed", "10.1.2.3", "", "", "not-an-ip", "10.1.2.0"},
		{"loopback trusted only exact", "127.0.0.2", "203.0.113.5", "", "", "127.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolve(r, netip.MustParseAddr(tt.remote), tt.xff, tt.fwd, tt.real)
			if err != nil {
				t.Fatal(err)
			}
			if got.Addr().String() != tt.want {
				t.Errorf("Client = %s, want %s", got.Addr(), tt.want)
			}
		})
	}
}

func TestClientCoarser(t *testing.T) {
	trusted, _ := ParsePrefixes([]string{"10.0.0.0/8"})
	r, err := NewResolver(Config{V4Bits: 16, V6Bits: 32, TrustedProxies: trusted})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.Client(netip.MustParseAddr("10.0.0.1"), "203.0.113.5")
	if got.Addr().String() != "203.0.0.0" {
		t.Errorf("v4 = %s", got.Addr())
	}
	got, _ = r.Client(netip.MustParseAddr("2001:db8:1:2::3"), "")
	if got.Addr().String() != "2001:db8::" {
		t.Errorf("v6 = %s", got.Addr())
	}
	if got := r.Truncate(netip.MustParseAddr("198.51.100.1")); got.Addr().String() != "198.51.0.0" {
		t.Errorf("Truncate = %s", got.Addr())
	}
}

func TestClientNoTrust(t *testing.T) {
	r, err := NewResolver(Config{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.Client(netip.MustParseAddr("10.1.2.3"), "203.0.113.5")
	if got.Addr().String() != "10.1.2.0" {
		t.Errorf("no trusted proxies: got %s", got.Addr())
	}
	if _, err := r.Client(netip.Addr{}, ""); !errors.Is(err, ErrNoAddress) {
		t.Errorf("invalid remote: err = %v", err)
	}
}

func TestClientHopLimit(t *testing.T) {
	r := testResolver(t)
	xff := "203.0.113.5"
	for range 40 {
		xff += ", 10.0.0.1"
	}
	got, _ := r.Client(netip.MustParseAddr("10.1.2.3"), xff)
	if got.Addr().String() != "10.0.0.0" {
		t.Errorf("over-long chain: got %s, want the last trusted hop", got.Addr())
	}
}

func BenchmarkClient(b *testing.B) {
	r := testResolver(b)
	trusted := netip.MustParseAddr("10.1.2.3")
	direct := netip.MustParseAddr("198.51.100.7")
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = r.Client(direct, "")
		}
	})
	b.Run("xff", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = r.Client(trusted, "203.0.113.5, 10.9.9.9")
		}
	})
	fwd := *r
	fwd.header = HeaderForwarded
	b.Run("forwarded-v6", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = fwd.Client(trusted, `for="[2001:db8:cafe::17]:4711";proto=https`)
		}
	})
}
