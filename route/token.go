package route

import (
	"crypto/subtle"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// MaxRequestBytes bounds any request body before a handler runs; routes
// enforce tighter limits (4 KiB for a hit) with their own messages.
const MaxRequestBytes = 64 << 10

// BearerToken returns the request's "Authorization: Bearer" token (the
// scheme name is case-insensitive, RFC 7235).
func BearerToken(c *fiber.Ctx) (string, bool) {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) < 7 || !strings.EqualFold(h[:7], "Bearer ") {
		return "", false
	}
	token := strings.TrimSpace(h[7:])
	return token, token != ""
}

// SameToken reports whether got is want, in constant time; an empty want
// matches nothing.
func SameToken(want, got string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// Authenticator authenticates a request from its headers alone — a bearer
// token or a signed-in session — before any body is read (DESIGN §1.10:
// nothing costly happens for a stranger). It returns nil for a request
// that is not authenticated. The dashboard provides the Stats API's.
type Authenticator interface {
	Authenticate(c *fiber.Ctx) (Grant, error)
}

// Grant is what an authenticated request may read: Allows decides per
// site once the request names it (in a query body, read after
// authentication).
type Grant interface {
	Allows(c *fiber.Ctx, site string) (bool, error)
}

// AllSites is the grant of a token valid for every site (the start-up
// token).
type AllSites struct{}

// Allows implements Grant.
func (AllSites) Allows(*fiber.Ctx, string) (bool, error) { return true, nil }
