package urlscrub

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzScrub checks the invariants of every scrubbed page, for any input.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{
		"https://Example.com:8080/a//b/c?utm_source=x&q=Hello+World#frag",
		"https://example.com/users/john@example.com/orders/1234567?email=a@b.co",
		"https://example.com/#/route/550e8400-e29b-41d4-a716-446655440000?q=%00",
		"http://[::1]:80/%zz%ff%2F?ref=%E2%80%AE",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, hash bool) {
		opts := &Options{SearchParams: []string{"q", "s"}, HashRouting: hash}
		p, err := Scrub(raw, opts)
		if err != nil {
			return
		}
		if !strings.HasPrefix(p.Path, "/") || len(p.Path) > MaxPathLen {
			t.Fatalf("Path %q: want a leading slash and at most %d bytes", p.Path, MaxPathLen)
		}
		if strings.Contains(p.Path, "?") || (!hash && strings.Contains(p.Path, "#")) ||
			strings.Count(p.Path, "#") > 1 {
			t.Fatalf("Path %q keeps a query or fragment", p.Path)
		}
		checkText(t, "Path", p.Path, MaxPathLen)
		if p.Hostname == "" || p.Hostname != strings.ToLower(p.Hostname) || strings.ContainsAny(p.Hostname, "/?#@ ") {
			t.Fatalf("Hostname %q", p.Hostname)
		}
		for _, v := range []string{p.SearchTerm, p.UTMSource, p.UTMMedium, p.UTMCampaign, p.UTMContent, p.UTMTerm, p.Ref} {
			checkText(t, "value", v, MaxValueLen)
		}
	})
}

// FuzzScrubIdentifiers plants an identifier in an arbitrary URL, as its own
// path segment, and checks that no field of the result contains it.
func FuzzScrubIdentifiers(f *testing.F) {
	f.Add("users", "edit?x=1", "john.doe", uint64(0), true)
	f.Add("", "", "a", uint64(1234567), false)
	f.Add("?utm_campaign=", "&q=", "x_y", uint64(99999999999), true)
	f.Add("#/", "", "z", uint64(5), true)
	f.Fuzz(func(t *testing.T, before, after, local string, n uint64, hash bool) {
		ident := plant(local, n)
		u := "https://example.com/" + before + "/" + ident + "/" + after
		p, err := Scrub(u, &Options{SearchParams: []string{"q"}, HashRouting: hash})
		if err != nil {
			return
		}
		for _, v := range []string{p.Path, p.SearchTerm, p.UTMSource, p.UTMMedium, p.UTMCampaign, p.UTMContent, p.UTMTerm, p.Ref} {
			if strings.Contains(strings.ToLower(v), strings.ToLower(ident)) {
				t.Fatalf("identifier %q survived in %q (url %q)", ident, v, u)
			}
		}
	})
}

// plant builds an e-mail address, UUID or long number from fuzz input.
func plant(local string, n uint64) string {
	switch n % 3 {
	case 0:
		l := strings.Map(func(r rune) rune {
			if r < 128 && (isAlnum(byte(r)) || r == '.' || r == '_') {
				return r
			}
			return -1
		}, local)
		return "u" + l + "@mail" + fmt.Sprint(n%97) + ".example.com"
	case 1:
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(n), uint16(n>>32), uint16(n>>48), uint16(n), n&0xffffffffffff)
	}
	return fmt.Sprint(100000 + n%1e15)
}

// FuzzScrubValue checks the invariants of free-text scrubbing.
func FuzzScrubValue(f *testing.F) {
	for _, s := range []string{"Spring Sale 2024", "mail john@example.com", "\u202e\x00 a  b\u3000", "+81 90 1234 5678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkText(t, "ScrubValue", ScrubValue(s), MaxValueLen)
		checkText(t, "ScrubSearchTerm", ScrubSearchTerm(s), MaxValueLen)
	})
}

func checkText(t *testing.T, what, v string, limit int) {
	t.Helper()
	if !utf8.ValidString(v) || len(v) > limit {
		t.Fatalf("%s %q: invalid UTF-8 or longer than %d", what, v, limit)
	}
	for _, r := range v {
		if unicode.IsControl(r) || isInvisible(r) {
			t.Fatalf("%s %q contains control character %U", what, v, r)
		}
	}
	if what != "Path" && (strings.HasPrefix(v, " ") || strings.HasSuffix(v, " ") || strings.Contains(v, "  ")) {
		t.Fatalf("%s %q: untrimmed or uncollapsed space", what, v)
	}
}
