package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLanguageFromBrowserAndSwitch: pages come in the browser's language
// (Accept-Language), the switch's cookie overrides it, and caches are told
// that the answer depends on both.
func TestLanguageFromBrowserAndSwitch(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.setupOwner("owner")
	for _, c := range []struct {
		accept, cookie, want string
	}{
		{"ja-JP,ja;q=0.9,en;q=0.8", "", "ja"},
		{"en-US,en;q=0.9,ja;q=0.8", "", "en"},
		{"fr-FR,ja;q=0.5,en;q=0.4", "", "ja"},
		{"", "", "en"},
		{"ja", "en", "en"},
		{"en", "ja", "ja"},
		{"ja", "xx", "ja"}, // an unknown cookie value is ignored
	} {
		req := httptest.NewRequest(http.MethodGet, "/login", nil)
		if c.accept != "" {
			req.Header.Set("Accept-Language", c.accept)
		}
		cl := h.client()
		if c.cookie != "" {
			cl.cookies["lang"] = c.cookie
		}
		res := cl.do(req)
		if res.status != http.StatusOK {
			t.Fatalf("GET /login: %d", res.status)
		}
		if !strings.Contains(res.body, `<html lang="`+c.want+`">`) || res.header.Get("Content-Language") != c.want {
			t.Errorf("Accept-Language %q, cookie %q: want %s, got Content-Language %q", c.accept, c.cookie, c.want, res.header.Get("Content-Language"))
		}
		want := h.srv.ui.catalogs[c.want].T("login.title")
		if !strings.Contains(res.body, want) {
			t.Errorf("Accept-Language %q, cookie %q: the page lacks %q", c.accept, c.cookie, want)
		}
		if v := res.header.Get("Vary"); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Cookie") {
			t.Errorf("Vary %q", v)
		}
	}
}
