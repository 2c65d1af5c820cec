package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func (c *client) statsQuery(site string, headers map[string]string) response {
	c.h.t.Helper()
	body := `{"site_id":"` + site + `","metrics":["visitors"],"date_range":"7d"}`
	req := httptest.NewRequest(http.MethodPost, "/api/v2/query", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// createToken creates a token as c and returns the secret shown once.
func createToken(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	res := c.post("/tokens", form)
	m := regexp.MustCompile(`id="new-token">(shk_[A-Za-z0-9_-]+)<`).FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		t.Fatalf("create token: %d %.300s", res.status, res.body)
	}
	return m[1]
}

func TestStatsAPITokens(t *testing.T) {
	f := newAccessFixture(t)
	h := f.h
	h.addSite(f.owner, "b.example")
	anon := h.client()
	if res := anon.statsQuery(fixtureSite, bearer(startupToken)); res.status != http.StatusOK {
		t.Errorf("start-up token: %d %s", res.status, res.body)
	}
	if res := anon.statsQuery(fixtureSite, bearer("shk_not-a-token")); res.status != http.StatusUnauthorized {
		t.Errorf("unknown token: %d", res.status)
	}
	if res := anon.statsQuery(fixtureSite, nil); res.status != http.StatusUnauthorized {
		t.Errorf("no credentials: %d", res.status)
	}
	// The viewer's token reads the viewer's site, not another.
	all := createToken(t, f.viewer, url.Values{"name": {"all"}, "scope": {"all"}})
	if res := anon.statsQuery(fixtureSite, bearer(all)); res.status != http.StatusOK {
		t.Errorf("viewer token on its site: %d %s", res.status, res.body)
	}
	if res := anon.statsQuery("b.example", bearer(all)); res.status != http.StatusUnauthorized {
		t.Errorf("viewer token on a site without role: %d", res.status)
	}
	// An owner token limited to b.example cannot read a.example.
	only := createToken(t, f.owner, url.Values{"name": {"b only"}, "scope": {"some"}, "site": {"b.example"}})
	if res := anon.statsQuery("b.example", bearer(only)); res.status != http.StatusOK {
		t.Errorf("site token on its site: %d", res.status)
	}
	if res := anon.statsQuery(fixtureSite, bearer(only)); res.status != http.StatusUnauthorized {
		t.Errorf("site token on another site: %d", res.status)
	}
	// A token cannot be created for a site its user has no role on.
	if res := f.viewer.post("/tokens", url.Values{"name": {"sneaky"}, "scope": {"some"}, "site": {"b.example"}}); res.status != http.StatusForbidden {
		t.Errorf("token for a foreign site: %d", res.status)
	}
	// Taking the role away takes it from the token.
	if err := h.srv.Admin().RemoveRole(context.Background(), f.viewerID, fixtureSite); err != nil {
		t.Fatal(err)
	}
	if res := anon.statsQuery(fixtureSite, bearer(all)); res.status != http.StatusUnauthorized {
		t.Errorf("token after its user lost the role: %d", res.status)
	}
	// Revoked tokens stop working; only hashes are stored.
	tokens, _ := h.srv.Admin().Tokens(context.Background())
	for _, tk := range tokens {
		if strings.Contains(tk.Hash, only) || tk.Hash == only {
			t.Error("a token is stored in clear")
		}
		if tk.Name == "b only" {
			f.owner.post("/tokens/"+itoa(tk.ID)+"/revoke", nil)
		}
	}
	if res := anon.statsQuery("b.example", bearer(only)); res.status != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", res.status)
	}
}

func TestStatsAPISession(t *testing.T) {
	f := newAccessFixture(t)
	withCSRF := map[string]string{CSRFHeader: f.viewer.csrf, "Sec-Fetch-Site": "same-origin", "Origin": "http://" + testHost}
	if res := f.viewer.statsQuery(fixtureSite, withCSRF); res.status != http.StatusOK {
		t.Fatalf("session with CSRF header: %d %s", res.status, res.body)
	}
	if res := f.viewer.statsQuery(fixtureSite, map[string]string{"Sec-Fetch-Site": "same-origin"}); res.status != http.StatusUnauthorized {
		t.Errorf("session without CSRF header: %d", res.status)
	}
	cross := map[string]string{CSRFHeader: f.viewer.csrf, "Sec-Fetch-Site": "cross-site"}
	if res := f.viewer.statsQuery(fixtureSite, cross); res.status != http.StatusUnauthorized {
		t.Errorf("cross-site session request: %d", res.status)
	}
	other := map[string]string{CSRFHeader: f.outsider.csrf, "Sec-Fetch-Site": "same-origin"}
	if res := f.outsider.statsQuery(fixtureSite, other); res.status != http.StatusUnauthorized {
		t.Errorf("session without a role: %d", res.status)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/stats/realtime/visitors?site_id="+fixtureSite, nil)
	req.Header.Set(CSRFHeader, f.viewer.csrf)
	if res := f.viewer.do(req); res.status != http.StatusNotImplemented {
		t.Errorf("realtime with session (no collector here: 501 once authorised): %d %s", res.status, res.body)
	}
}

func TestUserMustChangeTemporaryPassword(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	owner := h.setupOwner("owner")
	res := owner.post("/users", url.Values{"username": {"Suzuki"}})
	m := regexp.MustCompile(`id="temp-password">([A-Z0-9-]+)<`).FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		t.Fatalf("create user: %d", res.status)
	}
	c := h.client()
	c.get("/login")
	res = c.post("/login", url.Values{"username": {"suzuki"}, "password": {m[1]}})
	if res.location != "/account?notice=notice.change_password" {
		t.Fatalf("first sign-in → %q", res.location)
	}
	c.sessionCSRF()
	if r := c.get("/sites"); r.status != http.StatusSeeOther || r.location != "/account" {
		t.Errorf("before changing the password /sites: %d → %q", r.status, r.location)
	}
	if r := c.statsQuery("flag.example", map[string]string{CSRFHeader: c.csrf}); r.status != http.StatusUnauthorized {
		t.Errorf("stats before changing the password: %d", r.status)
	}
	r := c.post("/account/password", url.Values{"current": {m[1]}, "password": {testPassword}, "password2": {testPassword}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change password: %d %.300s", r.status, r.body)
	}
	if r := c.get("/sites"); r.status != http.StatusOK {
		t.Errorf("after changing the password /sites: %d", r.status)
	}
	u, _ := h.srv.Admin().UserByName(context.Background(), "suzuki")
	if u.MustChangePassword {
		t.Error("flag still set")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
