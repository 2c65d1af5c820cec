package urlscrub

import (
	"errors"
	"strings"
	"testing"
)

func TestRules(t *testing.T) {
	rules, err := ParseRules([]string{
		"keep /soshiki/*/0*.html",
		"# a comment",
		"KEEP /mypage/**",
		"scrub /staff/*",
		"scrub /shop/*/receipt/**",
		"",
	})
	if err != nil {
		t.Fatal(err)
	}
	if rules.Len() != 4 {
		t.Fatalf("Len = %d", rules.Len())
	}
	opts := &Options{Rules: rules}
	tests := []struct{ url, want string }{
		// A phone-shaped page id of this CMS is kept…
		{"https://example.jp/soshiki/12/0123456789.html", "/soshiki/12/0123456789.html"},
		// …but only where the rule says.
		{"https://example.jp/other/0123456789.html", "/other/:phone.html"},
		// A keep rule never keeps an e-mail or IP address.
		{"https://example.jp/mypage/4711/alice@example.jp", "/mypage/4711/:email"},
		{"https://example.jp/mypage/4711/203.0.113.7", "/mypage/4711/:ip"},
		{"https://example.jp/staff/tanaka-hanako", "/staff/:id"},
		{"https://example.jp/staff/", "/staff/"},
		{"https://example.jp/shop/77/receipt/a/b", "/shop/:id/receipt/:id"},
		{"https://example.jp/kurashi/1000123.html", "/kurashi/1000123.html"},
	}
	for _, tt := range tests {
		p, err := Scrub(tt.url, opts)
		if err != nil {
			t.Fatal(err)
		}
		if p.Path != tt.want {
			t.Errorf("Scrub(%q).Path = %q, want %q", tt.url, p.Path, tt.want)
		}
	}
	paths, counts := rules.Counts()
	if paths != uint64(len(tests)) {
		t.Errorf("paths = %d, want %d", paths, len(tests))
	}
	got := map[string]uint64{}
	for _, c := range counts {
		got[c.Rule] = c.Paths
	}
	want := map[string]uint64{
		"keep /soshiki/*/0*.html": 1, "keep /mypage/**": 2, "scrub /staff/*": 1, "scrub /shop/*/receipt/**": 1,
		"phone": 1, "email": 1, "ip": 1, "person_id": 0, "token": 0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("count %q = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}

	// Editing the rules keeps the counts of unchanged ones.
	next, err := ParseRules([]string{"keep /soshiki/*/0*.html", "scrub /kojin/*"})
	if err != nil {
		t.Fatal(err)
	}
	next.CarryCounts(rules)
	_, counts = next.Counts()
	for _, c := range counts {
		if c.Rule == "keep /soshiki/*/0*.html" && c.Paths != 1 || c.Rule == "scrub /kojin/*" && c.Paths != 0 {
			t.Errorf("carried %+v", c)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	for _, bad := range [][]string{
		{"drop /x"},
		{"keep x/y"},
		{"keep"},
		{"scrub /staff/tanaka"},
		{"keep /" + strings.Repeat("a", MaxRuleLen)},
		{"keep /" + strings.Repeat("*/", maxRuleWildcards+1)},
		{"keep /a\tb"},
		{"keep /\xff"},
		func() []string {
			var l []string
			for range MaxRules + 1 {
				l = append(l, "keep /a/*")
			}
			return l
		}(),
	} {
		if _, err := ParseRules(bad); !errors.Is(err, ErrRule) {
			t.Errorf("ParseRules(%.60q) = %v, want an ErrRule", bad, err)
		}
	}
}

// FuzzRules: any valid rule set keeps the privacy property for e-mail and
// IP addresses, and matching stays bounded.
func FuzzRules(f *testing.F) {
	f.Add("keep /**", "https://example.jp/u/alice@example.jp/2001:db8:abcd::1")
	f.Add("scrub /*/*", "https://example.jp/a/b")
	f.Fuzz(func(t *testing.T, rule, raw string) {
		rules, err := ParseRules(strings.Split(rule, "\n"))
		if err != nil {
			return
		}
		p, err := Scrub(raw, &Options{Rules: rules})
		if err != nil {
			return
		}
		if l := leak(p.Path); l != "" && !strings.HasPrefix(l, "phone") {
			t.Fatalf("%s survives in %q (rules %q, url %q)", l, p.Path, rule, raw)
		}
	})
}
