package ipaddr

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"zero is defaults", Config{}, ""},
		{"coarsest", Config{V4Bits: 8, V6Bits: 16}, ""},
		{"defaults explicit", Config{V4Bits: 24, V6Bits: 48}, ""},
		{"v4 finer", Config{V4Bits: 32}, "IPv4 truncation 32 bits"},
		{"v4 too coarse", Config{V4Bits: 4}, "IPv4 truncation 4 bits"},
		{"v4 negative", Config{V4Bits: -1}, "IPv4"},
		{"v6 finer", Config{V6Bits: 64}, "IPv6 truncation 64 bits"},
		{"v6 too coarse", Config{V6Bits: 8}, "IPv6"},
		{"invalid prefix", Config{TrustedProxies: []netip.Prefix{{}}}, "trusted proxy #1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			_, nerr := NewResolver(tt.cfg)
			if (err == nil) != (nerr == nil) {
				t.Fatalf("NewResolver error %v disagrees with Validate %v", nerr, err)
			}
		})
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes([]string{
		" 10.0.0.0/8 ", "192.0.2.7", "", "2001:db8::/32", "2001:db8::1",
		"172.16.5.4/12", "::ffff:198.51.100.0/120", "::ffff:203.0.113.9",
	})
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, p := range got {
		s = append(s, p.String())
	}
	want := []string{
		"10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "2001:db8::1/128",
		"172.16.0.0/12", "198.51.100.0/24", "203.0.113.9/32",
	}
	if !slices.Equal(s, want) {
		t.Fatalf("ParsePrefixes = %v, want %v", s, want)
	}
}

func TestParsePrefixesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.0.0.0/33", `"10.0.0.0/33": not a valid CIDR`},
		{"localhost", `"localhost": not an IP address or CIDR`},
		{"10.0.0.300", "not an IP address"},
		{"fe80::1%eth0", "zones"},
		{"::ffff:0:0/90", "shorter than /96"},
		{"10.0.0.0/", "not a valid CIDR"},
	}
	for _, tt := range tests {
		_, err := ParsePrefixes([]string{"192.0.2.1", tt.in})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePrefixes(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}
