package ipaddr

import (
	"net/netip"
	"strings"
)

// The rest of the trusted-proxy policy: what a proxy says about the
// scheme and the host the client addressed is believed only when the
// connection comes from a trusted proxy, exactly like the client address.
// Anyone else's X-Forwarded-Proto, X-Url-Scheme or X-Forwarded-Host is
// ignored (a client on plain HTTP claiming https must not get HSTS, nor a
// "javascript" scheme reach a tag the settings page prints).

// Scheme returns "https" or "http": the scheme the client used. From a
// trusted proxy it is the proxy's word — Forwarded's proto= when the
// client address header is Forwarded, else X-Forwarded-Proto, else
// X-Url-Scheme; the last value, the one the nearest proxy wrote — if that
// word is http or https. Otherwise it is the connection's own: tls says
// whether it is TLS.
func (r *Resolver) Scheme(remote netip.Addr, h Headers, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	if !r.Trusted(remote) {
		return scheme
	}
	var v string
	if r.header == HeaderForwarded {
		v = forwardedParam(h, "proto")
	} else if v = lastValue(h.PeekAll("X-Forwarded-Proto")); v == "" {
		v = lastValue(h.PeekAll("X-Url-Scheme"))
	}
	switch strings.ToLower(v) {
	case "https":
		return "https"
	case "http":
		return "http"
	}
	return scheme
}

// Host returns the host (and port) the client addressed: from a trusted
// proxy, Forwarded's host= (with -client-ip-header Forwarded) or
// X-Forwarded-Host, last value, when it is a well-formed host; otherwise
// host, the request's own Host header.
func (r *Resolver) Host(remote netip.Addr, h Headers, host string) string {
	if !r.Trusted(remote) {
		return host
	}
	var v string
	if r.header == HeaderForwarded {
		v = forwardedParam(h, "host")
	} else {
		v = lastValue(h.PeekAll("X-Forwarded-Host"))
	}
	if validHost(v) {
		return v
	}
	return host
}

// lastValue is the last comma-separated value of a header's last line.
func lastValue(lines [][]byte) string {
	if len(lines) == 0 {
		return ""
	}
	v := string(lines[len(lines)-1])
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// forwardedParam returns a parameter of the last element of Forwarded.
func forwardedParam(h Headers, name string) string {
	elem := lastValue(h.PeekAll(string(HeaderForwarded)))
	for pair := range strings.SplitSeq(elem, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

// validHost accepts a DNS name, an IPv4 address or a bracketed IPv6
// address, with an optional port: nothing that could end a URL's
// authority or carry markup.
func validHost(h string) bool {
	if h == "" || len(h) > 260 {
		return false
	}
	name, port := h, ""
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return false
		}
		if _, err := netip.ParseAddr(h[1:end]); err != nil {
			return false
		}
		name, port = "", h[end+1:]
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 {
		name, port = h[:i], h[i:]
	}
	if port != "" && !validPort(port, false) {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return name != "" || strings.HasPrefix(h, "[")
}
