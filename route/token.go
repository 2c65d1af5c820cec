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
