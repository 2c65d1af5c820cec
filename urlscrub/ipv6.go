package urlscrub

import (
	"bytes"
	"net/netip"
)

// maxIPv6Text is the longest IPv6 text form (with an embedded IPv4).
const maxIPv6Text = 45

// ipv6At matches an IPv6 address in the run of hex digits, ':' and '.'
// that starts at i ("/ip6/2001:db8:abcd:1234:5678:9abc:def0:1234",
// "[2001:db8::1]"). Dots that end a sentence and a lone trailing ':' are
// not part of the address. Short forms with fewer than three groups
// ("fe80::1", "std::deque" read as "d::de") are left alone: they name no
// one, and what a network could name is a /48, three groups.
//
// When the address starts after leading dots, it is recorded in v6At and
// matched when the scan reaches it.
func (r *redactor) ipv6At(i int) int {
	s := r.s
	e := i
	for e < len(s) && isV6(s[e]) {
		e++
	}
	r.v6End = e
	a, b := i, e
	for a < b && s[a] == '.' {
		a++
	}
	for b > a && s[b-1] == '.' {
		b--
	}
	if b-a >= 2 && s[b-1] == ':' && s[b-2] != ':' {
		b--
	}
	if !isIPv6Text(s[a:b]) {
		return 0
	}
	if a > i {
		r.v6At, r.v6Len = a, b-a
		return 0
	}
	return b - a
}

// isIPv6Text reports an IPv6 address with at least three groups.
func isIPv6Text(t []byte) bool {
	if len(t) < 5 || len(t) > maxIPv6Text || bytes.Count(t, []byte{':'}) < 2 {
		return false
	}
	groups := 0
	for k := range t {
		if t[k] != ':' && (k == 0 || t[k-1] == ':') {
			groups++
		}
	}
	if groups < 3 {
		return false
	}
	ip, err := netip.ParseAddr(string(t))
	return err == nil && ip.Is6()
}

// hexIPv4At matches an IPv4 address written as one hex number
// ("0xcb00714d"), a form browsers accept in host names.
func hexIPv4At(s []byte, i int) int {
	const n = 10
	if len(s)-i < n || s[i] != '0' || (s[i+1] != 'x' && s[i+1] != 'X') || (len(s) > i+n && isAlnum(s[i+n])) {
		return 0
	}
	for k := i + 2; k < i+n; k++ {
		if !isHex(s[k]) {
			return 0
		}
	}
	return n
}
