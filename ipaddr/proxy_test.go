package ipaddr

import (
	"net/netip"
	"strings"
	"testing"
)

// lines is a request's headers for tests: name → lines, any letter case.
type lines map[string][]string

func (l lines) PeekAll(key string) [][]byte {
	var out [][]byte
	for k, vs := range l {
		if strings.EqualFold(k, key) {
			for _, v := range vs {
				out = append(out, []byte(v))
			}
		}
	}
	return out
}

func resolverFor(t *testing.T, header Header) *Resolver {
	t.Helper()
	trusted, _ := ParsePrefixes([]string{"10.0.0.0/8"})
	r, err := NewResolver(Config{TrustedProxies: trusted, ClientHeader: header})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	proxy    = netip.MustParseAddr("10.1.2.3")
	stranger = netip.MustParseAddr("198.51.100.7")
)

// Item 5 of the hostile-client findings: a second X-Forwarded-For line is
// part of the list, so a client cannot hide behind a first line of its
// choosing.
func TestFromRequestJoinsHeaderLines(t *testing.T) {
	r := resolverFor(t, "")
	h := lines{"X-Forwarded-For": {"192.0.2.77", "203.0.113.5"}}
	got, _ := r.FromRequest(proxy, h)
	if got.Addr().String() != "203.0.113.0" {
		t.Errorf("two lines: %s, want the proxy's (rightmost) hop", got.Addr())
	}
	if v := r.ClientHeaderValue(stranger, h); v != "" {
		t.Errorf("a stranger's header was read: %q", v)
	}
}

// Item 7: exactly one header is read, the configured one. Behind a proxy
// that sets only X-Real-IP, a client's X-Forwarded-For is not believed;
// and the default reads X-Forwarded-For only.
func TestOneClientHeaderOnly(t *testing.T) {
	h := lines{"X-Forwarded-For": {"192.0.2.77"}, "X-Real-IP": {"203.0.113.5"}, "Forwarded": {"for=198.51.100.9"}}
	for header, want := range map[Header]string{
		"":                  "192.0.2.0",
		HeaderXForwardedFor: "192.0.2.0",
		HeaderXRealIP:       "203.0.113.0",
		HeaderForwarded:     "198.51.100.0",
	} {
		got, _ := resolverFor(t, header).FromRequest(proxy, h)
		if got.Addr().String() != want {
			t.Errorf("%q: %s, want %s", header, got.Addr(), want)
		}
	}
	// The configured header absent: the proxy itself, never another header.
	got, _ := resolverFor(t, HeaderXRealIP).FromRequest(proxy, lines{"X-Forwarded-For": {"192.0.2.77"}})
	if got.Addr().String() != "10.1.2.0" {
		t.Errorf("X-Real-IP absent: %s, want the proxy", got.Addr())
	}
	// Several X-Real-IP values: the nearest proxy's (rightmost).
	got, _ = resolverFor(t, HeaderXRealIP).FromRequest(proxy, lines{"X-Real-IP": {"192.0.2.77", "203.0.113.5"}})
	if got.Addr().String() != "203.0.113.0" {
		t.Errorf("two X-Real-IP lines: %s", got.Addr())
	}
}

func TestParseHeader(t *testing.T) {
	for in, want := range map[string]Header{"x-forwarded-for": HeaderXForwardedFor, "FORWARDED": HeaderForwarded, " X-Real-Ip ": HeaderXRealIP} {
		if got, err := ParseHeader(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, in := range []string{"", "X-Client-IP", "CF-Connecting-IP"} {
		if _, err := ParseHeader(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if _, err := NewResolver(Config{ClientHeader: "True-Client-IP"}); err == nil {
		t.Error("unknown header accepted by NewResolver")
	}
}

// Item 6: scheme and host are a trusted proxy's word only, and only well
// formed.
func TestSchemeAndHostFromTrustedProxiesOnly(t *testing.T) {
	r := resolverFor(t, "")
	h := lines{"X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"stats.example.org"}}
	if s := r.Scheme(stranger, h, false); s != "http" {
		t.Errorf("stranger's X-Forwarded-Proto believed: %s", s)
	}
	if s := r.Host(stranger, h, "real.example"); s != "real.example" {
		t.Errorf("stranger's X-Forwarded-Host believed: %s", s)
	}
	if s := r.Scheme(proxy, h, false); s != "https" {
		t.Errorf("proxy's X-Forwarded-Proto: %s", s)
	}
	if s := r.Host(proxy, h, "real.example"); s != "stats.example.org" {
		t.Errorf("proxy's X-Forwarded-Host: %s", s)
	}
	if s := r.Scheme(stranger, lines{}, true); s != "https" {
		t.Errorf("TLS connection: %s", s)
	}
	for _, c := range []struct {
		h          lines
		scheme     string
		host, want string
	}{
		{lines{"X-Url-Scheme": {"https"}}, "https", "", "real.example"},
		{lines{"X-Forwarded-Proto": {"javascript"}}, "http", "", "real.example"},
		{lines{"X-Forwarded-Proto": {"http, https"}}, "https", "", "real.example"},
		{lines{"X-Forwarded-Host": {`evil.example"><script>`}}, "http", "", "real.example"},
		{lines{"X-Forwarded-Host": {"a.example, stats.example.org:8443"}}, "http", "", "stats.example.org:8443"},
		{lines{"X-Forwarded-Host": {"[2001:db8::1]:443"}}, "http", "", "[2001:db8::1]:443"},
		{lines{"X-Forwarded-Host": {"[nonsense]"}}, "http", "", "real.example"},
		{lines{"X-Forwarded-Host": {"host:port"}}, "http", "", "real.example"},
	} {
		if s := r.Scheme(proxy, c.h, false); s != c.scheme {
			t.Errorf("%v: scheme %s, want %s", c.h, s, c.scheme)
		}
		if s := r.Host(proxy, c.h, "real.example"); s != c.want {
			t.Errorf("%v: host %s, want %s", c.h, s, c.want)
		}
	}
	f := resolverFor(t, HeaderForwarded)
	fh := lines{"Forwarded": {`for=192.0.2.1;proto=https;host="stats.example.org"`}, "X-Forwarded-Proto": {"http"}}
	if s := f.Scheme(proxy, fh, false); s != "https" {
		t.Errorf("Forwarded proto: %s", s)
	}
	if s := f.Host(proxy, fh, "real.example"); s != "stats.example.org" {
		t.Errorf("Forwarded host: %s", s)
	}
}
