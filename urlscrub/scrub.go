// Package urlscrub reduces a page URL to the parts analytics may keep.
//
// Privacy property (DESIGN §1.5): URLs are scrubbed — people out, pages
// in. The fragment is dropped (unless the site routes by hash), the query
// string is dropped except an allowlist (utm_*, ref, source and the
// site-search parameter). Every path segment and every kept value is read
// after NFKC and repeated percent-decoding (normalize), and what identifies
// a person is replaced by a placeholder: e-mail addresses, phone numbers
// (Japanese and international forms), IPv4 and IPv6 addresses, UUIDs,
// tokens, card numbers, and numbers under or after a person-like word
// (/user/4711, order-1234567). What identifies a page stays: numeric CMS
// ids (/kurashi/1000123.html), dates, campaign names (kouhou-2026-12).
// The stored text is that normalised form, so what was checked is exactly
// what is stored.
//
// Returned strings may share memory with the input when nothing had to
// change. Callers that pass views into reused request buffers must copy the
// input first.
package urlscrub

import (
	"errors"
	"net/netip"
	"strings"
)

// MaxURLLen is the longest URL accepted, in bytes. Longer ones are junk or
// abuse; refusing them bounds the work done per hit.
const MaxURLLen = 32 << 10

// Errors returned by Scrub.
var (
	ErrNotHTTP = errors.New("urlscrub: not an absolute http(s) URL")
	ErrBadHost = errors.New("urlscrub: invalid host")
	ErrTooLong = errors.New("urlscrub: URL too long")
)

// Options configures Scrub for one site.
type Options struct {
	// SearchParams names the site-search query parameters, in priority
	// order; the first one present with a value becomes Page.SearchTerm.
	SearchParams []string
	// HashRouting keeps fragments that hold a route ("#/about",
	// "#!/about") as part of the path, for single-page apps that route by
	// hash. Plain anchors ("#section") are dropped either way.
	HashRouting bool
	// Rules are the site's keep and scrub rules for paths, and count what
	// each rule and each detector changed; nil: none, nothing counted.
	Rules *Rules
}

// DefaultOptions returns the options used when a site sets none.
func DefaultOptions() *Options {
	return &Options{SearchParams: []string{"q", "s", "search", "query", "keyword"}}
}

// Page is what is kept of a page URL.
type Page struct {
	Hostname    string // lowercase, no port, no trailing dot
	Path        string // scrubbed, starts with "/"
	SearchTerm  string // site-search term, scrubbed and lowercased
	UTMSource   string
	UTMMedium   string
	UTMCampaign string
	UTMContent  string
	UTMTerm     string
	Ref         string // source= or ref=, a source when utm_source is absent
	// ClickID names the ad-click parameter the URL carried ("gclid",
	// "msclkid", …), never its value.
	ClickID string
}

// Scrub parses an absolute URL and returns what may be kept of it: http
// and https, and the other schemes Plausible accepts (file://,
// chrome-extension://, app://; never data:), whose host may be missing
// (NoHostname). A nil opts means DefaultOptions.
func Scrub(rawURL string, opts *Options) (Page, error) {
	if len(rawURL) > MaxURLLen {
		return Page{}, ErrTooLong
	}
	if opts == nil {
		opts = defaultOptions
	}
	rest, ok := cutScheme(strings.TrimSpace(rawURL))
	other := false
	if !ok {
		if rest, ok = cutOtherScheme(strings.TrimSpace(rawURL)); !ok {
			return Page{}, ErrNotHTTP
		}
		other = true
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, rest = rest[:i], rest[i:]
	} else {
		rest = ""
	}
	var p Page
	var err error
	if other && authority == "" {
		p.Hostname = NoHostname // file:///android_asset/index.html
	} else if p.Hostname, err = hostname(authority); err != nil {
		return Page{}, err
	}
	rest, fragment, _ := strings.Cut(rest, "#")
	path, query, _ := strings.Cut(rest, "?")
	// The URL's own query first: a hash route's query only fills gaps.
	parseQuery(query, opts, &p)
	p.Path = scrubPath(path, fragment, opts, &p)
	return p, nil
}

var defaultOptions = DefaultOptions()

// cutScheme strips "http://" or "https://", in any case.
func cutScheme(s string) (string, bool) {
	for _, scheme := range [...]string{"https://", "http://"} {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return s[len(scheme):], true
		}
	}
	return "", false
}

// hostname extracts the lowercase host of an authority, dropping any
// userinfo (credentials never reach storage) and port.
func hostname(authority string) (string, error) {
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	host := authority
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return "", ErrBadHost
		}
		if _, err := netip.ParseAddr(authority[1:end]); err != nil {
			return "", ErrBadHost
		}
		host = authority[:end+1]
	} else if i := strings.IndexByte(authority, ':'); i >= 0 {
		host = authority[:i]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > 253 {
		return "", ErrBadHost
	}
	return lowerHost(host)
}

// lowerHost lowercases an ASCII host name, allocating only when it has
// uppercase letters, and rejects characters no host name has.
func lowerHost(h string) (string, error) {
	upper := false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'A' <= c && c <= 'Z':
			upper = true
		case isAlnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']':
		default:
			return "", ErrBadHost
		}
	}
	if !upper {
		return h, nil
	}
	return strings.ToLower(h), nil
}

// scrubPath builds the stored path: the scrubbed URL path, followed by the
// scrubbed route of a hash-routing fragment ("#/users/:id", with "#!/"
// normalised to "#/"), then refined by the site's rules. The fragment's
// own query is read as a fallback for the allowlisted parameters. The
// result is at most MaxPathLen bytes.
func scrubPath(path, fragment string, opts *Options, p *Page) string {
	route, query, hasRoute := "", "", false
	if opts.HashRouting {
		if r := strings.TrimPrefix(fragment, "!"); strings.HasPrefix(r, "/") {
			route, query, _ = strings.Cut(r, "?")
			hasRoute = true
			parseQuery(query, opts, p)
		}
	}
	var arr [512]byte
	out, found := buildPath(arr[:0], path, route, hasRoute, false)
	rules, kept := opts.Rules, false
	if found&^(KindEmail|KindIP) != 0 && rules.Len() > 0 {
		// Something a keep rule could keep was replaced: does one match
		// the path as it would be kept?
		lenient, lfound := buildPath(nil, path, route, hasRoute, true)
		if ru := rules.keeps(string(lenient)); ru != nil {
			ru.count.Add(1)
			out, found, kept = lenient, lfound, true
		}
	}
	rules.count(found)
	var s string
	if string(out) == path {
		s = path
	} else {
		s = string(out)
	}
	if rules.Len() > 0 {
		if scrubbed := rules.applyScrub(s); scrubbed != s {
			// A placeholder and its new neighbours could form an
			// identifier: the result goes through the detectors again.
			p, r, hasR := strings.Cut(scrubbed, "#")
			again, _ := buildPath(nil, p, r, hasR, kept)
			s = string(again)
		}
	}
	return s
}

// buildPath appends the scrubbed path and route to dst.
func buildPath(dst []byte, path, route string, hasRoute, lenient bool) ([]byte, Kind) {
	st := pathState{lenient: lenient}
	dst = appendPath(dst, path, MaxPathLen, &st)
	if hasRoute && len(dst)+2 <= MaxPathLen {
		dst = append(dst, '#')
		// A route is a path of its own: scope starts afresh.
		rt := pathState{lenient: lenient}
		dst = appendPath(dst, route, MaxPathLen, &rt)
		st.found |= rt.found
	}
	return dst, st.found
}
