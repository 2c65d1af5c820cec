package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6238's default, which every authenticator app speaks; HMAC-SHA-1 is not broken
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// TOTP parameters: those of RFC 6238's default profile, which every
// authenticator app supports.
const (
	TOTPPeriod = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew accepts the codes of one step before and after the current
	// one, for clocks a little apart.
	TOTPSkew = 1
	// totpSecretLen is 160 bits, RFC 4226's recommended key length.
	totpSecretLen = 20
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random secret in base32, the form authenticator
// apps take.
func NewTOTPSecret() string {
	b := make([]byte, totpSecretLen)
	_, _ = rand.Read(b)
	return b32.EncodeToString(b)
}

// DecodeTOTPSecret decodes a base32 secret (spaces and case ignored).
func DecodeTOTPSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	b, err := b32.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(b) < 10 || len(b) > 64 {
		return nil, fmt.Errorf("totp: malformed secret")
	}
	return b, nil
}

// HOTP computes RFC 4226's code for counter with the given number of digits.
func HOTP(key []byte, counter uint64, digits int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPStep is the time step holding t.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// VerifyTOTP checks a code against the steps around now and returns the
// step it matched. A code of a step at or before lastStep is refused: each
// code works once, so an observed code cannot be replayed (RFC 6238 §5.2).
// The caller must record the returned step atomically (see the admin
// store's ClaimTOTPStep).
func VerifyTOTP(key []byte, code string, now time.Time, lastStep int64) (int64, bool) {
	code, ok := NormalizeCode(code, TOTPDigits)
	if !ok {
		return 0, false
	}
	cur := TOTPStep(now)
	matched, found := int64(0), 0
	for step := cur - TOTPSkew; step <= cur+TOTPSkew; step++ {
		// Compare every candidate in constant time and do not stop early.
		if step > lastStep && hmac.Equal([]byte(HOTP(key, uint64(step), TOTPDigits)), []byte(code)) {
			matched, found = step, found+1
		}
	}
	return matched, found > 0
}

// NormalizeCode reads a code typed by a person: spaces and hyphens are
// ignored and full-width digits (a Japanese input method's) are read as
// ASCII. It reports false unless exactly digits digits remain.
func NormalizeCode(s string, digits int) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '-' || r == '－' || unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	if b.Len() != digits {
		return "", false
	}
	return b.String(), true
}

// TOTPURI is the otpauth:// URI authenticator apps import (as a QR code
// or a link): issuer and account label the entry.
func TOTPURI(secret, issuer, account string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(TOTPDigits))
	v.Set("period", fmt.Sprint(int(TOTPPeriod/time.Second)))
	return "otpauth://totp/" + label + "?" + v.Encode()
}
