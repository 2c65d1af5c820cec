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
// truncates it. It is the server's one policy for forwarded headers: the
// collector, the login limiter and the dashboard all ask it (see also
// Scheme and Host). It is safe for concurrent use.
type Resolver struct {
	v4Bits, v6Bits int
	trusted        []netip.Prefix
	header         Header
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
	header := HeaderXForwardedFor
	if c.ClientHeader != "" {
		header, _ = ParseHeader(string(c.ClientHeader)) // valid: checked above
	}
	return &Resolver{v4Bits: c.V4Bits, v6Bits: c.V6Bits, trusted: trusted, header: header}, nil
}

// Truncate truncates ip with the resolver's configured lengths, for
// addresses that come without proxy headers (e.g. imported access logs).
func (r *Resolver) Truncate(ip netip.Addr) Truncated {
	return Truncate(ip, r.v4Bits, r.v6Bits)
}

// Header is the one header the client address is read from, when the
// connection comes from a trusted proxy.
func (r *Resolver) Header() Header { return r.header }

// Trusted reports whether remote, a connection's peer, is a trusted proxy.
func (r *Resolver) Trusted(remote netip.Addr) bool {
	return r.isTrusted(remote.Unmap().WithZone(""))
}

// Headers are a request's header lines by name (fasthttp's RequestHeader
// has this method).
type Headers interface {
	PeekAll(key string) [][]byte
}

// ClientHeaderValue returns what the client address is read from: the
// configured header's lines joined with ",", copied (it may outlive the
// request), or "" when remote is not a trusted proxy, whose headers are
// never looked at.
func (r *Resolver) ClientHeaderValue(remote netip.Addr, h Headers) string {
	if !r.Trusted(remote) {
		return ""
	}
	return JoinLines(h.PeekAll(string(r.header)))
}

// JoinLines joins a header's lines with "," into a new string: a second
// X-Forwarded-For line continues the list of the first (RFC 9110 §5.3).
func JoinLines(lines [][]byte) string {
	switch len(lines) {
	case 0:
		return ""
	case 1:
		return string(lines[0])
	}
	n := len(lines) - 1
	for _, l := range lines {
		n += len(l)
	}
	b := make([]byte, 0, n)
	for i, l := range lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, l...)
	}
	return string(b)
}

// FromRequest returns the truncated address of a request's client:
// Client over the configured header's lines.
func (r *Resolver) FromRequest(remote netip.Addr, h Headers) (Truncated, error) {
	return r.Client(remote, r.ClientHeaderValue(remote, h))
}

// Client returns the truncated address of the client that sent a request.
//
// remote is the connection's peer. Unless it lies in a trusted proxy
// network, it is the client and every header is ignored: anyone can send
// forwarding headers. Behind a trusted proxy, value is the one configured
// header (-client-ip-header; never another, so a header the proxy does not
// set cannot be forged by the client), all its lines joined with ",":
//
//   - X-Forwarded-For (the default), walked from right to left: hops
//     inside trusted networks are skipped and the first untrusted hop is
//     the client. Entries left of it were written by the client itself and
//     are never looked at.
//   - Forwarded (RFC 7239), walked the same way over its for= parameters;
//     an obfuscated ("_hidden") or "unknown" node stops the walk.
//   - X-Real-IP, a single address set by the proxy (of several, the
//     rightmost: the one the nearest proxy wrote).
//
// A malformed, empty or obfuscated hop stops the walk, and the last trusted
// hop reached (the remote itself at first) is used instead: it was recorded
// by a proxy we trust, while anything further left could be forged. So is a
// chain longer than 32 hops. A chain of only trusted hops yields its
// leftmost hop.
//
// The full address never leaves this function: it is truncated here.
func (r *Resolver) Client(remote netip.Addr, value string) (Truncated, error) {
	if !remote.IsValid() {
		return Truncated{}, ErrNoAddress
	}
	remote = remote.Unmap().WithZone("")
	return r.Truncate(r.client(remote, r.header, value)), nil
}

func (r *Resolver) client(remote netip.Addr, header Header, value string) netip.Addr {
	if !r.isTrusted(remote) {
		return remote
	}
	if value = strings.TrimSpace(value); value == "" {
		return remote
	}
	switch header {
	case HeaderForwarded:
		return r.walk(remote, value, parseForwardedElement)
	case HeaderXRealIP:
		if i := strings.LastIndexByte(value, ','); i >= 0 {
			value = value[i+1:]
		}
		if a, ok := parseNode(strings.TrimSpace(value)); ok {
			return a
		}
		return remote
	}
	return r.walk(remote, value, parseNode)
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
