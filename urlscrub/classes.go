package urlscrub

// Character classes, as a table so the scanners stay branch-light.
const (
	cDigit = 1 << iota
	cLower
	cUpper
	cHex
	cLocal  // e-mail local part: alnum, ._%+- and UTF-8
	cB64    // base64 and base64url alphabets, without '/' and '='
	cB64URL // base64url: alnum, '-' and '_'
	cNumSep // separators inside phone and order numbers
	cV6     // IPv6 text: hex digits, ':' and '.' (embedded IPv4)
)

var classes = func() (t [256]uint16) {
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit | cHex | cLocal | cB64 | cB64URL
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLower | cLocal | cB64 | cB64URL
		t[c-'a'+'A'] = cUpper | cLocal | cB64 | cB64URL
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= cHex
	}
	for _, c := range "._%+-" {
		t[c] |= cLocal
	}
	// Internationalised addresses (RFC 6531) have UTF-8 local parts; without
	// this, "jöhn@example.com" would keep "jö".
	for c := 0x80; c < 0x100; c++ {
		t[c] |= cLocal
	}
	for _, c := range "+-_" {
		t[c] |= cB64
	}
	t['-'] |= cB64URL
	t['_'] |= cB64URL
	for _, c := range "-. ()_" {
		t[c] |= cNumSep
	}
	for _, c := range "0123456789abcdefABCDEF:." {
		t[c] |= cV6
	}
	return t
}()

func isDigit(c byte) bool  { return classes[c]&cDigit != 0 }
func isLetter(c byte) bool { return classes[c]&(cLower|cUpper) != 0 }
func isAlnum(c byte) bool  { return classes[c]&(cDigit|cLower|cUpper) != 0 }
func isHex(c byte) bool    { return classes[c]&cHex != 0 }
func isLocal(c byte) bool  { return classes[c]&cLocal != 0 }
func isB64(c byte) bool    { return classes[c]&cB64 != 0 }
func isB64URL(c byte) bool { return classes[c]&cB64URL != 0 }
func isNumSep(c byte) bool { return classes[c]&cNumSep != 0 }
func isV6(c byte) bool     { return classes[c]&cV6 != 0 }

// class tells lowercase, uppercase and digits apart for the token scanner.
func class(c byte) uint16 { return classes[c] & (cDigit | cLower | cUpper) }
