// Package scrubtest writes text in the disguises personal data takes in a
// URL — full-width characters, percent-encoding once or twice — for the
// tests of the URL scrubber, the canary and the privacy notice.
package scrubtest

import (
	"strings"
)

// FullWidth writes printable ASCII as its full-width form ("a@b" →
// "ａ＠ｂ") and a space as U+3000, as Japanese input methods do.
func FullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return '\u3000'
		case r > ' ' && r < 0x7f:
			return r + 0xFEE0
		}
		return r
	}, s)
}

// Percent percent-encodes every byte of s, each escape led by prefix: "%"
// encodes once, "%25" twice.
func Percent(s, prefix string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(prefix)
		b.WriteByte(hex[s[i]>>4])
		b.WriteByte(hex[s[i]&15])
	}
	return b.String()
}
