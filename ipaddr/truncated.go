// Package ipaddr finds a hit's client address and truncates it before
// anything else sees it.
//
// Privacy property (DESIGN §1.2): IPs are truncated before any use. The full
// address of a visitor never leaves this package: the only form that does is
// Truncated, whose host bits are zero (IPv4 /24, IPv6 /48 by default, or
// coarser). GeoIP and the in-memory visitor hash see only that form, and it
// cannot be printed or logged by habit (DESIGN §1.1: no IP, full or
// truncated, in any log line).
package ipaddr

import (
	"fmt"
	"log/slog"
	"net/netip"
)

// Default and coarsest allowed truncation lengths, in prefix bits. Finer
// than the defaults is not allowed: the privacy contract sets a floor.
const (
	DefaultV4Bits = 24
	DefaultV6Bits = 48
	MinV4Bits     = 8
	MinV6Bits     = 16
)

// redacted is what every formatting of a Truncated prints.
const redacted = "[ip redacted]"

// Truncated is an IP address with its host bits zeroed. It is the only IP
// form that leaves this package.
//
// It deliberately has no String method, and its Format and LogValue print a
// fixed placeholder: a truncated address is still an address, and DESIGN
// §1.1 keeps every IP out of log lines and metric labels. Code that truly
// needs the value (GeoIP, the visitor hash) asks for it with Addr or
// AppendTo, which is visible in review.
type Truncated struct {
	addr netip.Addr
}

// Truncate zeroes the host bits of ip: IPv4 (and IPv4-mapped IPv6, which is
// unmapped first) keeps v4Bits, IPv6 keeps v6Bits. Bit counts finer than the
// defaults are clamped to the defaults and coarser than the minimums to the
// minimums, so no caller can weaken the contract by configuration. Zero bit
// counts mean the defaults. An invalid ip gives the zero Truncated.
func Truncate(ip netip.Addr, v4Bits, v6Bits int) Truncated {
	if !ip.IsValid() {
		return Truncated{}
	}
	// The zone (fe80::1%eth0) names a local interface, not the client;
	// dropping it also keeps Addr comparable across hops.
	ip = ip.Unmap().WithZone("")
	bits := clampBits(v6Bits, DefaultV6Bits, MinV6Bits)
	if ip.Is4() {
		bits = clampBits(v4Bits, DefaultV4Bits, MinV4Bits)
	}
	p, err := ip.Prefix(bits)
	if err != nil {
		// Unreachable for a valid address and an in-range bit count; fail
		// closed rather than return the full address.
		return Truncated{}
	}
	return Truncated{addr: p.Addr()}
}

func clampBits(bits, def, lowest int) int {
	switch {
	case bits == 0 || bits > def:
		return def
	case bits < lowest:
		return lowest
	}
	return bits
}

// Addr returns the truncated address, for GeoIP lookups.
func (t Truncated) Addr() netip.Addr { return t.addr }

// AppendTo appends the truncated address's bytes (4 for IPv4, 16 for IPv6)
// to b, for the in-memory visitor hash. It does not allocate when b has room.
func (t Truncated) AppendTo(b []byte) []byte {
	switch {
	case t.addr.Is4():
		a := t.addr.As4()
		return append(b, a[:]...)
	case t.addr.Is6():
		a := t.addr.As16()
		return append(b, a[:]...)
	}
	return b
}

// IsValid reports whether t holds an address.
func (t Truncated) IsValid() bool { return t.addr.IsValid() }

// Is4 reports whether t is an IPv4 address.
func (t Truncated) Is4() bool { return t.addr.Is4() }

// Format prints a fixed placeholder for every verb, so that %v, %s, %+v or
// %#v in a log line never reveal the address (DESIGN §1.1).
func (t Truncated) Format(f fmt.State, _ rune) {
	_, _ = f.Write([]byte(redacted))
}

// LogValue keeps the address out of structured logs (DESIGN §1.1).
func (t Truncated) LogValue() slog.Value {
	return slog.StringValue(redacted)
}
