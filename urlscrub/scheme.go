package urlscrub

import "strings"

// NoHostname is the hostname of a page whose URL has no host, such as a
// file:// page of a packaged app (Plausible's "(none)").
const NoHostname = "(none)"

// cutOtherScheme strips the "scheme://" of a URL that is not http(s), as
// Plausible accepts them: file:// pages of packaged apps, chrome-extension://
// pages of extensions, app:// screens of mobile apps. A data: URL carries
// its whole content in the URL and is refused, as Plausible refuses it.
func cutOtherScheme(s string) (string, bool) {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || !validScheme(scheme) || strings.EqualFold(scheme, "data") {
		return "", false
	}
	return rest, true
}

// validScheme checks RFC 3986's scheme syntax: a letter, then letters,
// digits, "+", "-" or ".".
func validScheme(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}
