package dashboard

import (
	"crypto/subtle"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/auth"
)

// CSRF protection has two layers on every state-changing request:
//
//  1. The browser's own statement of where the request comes from:
//     Sec-Fetch-Site must be same-origin and Origin must be this host when
//     the browser sends them (every current browser does on POST).
//  2. A secret token the attacker cannot read: the session's synchronizer
//     token (form field _csrf or header X-CSRF-Token) once signed in; before
//     that (sign-in and setup forms), a double-submit token in a
//     SameSite=Strict cookie matched by the form.
//
// SameSite=Lax on the session cookie is a third, browser-side layer.

// CSRFHeader carries the session's CSRF token on script requests.
const CSRFHeader = "X-CSRF-Token"

const csrfField = "_csrf"

// sameOrigin checks the browser's provenance headers.
func (u *ui) sameOrigin(c *fiber.Ctx) bool {
	if site := c.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true // an older client: the token decides
	}
	o, err := url.Parse(origin)
	if err != nil || o.Host == "" || (o.Scheme != "http" && o.Scheme != "https") {
		return false // includes "null" (sandboxed or privacy-sensitive contexts)
	}
	return strings.EqualFold(o.Host, u.requestHost(c))
}

// requestHost is the host the browser addressed: the Host header, or what
// a trusted proxy says (the server's one trusted-proxy policy).
func (u *ui) requestHost(c *fiber.Ctx) string {
	return u.ips.Host(remoteAddr(c), &c.Request().Header, string(c.Request().Host()))
}

// requestScheme is the scheme the browser used: the connection's, or what
// a trusted proxy says.
func (u *ui) requestScheme(c *fiber.Ctx) string {
	return u.ips.Scheme(remoteAddr(c), &c.Request().Header, c.Context().IsTLS())
}

// remoteAddr is the connection's peer.
func remoteAddr(c *fiber.Ctx) netip.Addr {
	a, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return a.Unmap()
}

// sessionTokenOK checks the synchronizer token of a signed-in request.
func sessionTokenOK(c *fiber.Ctx, want string) bool {
	got := c.Get(CSRFHeader)
	if got == "" {
		got = c.FormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// headerTokenOK checks the synchronizer token in the X-CSRF-Token header
// only, for requests whose body must not be read before they are
// authenticated (the Stats API).
func headerTokenOK(c *fiber.Ctx, want string) bool {
	got := c.Get(CSRFHeader)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (u *ui) anonCookieName() string {
	if u.cfg.InsecureCookies {
		return "shukei_csrf"
	}
	return "__Host-shukei_csrf"
}

// anonToken returns the double-submit token of a signed-out form, setting
// its cookie when the browser has none yet.
func (u *ui) anonToken(c *fiber.Ctx) string {
	if tok := c.Cookies(u.anonCookieName()); len(tok) >= 32 && len(tok) <= 64 {
		return tok
	}
	tok := auth.NewSecret()
	u.setCookie(c, u.anonCookieName(), tok, 24*time.Hour, fiber.CookieSameSiteStrictMode)
	return tok
}

// anonTokenOK checks a signed-out form's token against its cookie.
func (u *ui) anonTokenOK(c *fiber.Ctx) bool {
	cookie := c.Cookies(u.anonCookieName())
	form := c.FormValue(csrfField)
	return len(cookie) >= 32 && subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) == 1
}
