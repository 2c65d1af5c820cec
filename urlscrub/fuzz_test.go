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
		"file:///android_asset/www/index.html?gclid=Cj0K",
		"chrome-extension://liipgellkffekalgefpjolodblggkmjg/popup.html#/x",
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

// plant builds an e-mail address, UUID, phone number or IP address from
// fuzz input.
func plant(local string, n uint64) string {
	switch n % 6 {
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
	case 2:
		return fmt.Sprintf("090-%04d-%04d", n%10000, (n/10000)%10000)
	case 3:
		return fmt.Sprintf("+81 3 %04d %04d", n%10000, (n/10000)%10000)
	case 4:
		return fmt.Sprintf("203.%d.%d.%d", n%256, (n>>8)%256, (n>>16)%256)
	}
	return fmt.Sprintf("2001:db8:%x:%x::%x", n&0xffff, (n>>16)&0xffff, (n>>32)&0xffff|1)
}

// FuzzScrubNoPersonalData is the privacy property of DESIGN §1.5 for any
// input: no stored field, read after NFKC and repeated percent-decoding
// (canonical), contains an e-mail address, a phone number or an IP
// address (leak, the test's own reading of those shapes).
func FuzzScrubNoPersonalData(f *testing.F) {
	for _, s := range []string{
		"https://example.jp/u/%EF%BD%81%EF%BD%8C%EF%BD%89%EF%BD%83%EF%BD%85%EF%BC%A0example.jp",
		"https://example.jp/u/bob.canary%2540example.com?utm_content=2001:db8:abcd:1234:5678:9abc:def0:1234",
		"https://example.jp/tel/%EF%BC%90%EF%BC%99%EF%BC%90%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96%EF%BC%97%EF%BC%98",
		"https://example.jp/ip6/2001:db8:abcd:1234:5678:9abc:def0:1234#/u/203.0.113.77",
		"https://example.jp/%25252540/%EF%BC%85%EF%BC%94%EF%BC%90?q=%2B81+90+1234+5678",
		"https://example.jp/kurashi/1000123.html?utm_campaign=kouhou-2026-12",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, hash bool) {
		p, err := Scrub(raw, &Options{SearchParams: []string{"q", "s"}, HashRouting: hash})
		if err != nil {
			return
		}
		for _, v := range []string{p.Path, p.SearchTerm, p.UTMSource, p.UTMMedium, p.UTMCampaign, p.UTMContent, p.UTMTerm, p.Ref} {
			if l := leak(v); l != "" {
				t.Fatalf("%s survives in %q (url %q)", l, v, raw)
			}
		}
	})
}

// FuzzScrubValueNoPersonalData is the same property for free-text values
// (UTM values, search terms, event names).
func FuzzScrubValueNoPersonalData(f *testing.F) {
	for _, s := range []string{"ｍａｉｌ ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｊｐ", "tel 090ー1234ー5678", "%252540", "ip 203.0.113.77.", "2001:db8:abcd::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []string{ScrubValue(s), ScrubSearchTerm(s)} {
			if l := leak(v); l != "" {
				t.Fatalf("%s survives in %q (input %q)", l, v, s)
			}
		}
	})
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
