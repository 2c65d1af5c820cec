package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/auth"
)

func TestSetupOnlyWithCodeAndOnlyOnce(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	code := h.srv.SetupCode()
	if code == "" {
		t.Fatal("no setup code on a fresh server")
	}
	c := h.client()
	if res := c.get("/"); res.location != "/setup" {
		t.Errorf("/ on a fresh server redirects to %q", res.location)
	}
	c.get("/setup")
	form := url.Values{"code": {"AAAA-BBBB-CCCC"}, "username": {"tanaka"}, "password": {testPassword}, "password2": {testPassword}}
	if res := c.post("/setup", form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "setup code is wrong") {
		t.Errorf("wrong code: %d", res.status)
	}
	// Weak password, mismatch: refused with the reason.
	form.Set("code", code)
	form.Set("password", "password1234")
	form.Set("password2", "password1234")
	if res := c.post("/setup", form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "most common") {
		t.Errorf("common password: %d %.200s", res.status, res.body)
	}
	form.Set("password", testPassword)
	if res := c.post("/setup", form); res.status != http.StatusUnprocessableEntity {
		t.Errorf("mismatch: %d", res.status)
	}
	form.Set("password2", testPassword)
	// Without the double-submit token the form is refused.
	form.Del(csrfField)
	if res := c.postWith("/setup", form, map[string]string{"Sec-Fetch-Site": "same-origin"}, false); res.status != http.StatusForbidden {
		t.Errorf("setup without CSRF token: %d", res.status)
	}
	res := c.post("/setup", form)
	if res.status != http.StatusSeeOther || h.srv.SetupCode() != "" {
		t.Fatalf("setup: %d, code after %q", res.status, h.srv.SetupCode())
	}
	// Setup is gone: a second owner cannot be created with the old code.
	other := h.client()
	if res := other.get("/setup"); res.location != "/login" {
		t.Errorf("/setup after setup: %d → %q", res.status, res.location)
	}
	other.get("/login")
	form.Set("username", "mallory")
	other.post("/setup", form)
	if n, _ := h.srv.Admin().CountUsers(context.Background()); n != 1 {
		t.Errorf("%d users after a second setup attempt", n)
	}
}

func TestLoginSessionCookieAndRotation(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.setupOwner("tanaka")
	c := h.client()
	// An attacker plants a session id before sign-in (fixation).
	planted := "planted-session-id-0123456789abcdef0123456789"
	c.cookies["__Host-shukei_session"] = planted
	c.get("/login")
	req := c.post("/login", url.Values{"username": {"Tanaka"}, "password": {testPassword}, "next": {"/tokens"}})
	if req.status != http.StatusSeeOther || req.location != "/tokens" {
		t.Fatalf("login: %d → %q", req.status, req.location)
	}
	set := req.header.Values("Set-Cookie")
	var session string
	for _, s := range set {
		if strings.HasPrefix(s, "__Host-shukei_session=") {
			session = s
		}
	}
	for _, attr := range []string{"path=/", "HttpOnly", "secure", "SameSite=Lax"} {
		if !strings.Contains(session, attr) {
			t.Errorf("session cookie %q lacks %s", session, attr)
		}
	}
	if strings.Contains(strings.ToLower(session), "domain=") {
		t.Errorf("session cookie has a Domain: %q", session)
	}
	id := c.cookies["__Host-shukei_session"]
	if id == planted || len(id) < 40 {
		t.Fatalf("session id %q not rotated", id)
	}
	// Only the hash is stored: the id itself is nowhere in the store.
	if _, err := h.srv.Admin().SessionByHash(context.Background(), id); err == nil {
		t.Error("the raw session id is a key of the store")
	}
	if _, err := h.srv.Admin().SessionByHash(context.Background(), auth.HashSecret(id)); err != nil {
		t.Errorf("the session's hash is not stored: %v", err)
	}
	// The planted id is not a session.
	attacker := h.client()
	attacker.cookies["__Host-shukei_session"] = planted
	if res := attacker.get("/sites"); res.status != http.StatusSeeOther {
		t.Errorf("planted id reached /sites: %d", res.status)
	}
	// Signing out ends the session on the server too.
	c.sessionCSRF()
	c.post("/logout", nil)
	replay := h.client()
	replay.cookies["__Host-shukei_session"] = id
	if res := replay.get("/sites"); res.status != http.StatusSeeOther {
		t.Errorf("session usable after logout: %d", res.status)
	}
}

func TestSessionTimeouts(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	c := h.setupOwner("tanaka")
	h.clock.Add(90 * time.Minute)
	if res := c.get("/sites"); res.status != http.StatusOK {
		t.Fatalf("after 90 minutes: %d", res.status)
	}
	// Activity keeps it alive up to the absolute limit.
	for range 6 {
		h.clock.Add(100 * time.Minute)
		if res := c.get("/sites"); res.status != http.StatusOK {
			t.Fatalf("active session ended early at %v", h.clock.Now())
		}
	}
	h.clock.Add(100 * time.Minute) // over 12 hours since sign-in
	if res := c.get("/sites"); res.status != http.StatusSeeOther {
		t.Errorf("session past the absolute limit: %d", res.status)
	}
	c = h.login("tanaka")
	h.clock.Add(2*time.Hour + time.Minute)
	if res := c.get("/sites"); res.status != http.StatusSeeOther {
		t.Errorf("idle session: %d", res.status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.setupOwner("tanaka")
	c := h.client()
	c.get("/login")
	for i := range pairBurst {
		res := c.post("/login", url.Values{"username": {"tanaka"}, "password": {"wrong password " + string(rune('a'+i))}})
		if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "user name or the password is wrong") {
			t.Fatalf("attempt %d: %d", i, res.status)
		}
	}
	// Now even the right password waits: the account is throttled.
	res := c.post("/login", url.Values{"username": {"tanaka"}, "password": {testPassword}})
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("throttled login: %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	// An unknown account name is throttled the same way: no enumeration.
	for range pairBurst {
		c.post("/login", url.Values{"username": {"nobody"}, "password": {"x"}})
	}
	if res := c.post("/login", url.Values{"username": {"nobody"}, "password": {"x"}}); res.status != http.StatusTooManyRequests {
		t.Errorf("unknown account not throttled: %d", res.status)
	}
	h.clock.Add(limitWindow)
	if res := c.post("/login", url.Values{"username": {"tanaka"}, "password": {testPassword}}); res.status != http.StatusSeeOther {
		t.Errorf("after the window: %d", res.status)
	}
}

func TestLoginRateLimitPerNetwork(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.setupOwner("tanaka")
	c := h.client()
	c.get("/login")
	// Many accounts guessed from one network: the network is throttled.
	for i := range networkBurst {
		c.post("/login", url.Values{"username": {"user" + string(rune('a'+i))}, "password": {"x"}})
	}
	if res := c.post("/login", url.Values{"username": {"tanaka"}, "password": {testPassword}}); res.status != http.StatusTooManyRequests {
		t.Errorf("network not throttled: %d", res.status)
	}
}
