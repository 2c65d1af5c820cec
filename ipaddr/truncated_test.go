package ipaddr

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name           string
		in             string
		v4Bits, v6Bits int
		want           string
	}{
		{"v4 default", "203.0.113.77", 0, 0, "203.0.113.0"},
		{"v4 already network", "203.0.113.0", 0, 0, "203.0.113.0"},
		{"v4 coarser 16", "203.0.113.77", 16, 0, "203.0.0.0"},
		{"v4 coarsest 8", "203.0.113.77", 8, 0, "203.0.0.0"},
		{"v4 finer clamped to 24", "203.0.113.77", 32, 0, "203.0.113.0"},
		{"v4 too coarse clamped to 8", "203.0.113.77", 1, 0, "203.0.0.0"},
		{"v4 negative means minimum", "203.0.113.77", -5, 0, "203.0.0.0"},
		{"v6 default", "2001:db8:abcd:12:1:2:3:4", 0, 0, "2001:db8:abcd::"},
		{"v6 coarser 32", "2001:db8:abcd:12:1:2:3:4", 0, 32, "2001:db8::"},
		{"v6 finer clamped", "2001:db8:abcd:12:1:2:3:4", 0, 128, "2001:db8:abcd::"},
		{"v6 too coarse clamped", "2001:db8:abcd:12::1", 0, 4, "2001::"},
		{"v4-mapped is v4", "::ffff:198.51.100.9", 0, 0, "198.51.100.0"},
		{"v4-mapped honours v4 bits", "::ffff:198.51.100.9", 16, 48, "198.51.0.0"},
		{"zone dropped", "fe80::1:2:3:4%eth0", 0, 0, "fe80::"},
		{"loopback", "127.0.0.1", 0, 0, "127.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(netip.MustParseAddr(tt.in), tt.v4Bits, tt.v6Bits)
			if !got.IsValid() {
				t.Fatal("invalid result")
			}
			if got.Addr().String() != tt.want {
				t.Errorf("Truncate(%s) = %s, want %s", tt.in, got.Addr(), tt.want)
			}
			if got.Addr().Zone() != "" {
				t.Errorf("zone kept: %q", got.Addr().Zone())
			}
		})
	}
}

func TestTruncateInvalid(t *testing.T) {
	got := Truncate(netip.Addr{}, 0, 0)
	if got.IsValid() || got.Is4() {
		t.Fatalf("invalid input gave %v", got.Addr())
	}
	if b := got.AppendTo(nil); len(b) != 0 {
		t.Fatalf("AppendTo of zero Truncated = %v", b)
	}
}

func TestAppendTo(t *testing.T) {
	v4 := Truncate(netip.MustParseAddr("192.0.2.200"), 0, 0)
	if got := v4.AppendTo([]byte{9}); !bytes.Equal(got, []byte{9, 192, 0, 2, 0}) {
		t.Errorf("v4 AppendTo = %v", got)
	}
	if !v4.Is4() {
		t.Error("Is4 = false for IPv4")
	}
	v6 := Truncate(netip.MustParseAddr("2001:db8:1:2:3:4:5:6"), 0, 0)
	got := v6.AppendTo(nil)
	want := []byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if !bytes.Equal(got, want) {
		t.Errorf("v6 AppendTo = %x, want %x", got, want)
	}
	if v6.Is4() {
		t.Error("Is4 = true for IPv6")
	}
}

// DESIGN §1.1: no IP, full or truncated, in any log line.
func TestTruncatedNeverPrints(t *testing.T) {
	tr := Truncate(netip.MustParseAddr("198.51.100.23"), 0, 0)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out := fmt.Sprintf(verb, tr)
		if strings.Contains(out, "198") || strings.Contains(out, "c6") {
			t.Errorf("fmt %s printed %q", verb, out)
		}
	}
	wrapped := fmt.Sprintf("%+v", struct{ IP Truncated }{tr})
	if strings.Contains(wrapped, "198") {
		t.Errorf("nested %%+v printed %q", wrapped)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("hit", "ip", tr)
	if strings.Contains(buf.String(), "198") {
		t.Errorf("slog printed %q", buf.String())
	}
}

func BenchmarkTruncate(b *testing.B) {
	v4 := netip.MustParseAddr("203.0.113.77")
	v6 := netip.MustParseAddr("2001:db8:abcd:12:1:2:3:4")
	b.ReportAllocs()
	for b.Loop() {
		_ = Truncate(v4, 0, 0)
		_ = Truncate(v6, 0, 0)
	}
}
