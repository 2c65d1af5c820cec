// Package referrer turns a hit's referrer and campaign tags into an
// acquisition source.
//
// Privacy property (DESIGN §1.1, §1.5): of the referrer URL only the host
// name is kept, never its path or query (which can carry search terms,
// e-mail addresses or session tokens of the previous site), a referrer
// that is an IP address is kept as neither host nor name, and a host that
// carries an address keeps only its registrable domain (address.go). The package also
// filters referrer spam, so that spam domains never reach storage.
package referrer

import (
	"net/netip"
	"strings"
	"unicode/utf8"
)

// DirectNone is the source name of visits with no referrer and no tags.
const DirectNone = "Direct / None"

// IPAddress is the source name of referrers whose host is an IP address.
const IPAddress = "IP address"

// maxNameLen caps a source name taken from utm_source or ref.
const maxNameLen = 100

// Source is where a visit came from.
type Source struct {
	// Name is the source shown on dashboards, as Plausible names it: a
	// well-known name such as "Google" or "Yahoo!", the referrer's host
	// without "www.", "android-app://" and the package of an Android app,
	// a campaign source (utm_source, source= or ref=), or DirectNone.
	Name string
	// Host is the referrer's lowercase host name without "www."
	// ("google.co.jp"), or "android-app://" and the package name for an
	// Android app; empty when there is no referrer. Plausible keeps the
	// referrer's path too ("google.co.jp/search"); only the host is kept
	// here, because a path can carry what identifies a person.
	Host string
}

// Classify names the source of a hit, by Plausible's rules.
//
// A referrer on the page's own host (ignoring a leading "www.") or on
// localhost is internal navigation and counts as no referrer. The name
// comes from the campaign source first: utm_source, else tagged (the
// page's source= or ref= parameter); a known source given in any case or
// by a common alias ("fb", "yt-ads", "google_ads") is spelled by its
// well-known name, any other value is kept as given. Without a campaign
// source the name comes from the referrer: the well-known name of its host,
// else the host itself. With neither it is DirectNone. Returned strings
// may share memory with the arguments, except an Android app's Host.
func Classify(rawReferrer, pageHost, utmSource, tagged string) Source {
	host, app := parseReferrer(rawReferrer)
	if host != "" && !app && (sameSite(host, pageHost) || host == "localhost") {
		host = ""
	}
	var src Source
	switch {
	case host == "":
	case app:
		src.Host = "android-app://" + host
		src.Name = appName(host, src.Host)
	default:
		if host = scrubHost(host); host == "" {
			src = Source{Name: IPAddress} // DESIGN §1.1: no address at rest
		} else {
			src.Host = stripWWW(host)
			src.Name = hostName(host)
		}
	}
	if name := normalizeName(utmSource); name != "" {
		src.Name = name
	} else if name := normalizeName(tagged); name != "" {
		src.Name = name
	}
	if src.Name == "" {
		src.Name = DirectNone
	}
	return src
}

// parseReferrer returns the lowercase host of an http(s) referrer, or the
// package name of an android-app:// referrer (app = true). Other schemes
// and malformed URLs give "".
func parseReferrer(raw string) (host string, app bool) {
	raw = strings.TrimSpace(raw)
	rest, ok := cutPrefixFold(raw, "https://")
	if !ok {
		rest, ok = cutPrefixFold(raw, "http://")
	}
	if !ok {
		if rest, ok = cutPrefixFold(raw, "android-app://"); !ok {
			return "", false
		}
		app = true
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:] // credentials never reach storage
	}
	if strings.HasPrefix(rest, "[") {
		if end := strings.IndexByte(rest, ']'); end > 0 {
			return rest[:end+1], false // an IPv6 literal; Classify drops it
		}
		return "", false
	}
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		rest = rest[:i]
	}
	return lowerHost(strings.TrimSuffix(rest, ".")), app
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// lowerHost validates and lowercases a host name, allocating only when it
// has uppercase letters; invalid names (an empty label included: "www.",
// "a..b") give "".
func lowerHost(h string) string {
	if h == "" || len(h) > 253 || h[0] == '.' || h[len(h)-1] == '.' || strings.Contains(h, "..") {
		return ""
	}
	upper := false
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case 'A' <= c && c <= 'Z':
			upper = true
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '.', c == '-', c == '_':
		default:
			return ""
		}
	}
	if upper {
		return strings.ToLower(h)
	}
	return h
}

// isIP reports IP literals. Only candidates reach netip.ParseAddr, whose
// error allocates: a host name with a letter is never an IPv4 literal
// (browsers normalise other IPv4 spellings to dotted decimal).
func isIP(host string) bool {
	if strings.HasPrefix(host, "[") || strings.Contains(host, ":") {
		return true
	}
	if !allIn(host, &ipv4Bytes) {
		return false
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// looksIP reports whether a free-text value is an IP literal.
func looksIP(v string) bool {
	if !allIn(v, &ipBytes) {
		return false
	}
	_, err := netip.ParseAddr(strings.Trim(v, "[]"))
	return err == nil
}

// Byte sets of IP literals, tested byte by byte: strings.Trim with a
// cutset builds its set on every call, and every referrer host passes here.
var (
	ipv4Bytes   = byteSet("0123456789.")
	ipBytes     = byteSet("0123456789abcdefABCDEF.:[]")
	digitBytes  = byteSet("0123456789")
	hexDigBytes = byteSet("0123456789abcdefABCDEF")
)

func byteSet(chars string) (set [256]bool) {
	for i := range len(chars) {
		set[chars[i]] = true
	}
	return set
}

// allIn reports whether every byte of s is in set (true for "").
func allIn(s string, set *[256]bool) bool {
	for i := range len(s) {
		if !set[s[i]] {
			return false
		}
	}
	return true
}

// sameSite compares two hosts ignoring case and a leading "www.".
func sameSite(a, b string) bool {
	return strings.EqualFold(stripWWW(a), stripWWW(b))
}

func stripWWW(h string) string {
	if len(h) > 4 && strings.EqualFold(h[:4], "www.") {
		return h[4:]
	}
	return h
}

// normalizeName spells a campaign source by its well-known name when it
// is one (in any case, or a common alias), or returns it trimmed, capped
// and valid UTF-8. An IP address given as a source is not kept.
func normalizeName(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if name := knownName(v); name != "" {
		return name
	}
	if looksIP(v) {
		return IPAddress // DESIGN §1.1: no IP at rest, even as a tag
	}
	if len(v) > maxNameLen {
		n := maxNameLen
		for n > 0 && !utf8.RuneStart(v[n]) {
			n--
		}
		v = v[:n]
	}
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	return v
}
