package dashboard

import (
	"net/url"
	"testing"
)

func TestCSPAllows(t *testing.T) {
	page, _ := url.Parse("https://city.example/")
	stats, _ := url.Parse("https://stats.example:8443/js/script.js")
	self, _ := url.Parse("https://city.example/js/script.js")
	for _, tc := range []struct {
		policy string
		target *url.URL
		want   bool
		dir    string
	}{
		{"", stats, true, ""},
		{"img-src 'self'", stats, true, ""},
		{"default-src 'self'", stats, false, "default-src"},
		{"default-src 'self'", self, true, "default-src"},
		{"default-src 'none'; script-src https://stats.example:8443", stats, true, "script-src"},
		{"script-src https://stats.example", stats, false, "script-src"}, // another port
		{"script-src https://*.example:*", stats, true, "script-src"},
		{"script-src stats.example:8443", stats, true, "script-src"},
		{"script-src https:", stats, true, "script-src"},
		{"script-src *", stats, true, "script-src"},
		{"script-src 'nonce-abc' 'strict-dynamic'", stats, false, "script-src"},
		{"SCRIPT-SRC HTTPS://STATS.EXAMPLE:8443/js/", stats, true, "script-src"},
	} {
		dir, ok := cspAllows(tc.policy, "script-src", page, tc.target)
		if ok != tc.want || dir != tc.dir {
			t.Errorf("%q for %s: %s %v, want %s %v", tc.policy, tc.target, dir, ok, tc.dir, tc.want)
		}
	}
}

func TestFindSnippet(t *testing.T) {
	for page, want := range map[string]string{
		`<p>no tag</p>`: "",
		`<script src="/app.js"></script><script defer data-domain="a.example" src="https://s.example/js/script.hash.js"></script>`: "a.example https://s.example/js/script.hash.js",
		`<SCRIPT DATA-DOMAIN='b.example' SRC=/js/script.js?v=2></SCRIPT>`:                                                          "b.example /js/script.js?v=2",
		`<script src="https://s.example/js/plausible.outbound-links.js"></script>`:                                                 " https://s.example/js/plausible.outbound-links.js",
		`<!-- <script data-domain="c.example" src="/js/script.js"></script> -->`:                                                   "",
	} {
		tag, _ := findSnippet([]byte(page))
		got := ""
		if tag != nil {
			got = tag.domain + " " + tag.src
		}
		if got != want {
			t.Errorf("%s: %q, want %q", page, got, want)
		}
	}
	_, csp := findSnippet([]byte(`<meta http-equiv="content-security-policy" content="script-src 'self'">`))
	if len(csp) != 1 || csp[0] != "script-src 'self'" {
		t.Errorf("meta policy: %q", csp)
	}
}

// FuzzInspect: no page and no policy makes the check panic or hang.
func FuzzInspect(f *testing.F) {
	f.Add(`<script defer data-domain="a.example" src="/js/script.js"></script>`, "default-src 'self'; script-src *.example:*")
	f.Add(`<meta http-equiv=Content-Security-Policy content="connect-src 'none'"><script`, "script-src https: 'nonce-x'")
	f.Add("<scr\x00ipt data-domain", ";;; script-src :// *. :")
	page, _ := url.Parse("https://city.example/")
	f.Fuzz(func(t *testing.T, html, policy string) {
		tag, metas := findSnippet([]byte(html))
		if tag != nil {
			if u, err := page.Parse(tag.src); err == nil {
				cspAllows(policy, "script-src", page, u)
				for _, m := range metas {
					cspAllows(m, "connect-src", page, u)
				}
			}
		}
	})
}
