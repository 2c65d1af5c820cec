package dashboard

import "github.com/gofiber/fiber/v2"

// ContentSecurityPolicy is sent with every dashboard page: scripts, styles,
// images and connections only from this origin (every asset is embedded in
// the binary; no CDN), no inline script or style, no plugins, no framing,
// forms post only here, and Trusted Types so that no script can assign a
// string to innerHTML and the like: the dashboard builds every node with
// textContent, so a tracked path or referrer can never become markup.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'"

// pageHeaders are the headers of dashboard pages and assets.
func pageHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, ContentSecurityPolicy)
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Cross-Origin-Resource-Policy", "same-origin")
	// same-origin rather than no-referrer: with no-referrer, browsers send
	// "Origin: null" on the dashboard's own form posts, which the CSRF
	// check must refuse. Other sites still get no referrer.
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
}

// hsts asks browsers to use HTTPS only, on responses that came over HTTPS:
// the connection's own TLS or a trusted proxy's word, never a header any
// client can send (on plain HTTP it would lock the host's users out).
func (u *ui) hsts(c *fiber.Ctx) {
	if u.requestScheme(c) == "https" {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
	}
}

// serveAsset serves an embedded asset with the page headers.
func (u *ui) serveAsset(c *fiber.Ctx) error {
	u.hsts(c)
	return u.assets.serve(c)
}
