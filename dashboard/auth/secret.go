package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// TokenPrefix starts every API token, so secret scanners and people can
// recognise a leaked one.
const TokenPrefix = "shk_"

// NewSecret returns 256 random bits, URL-safe base64 encoded: session ids
// and CSRF tokens.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewAPIToken returns a new API token: the prefix and 256 random bits.
func NewAPIToken() string { return TokenPrefix + NewSecret() }

// HashSecret is what the admin store keeps of a session id, an API token or
// a recovery code: their SHA-256. The secrets are random and long, so a
// fast hash suffices; a stolen database then holds nothing that signs in.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// recoveryAlphabet has no characters people confuse (0/O, 1/I/L).
const recoveryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewRecoveryCodes returns n single-use recovery codes like "K7QM-2XH9-PT4C"
// (about 59 bits each).
func NewRecoveryCodes(n int) []string {
	codes := make([]string, n)
	for i := range codes {
		var b strings.Builder
		for j := range 12 {
			if j > 0 && j%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[randIndex(len(recoveryAlphabet))])
		}
		codes[i] = b.String()
	}
	return codes
}

// NormalizeRecoveryCode reads a recovery code as typed: case, spaces,
// hyphens and full-width forms are ignored. It reports false for anything
// that cannot be a code.
func NormalizeRecoveryCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ' || r >= '０' && r <= '９' {
			r -= 'Ａ' - 'A' // full-width forms are their ASCII forms shifted
		}
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r == '-' || r == ' ' || r == '－' || r == '　':
			continue
		}
		if !strings.ContainsRune(recoveryAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != 12 {
		return "", false
	}
	s = b.String()
	return s[:4] + "-" + s[4:8] + "-" + s[8:], true
}

// randIndex draws uniformly from [0, n) without modulo bias.
func randIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		_, _ = rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}
