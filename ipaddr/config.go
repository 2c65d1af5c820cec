package ipaddr

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Config sets how coarse truncation is and which proxies may speak for the
// client.
type Config struct {
	// V4Bits and V6Bits are the prefix lengths kept: 0 means the default
	// (24 and 48). Only coarser values are valid (8..24 and 16..48).
	V4Bits, V6Bits int
	// TrustedProxies are the networks whose forwarding headers are believed.
	// A connection from anywhere else is the client itself, whatever headers
	// it sends. Empty means no proxy is trusted.
	TrustedProxies []netip.Prefix
	// ClientHeader is the one header the client address is read from when
	// the connection comes from a trusted proxy: X-Forwarded-For (the
	// default), Forwarded or X-Real-IP. Only one is ever read: a proxy that
	// sets X-Real-IP passes a client's own X-Forwarded-For through, so
	// reading both would let the client choose.
	ClientHeader Header
}

// Header names a forwarding header.
type Header string

// The forwarding headers a client address can be read from.
const (
	HeaderXForwardedFor Header = "X-Forwarded-For"
	HeaderForwarded     Header = "Forwarded"
	HeaderXRealIP       Header = "X-Real-IP"
)

// ParseHeader reads a header name, in any letter case.
func ParseHeader(s string) (Header, error) {
	for _, h := range []Header{HeaderXForwardedFor, HeaderForwarded, HeaderXRealIP} {
		if strings.EqualFold(strings.TrimSpace(s), string(h)) {
			return h, nil
		}
	}
	return "", fmt.Errorf("ipaddr: client address header %q: want X-Forwarded-For, Forwarded or X-Real-IP", s)
}

// Validate reports the first setting that would weaken the privacy contract
// or cannot work.
func (c Config) Validate() error {
	if c.V4Bits != 0 && (c.V4Bits < MinV4Bits || c.V4Bits > DefaultV4Bits) {
		return fmt.Errorf("ipaddr: IPv4 truncation %d bits: want %d..%d (coarser than /%d only)",
			c.V4Bits, MinV4Bits, DefaultV4Bits, DefaultV4Bits)
	}
	if c.V6Bits != 0 && (c.V6Bits < MinV6Bits || c.V6Bits > DefaultV6Bits) {
		return fmt.Errorf("ipaddr: IPv6 truncation %d bits: want %d..%d (coarser than /%d only)",
			c.V6Bits, MinV6Bits, DefaultV6Bits, DefaultV6Bits)
	}
	if c.ClientHeader != "" {
		if _, err := ParseHeader(string(c.ClientHeader)); err != nil {
			return err
		}
	}
	for i, p := range c.TrustedProxies {
		if !p.IsValid() {
			return fmt.Errorf("ipaddr: trusted proxy #%d: invalid prefix", i+1)
		}
	}
	return nil
}

// ParsePrefixes parses trusted proxy networks given as CIDRs ("10.0.0.0/8",
// "2001:db8::/32") or bare addresses ("192.0.2.7", taken as a single host).
// Blank entries are skipped. Host bits are masked off, and IPv4-mapped IPv6
// forms are turned into IPv4 so they match unmapped connection addresses.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := parsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("ipaddr: trusted proxy %q: %w", s, err)
		}
		out = append(out, p)
	}
	return out, nil
}

var errZone = errors.New("zones (%iface) are not allowed")

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "%") {
		return netip.Prefix{}, errZone
	}
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, errors.New("not an IP address or CIDR")
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, errors.New("not a valid CIDR (want e.g. 10.0.0.0/8 or 2001:db8::/32)")
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return netip.Prefix{}, errors.New("IPv4-mapped prefix shorter than /96")
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}
