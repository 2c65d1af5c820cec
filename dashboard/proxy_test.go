package dashboard

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/ipaddr"
)

// trustTestClient is the policy of a server behind a proxy that app.Test's
// connections (from 0.0.0.0) stand for.
func trustTestClient(t *testing.T, header ipaddr.Header) *ipaddr.Resolver {
	t.Helper()
	r, err := ipaddr.NewResolver(ipaddr.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}, ClientHeader: header})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// failedLogins posts n wrong sign-ins, each for a different unknown name
// (so only the per-network limit applies), with the given header lines,
// and returns how many were throttled.
func failedLogins(h *harness, n int, headers func(i int) [][2]string) int {
	h.setupOwner("owner")
	c := h.client()
	c.get("/login")
	throttled := 0
	for i := range n {
		form := url.Values{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"wrong password"}, csrfField: {c.cookies["__Host-shukei_csrf"]}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, kv := range headers(i) {
			req.Header.Add(kv[0], kv[1])
		}
		if res := c.do(req); res.status == http.StatusTooManyRequests {
			throttled++
		}
	}
	return throttled
}

// Item 5 of the hostile-client findings: behind a trusted proxy, a client
// that adds its own X-Forwarded-For line before the proxy's is still one
// network to the login limiter — the limiter asks the same resolver as the
// collector, which reads every line.
func TestLoginLimiterReadsEveryForwardedLine(t *testing.T) {
	h := newHarness(t, harnessOpts{resolver: trustTestClient(t, "")})
	n := networkBurst + 5
	throttled := failedLogins(h, n, func(i int) [][2]string {
		return [][2]string{{"X-Forwarded-For", fmt.Sprintf("192.0.%d.1", i)}, {"X-Forwarded-For", "198.51.100.99"}}
	})
	if throttled < n-networkBurst {
		t.Errorf("%d of %d attempts from one network throttled, want at least %d", throttled, n, n-networkBurst)
	}
}

// Item 7: with -client-ip-header X-Real-IP, a client-chosen
// X-Forwarded-For is not read, so it cannot spread one network's attempts
// over many.
func TestLoginLimiterReadsOnlyTheConfiguredHeader(t *testing.T) {
	h := newHarness(t, harnessOpts{resolver: trustTestClient(t, ipaddr.HeaderXRealIP)})
	n := networkBurst + 5
	throttled := failedLogins(h, n, func(i int) [][2]string {
		return [][2]string{{"X-Forwarded-For", fmt.Sprintf("192.0.%d.1", i)}, {"X-Real-IP", "198.51.100.99"}}
	})
	if throttled < n-networkBurst {
		t.Errorf("%d of %d attempts throttled, want at least %d", throttled, n, n-networkBurst)
	}
}

// Item 6: X-Forwarded-Proto, X-Url-Scheme and X-Forwarded-Host are a
// trusted proxy's word only: from anyone else they neither turn on HSTS
// nor change the snippet's address; from a proxy, a scheme other than
// http/https is ignored.
func TestForwardedSchemeAndHostOnlyFromTrustedProxies(t *testing.T) {
	forged := map[string]string{"X-Forwarded-Proto": "https", "X-Url-Scheme": "javascript", "X-Forwarded-Host": "evil.example"}
	get := func(h *harness, c *client, path string, headers map[string]string) response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		return c.do(req)
	}

	plain := newHarness(t, harnessOpts{})
	owner := plain.setupOwner("owner")
	if res := get(plain, plain.client(), "/login", forged); res.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS from a stranger's X-Forwarded-Proto")
	}
	page := get(plain, owner, "/sites/flag.example/settings", forged)
	if strings.Contains(page.body, "evil.example") || strings.Contains(page.body, "javascript:") || strings.Contains(page.body, "https://"+testHost) {
		t.Errorf("a stranger's forwarding headers reached the snippet: %.400s", page.body[strings.Index(page.body, "snippet-script"):])
	}

	proxied := newHarness(t, harnessOpts{resolver: trustTestClient(t, "")})
	powner := proxied.setupOwner("owner")
	if res := get(proxied, proxied.client(), "/login", map[string]string{"X-Forwarded-Proto": "https"}); res.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind a TLS-terminating trusted proxy")
	}
	page = get(proxied, powner, "/sites/flag.example/settings", map[string]string{"X-Url-Scheme": "javascript", "X-Forwarded-Host": "stats.example.org"})
	if strings.Contains(page.body, "javascript:") || !strings.Contains(page.body, "http://stats.example.org/js/script.js") {
		t.Errorf("proxy's headers: %.400s", page.body[strings.Index(page.body, "snippet-script"):])
	}
}
