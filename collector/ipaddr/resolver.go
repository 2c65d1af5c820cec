package ipaddr

import (
	"errors"
	"net/netip"
	"strings"
)

// ErrNoAddress means the connection had no usable address (never the case
// for a real TCP peer; seen with misconfigured listeners or tests).
var ErrNoAddress = errors.New("ipaddr: no valid client address")

// maxHops bounds the header walk. A chain of more trusted proxies than this
// is a misconfiguration or an attack; the walk then stops at the last
// trusted hop it reached.
const maxHops = 32

// Resolver finds the client address of a request behind trusted proxies and
// truncates it. It is safe for concurrent use.
type Resolver struct {
	v4Bits, v6Bits int
	trusted        []netip.Prefix
}

// NewResolver validates c and returns a Resolver for it.
func NewResolver(c Config) (*Resolver, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	trusted := make([]netip.Prefix, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		trusted[i] = p.Masked()
	}
	return &Resolver{v4Bits: c.V4Bits, v6Bits: c.V6Bits, trusted: trusted}, nil
}

// Truncate truncates ip with the resolver's configured lengths, for
// addresses that come without proxy headers (e.g. imported access logs).
func (r *Resolver) Truncate(ip netip.Addr) Truncated {
	return Truncate(ip, r.v4Bits, r.v6Bits)
}

// Client returns the truncated address of the client that sent a request.
//
// remote is the connection's peer. Unless it lies in a trusted proxy
// network, it is the client and every header is ignored: anyone can send
// forwarding headers. Behind a trusted proxy, the first header present is
// believed, in this order:
//
//   - X-Forwarded-For (all values joined with ","), walked from right to
//     left: hops inside trusted networks are skipped and the first untrusted
//     hop is the client. Entries left of it were written by the client
//     itself and are never looked at.
//   - Forwarded (RFC 7239), walked the same way over its for= parameters;
//     an obfuscated ("_hidden") or "unknown" node stops the walk.
//   - X-Real-IP, a single address set by the proxy.
//
// A malformed, empty or obfuscated hop stops the walk, and the last trusted
// hop reached (the remote itself at first) is used instead: it was recorded
// by a proxy we trust, while anything further left could be forged. So is a
// chain longer than 32 hops. A chain of only trusted hops yields its
// leftmost hop.
//
// The full address never leaves this function: it is truncated here.
func (r *Resolver) Client(remote netip.Addr, xForwardedFor, forwarded, xRealIP string) (Truncated, error) {
	if !remote.IsValid() {
		return Truncated{}, ErrNoAddress
	}
	remote = remote.Unmap().WithZone("")
	return r.Truncate(r.client(remote, xForwardedFor, forwarded, xRealIP)), nil
}

func (r *Resolver) client(remote netip.Addr, xff, fwd, xRealIP string) netip.Addr {
	if !r.isTrusted(remote) {
		return remote
	}
	if xff = strings.TrimSpace(xff); xff != "" {
		return r.walk(remote, xff, parseNode)
	}
	if fwd = strings.TrimSpace(fwd); fwd != "" {
		return r.walk(remote, fwd, parseForwardedElement)
	}
	if a, ok := parseNode(strings.TrimSpace(xRealIP)); ok {
		return a
	}
	return remote
}

// walk visits the comma-separated elements of a forwarding header from right
// to left and returns the first untrusted hop, or the last trusted one when
// the walk has to stop.
func (r *Resolver) walk(last netip.Addr, header string, parse func(string) (netip.Addr, bool)) netip.Addr {
	for n := 0; n < maxHops; n++ {
		elem := header
		header = ""
		if i := strings.LastIndexByte(elem, ','); i >= 0 {
			elem, header = elem[i+1:], elem[:i]
		}
		hop, ok := parse(strings.TrimSpace(elem))
		if !ok {
			return last
		}
		if !r.isTrusted(hop) {
			return hop
		}
		last = hop
		if header == "" {
			return last
		}
	}
	return last
}

func (r *Resolver) isTrusted(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseNode parses one hop: "192.0.2.1", "192.0.2.1:443", "2001:db8::1" or
// "[2001:db8::1]:443". It does not allocate for addresses without a zone.
func parseNode(s string) (netip.Addr, bool) {
	host := s
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 || !validPort(s[end+1:], true) {
			return netip.Addr{}, false
		}
		host = s[1:end]
	case strings.Count(s, ":") == 1:
		i := strings.IndexByte(s, ':')
		if !validPort(s[i:], false) {
			return netip.Addr{}, false
		}
		host = s[:i]
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.IsUnspecified() {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// validPort accepts ":" followed by 1..5 digits, or nothing when optional.
func validPort(s string, optional bool) bool {
	if s == "" {
		return optional
	}
	if s[0] != ':' || len(s) < 2 || len(s) > 6 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseForwardedElement finds the for= node of one RFC 7239 element such as
// `for="[2001:db8::1]:4711";proto=https;by=203.0.113.43`. An element without
// for=, with an obfuscated or unknown node, or with a malformed value fails.
func parseForwardedElement(elem string) (netip.Addr, bool) {
	for elem != "" {
		pair := elem
		elem = ""
		if i := strings.IndexByte(pair, ';'); i >= 0 {
			pair, elem = pair[:i], pair[i+1:]
		}
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "for") {
			continue
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		// No legitimate node needs quoting escapes; "unknown" and
		// obfuscated "_xyz" nodes carry no address by design.
		if strings.ContainsAny(value, `"\`) || value == "" || value[0] == '_' ||
			strings.EqualFold(value, "unknown") {
			return netip.Addr{}, false
		}
		return parseNode(value)
	}
	return netip.Addr{}, false
}
