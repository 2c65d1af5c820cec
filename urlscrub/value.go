package urlscrub

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxValueLen caps a scrubbed free-text value (UTM values, search terms),
// in bytes, cut at a rune boundary.
const MaxValueLen = 200

// maxValueInput bounds the work done on one value. The cut backs off to a
// character that cannot be part of an identifier, so that an identifier
// straddling it is dropped whole rather than kept in part, where the
// detectors would no longer recognise it.
const maxValueInput = 4096

// ScrubValue cleans a free-text value such as a UTM value or a search
// term, with the same rules as a path segment (DESIGN §1.5): the text is
// percent-decoded until no escape is left and NFKC-normalised (normalize),
// control and bidirectional-override characters are removed, invalid
// UTF-8 replaced by U+FFFD, whitespace trimmed and collapsed to single
// spaces, identifiers (e-mail addresses, phone numbers, IP addresses,
// UUIDs, tokens, numbers after a person-like word) replaced by
// placeholders, and the result capped at MaxValueLen bytes.
func ScrubValue(s string) string {
	out, _ := scrubValue(s)
	return out
}

// scrubValue is ScrubValue that also says what the detectors replaced.
func scrubValue(s string) (string, Kind) {
	if len(s) > maxValueInput {
		s = cutInput(s[:maxValueInput])
	}
	var a, b [256]byte
	clean, ok := valueView(s, a[:])
	if !ok {
		return PlaceholderToken, KindToken
	}
	out, found, ok := redact(clean, b[:], mode{})
	if !ok {
		return PlaceholderToken, found | KindToken
	}
	if len(out) > MaxValueLen {
		// Cut the redacted text, then redact the cut: a cut can shorten
		// a long number into a phone-shaped one.
		var k Kind
		out, k, ok = redact(capValue(out), nil, mode{})
		if !ok {
			return PlaceholderToken, found | KindToken
		}
		found |= k
	}
	out = capValue(out)
	if string(out) == s {
		return s, found
	}
	return string(out), found
}

// valueView normalises a value and cleans it (appendClean), repeating while
// cleaning uncovers an escape ("%\u200b40" → "%40"), so that the result is
// a fixed point of both.
func valueView(s string, buf []byte) ([]byte, bool) {
	if isASCII(s) && strings.IndexByte(s, '%') < 0 {
		return appendClean(buf[:0], s), true
	}
	cur := []byte(s)
	for range maxNormRounds {
		v, ok := normalize(cur, nil)
		if !ok {
			return nil, false
		}
		clean := appendClean(buf[:0], string(v))
		if !hasEscape(clean) {
			return clean, true
		}
		cur, buf = clean, nil
	}
	return nil, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cutInput drops the tail of s back to the last byte that no identifier
// detector reads as part of an identifier.
func cutInput(s string) string {
	i := len(s)
	for i > 0 && (isLocal(s[i-1]) || isB64(s[i-1]) || isNumSep(s[i-1]) || s[i-1] == '@') {
		i--
	}
	return s[:i]
}

// ScrubSearchTerm is ScrubValue followed by Unicode-aware lowercasing, so
// that "iPhone" and "iphone" count as one search.
func ScrubSearchTerm(s string) string {
	l := strings.ToLower(ScrubValue(s))
	if len(l) <= MaxValueLen {
		return l
	}
	// Lowercasing can lengthen a few characters (e.g. U+023A).
	return string(capValue([]byte(l)))
}

// capValue cuts b to MaxValueLen bytes at a rune boundary, then drops the
// space the cut may have left at the end.
func capValue(b []byte) []byte {
	b = capRunes(b, MaxValueLen)
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// appendClean appends s to dst rune by rune, dropping controls and
// invisible direction overrides, replacing invalid UTF-8, and collapsing
// every run of Unicode white space (including U+3000) to one ASCII space.
func appendClean(dst []byte, s string) []byte {
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII fast path, same rules as below.
			i++
			switch {
			case c == ' ' || ('\t' <= c && c <= '\r'):
				space = true
				continue
			case c < 0x20 || c == 0x7f:
				continue
			}
			if space && len(dst) > 0 {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			r = unicode.ReplacementChar
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || isInvisible(r):
			continue
		}
		if space && len(dst) > 0 {
			dst = append(dst, ' ')
		}
		space = false
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// isInvisible reports bidirectional controls, zero-width space and BOM:
// they can disguise what a dashboard shows without being visible.
func isInvisible(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200B, r == 0x200E, r == 0x200F, r == 0xFEFF:
		return true
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069:
		return true
	}
	return false
}
