package dashboard

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/auth"
)

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	key, err := auth.DecodeTOTPSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	return auth.HOTP(key, uint64(auth.TOTPStep(at)), auth.TOTPDigits)
}

// enableTOTP turns the second factor on for a signed-in client and returns
// the secret and the recovery codes shown.
func enableTOTP(t *testing.T, h *harness, c *client) (string, []string) {
	t.Helper()
	page := c.get("/account/two-factor")
	m := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(page.body)
	if m == nil || !strings.Contains(page.body, "<svg") {
		t.Fatalf("enrolment page without secret or QR code: %.300s", page.body)
	}
	secret := m[1]
	res := c.post("/account/two-factor", url.Values{"secret": {secret}, "code": {"000000"}, "password": {testPassword}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("wrong enrolment code: %d", res.status)
	}
	res = c.post("/account/two-factor", url.Values{"secret": {secret}, "code": {totpCode(t, secret, h.clock.Now())}, "password": {testPassword}})
	codes := regexp.MustCompile(`<li><code>([0-9A-Z-]{14})</code></li>`).FindAllStringSubmatch(res.body, -1)
	if res.status != http.StatusOK || len(codes) != recoveryCodeCount {
		t.Fatalf("enable: %d, %d recovery codes", res.status, len(codes))
	}
	var out []string
	for _, m := range codes {
		out = append(out, m[1])
	}
	return secret, out
}

func TestSecondFactorReplayAndRecoveryCodes(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	owner := h.setupOwner("tanaka")
	secret, recovery := enableTOTP(t, h, owner)

	// Password alone no longer signs in.
	c := h.client()
	c.get("/login")
	res := c.post("/login", url.Values{"username": {"tanaka"}, "password": {testPassword}, "next": {"/tokens"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login/second-factor") {
		t.Fatalf("password step: %d → %q", res.status, res.location)
	}
	pending := c.cookies["__Host-shukei_session"]
	if r := c.get("/sites"); r.status != http.StatusSeeOther {
		t.Errorf("second-factor session reached /sites: %d", r.status)
	}
	page := c.get(res.location)
	c.csrf = regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]

	// The code used to enable TOTP was claimed then: replaying it fails.
	sameStep := totpCode(t, secret, h.clock.Now())
	if r := c.post("/login/second-factor", url.Values{"code": {sameStep}}); r.status != http.StatusUnauthorized {
		t.Errorf("replayed enrolment code: %d", r.status)
	}
	h.clock.Add(auth.TOTPPeriod)
	code := totpCode(t, secret, h.clock.Now())
	r := c.post("/login/second-factor", url.Values{"code": {code}, "next": {"/tokens"}})
	if r.status != http.StatusSeeOther || r.location != "/tokens" {
		t.Fatalf("second factor: %d → %q", r.status, r.location)
	}
	if c.cookies["__Host-shukei_session"] == pending {
		t.Error("the session id was not rotated after the second factor")
	}

	// Another sign-in within the same 30 seconds cannot reuse that code.
	c2 := h.client()
	c2.get("/login")
	c2.post("/login", url.Values{"username": {"tanaka"}, "password": {testPassword}})
	page = c2.get("/login/second-factor")
	c2.csrf = regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c2.post("/login/second-factor", url.Values{"code": {code}}); r.status != http.StatusUnauthorized {
		t.Errorf("TOTP replay accepted: %d", r.status)
	}
	// A recovery code works once, typed in lower case with spaces.
	typed := strings.ToLower(strings.ReplaceAll(recovery[3], "-", " "))
	if r := c2.post("/login/second-factor", url.Values{"code": {typed}}); r.status != http.StatusSeeOther {
		t.Fatalf("recovery code: %d %.200s", r.status, r.body)
	}
	c3 := h.client()
	c3.get("/login")
	c3.post("/login", url.Values{"username": {"tanaka"}, "password": {testPassword}})
	page = c3.get("/login/second-factor")
	c3.csrf = regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c3.post("/login/second-factor", url.Values{"code": {recovery[3]}}); r.status != http.StatusUnauthorized {
		t.Errorf("used recovery code accepted again: %d", r.status)
	}
	// The second-factor step expires after a few minutes.
	h.clock.Add(secondFactorWindow + time.Second)
	if r := c3.get("/login/second-factor"); r.status != http.StatusSeeOther {
		t.Errorf("expired second-factor step: %d", r.status)
	}
}

func TestSecondFactorRateLimited(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	owner := h.setupOwner("tanaka")
	secret, _ := enableTOTP(t, h, owner)
	c := h.client()
	c.get("/login")
	c.post("/login", url.Values{"username": {"tanaka"}, "password": {testPassword}})
	page := c.get("/login/second-factor")
	c.csrf = regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	for range secondFactorBurst {
		c.post("/login/second-factor", url.Values{"code": {"123456"}})
	}
	h.clock.Add(auth.TOTPPeriod)
	if r := c.post("/login/second-factor", url.Values{"code": {totpCode(t, secret, h.clock.Now())}}); r.status != http.StatusTooManyRequests {
		t.Errorf("guessing codes not throttled: %d", r.status)
	}
}
