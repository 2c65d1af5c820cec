package urlscrub

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// MaxPathLen caps a scrubbed path, in bytes; longer paths are cut at a rune
// boundary. Real pages fit easily, and the cap bounds what a forged hit can
// store.
const MaxPathLen = 1024

// appendPath appends the scrubbed form of a raw URL path (without query or
// fragment) to dst: percent-decoded, duplicate slashes collapsed, and each
// segment's identifiers redacted. An empty path becomes "/".
//
// Decoding turns escapes into readable UTF-8 (/ja/%E3%81%8A → /ja/お) so that
// identifiers hidden in escapes are found, but bytes that would change the
// path's meaning or end up as control characters in a dashboard or log stay
// escaped: "/", "?", "#", "%", C0/DEL, C1 and invisible direction
// overrides. Invalid UTF-8 is replaced by
// U+FFFD rather than rejected: a page view with an odd path is still a page
// view, and the replacement keeps every stored value valid UTF-8.
func appendPath(dst []byte, raw string) []byte {
	var arr [512]byte
	dec := appendDecoded(arr[:0], raw)
	if !utf8.Valid(dec) {
		dec = bytes.ToValidUTF8(dec, []byte("\uFFFD"))
	}
	dec = escapeInvisible(dec)
	for len(dec) > 0 {
		// dec always starts with '/': copy it, then redact the segment.
		dst = append(dst, '/')
		dec = dec[1:]
		end := bytes.IndexByte(dec, '/')
		if end < 0 {
			end = len(dec)
		}
		dst = appendRedacted(dst, dec[:end])
		dec = dec[end:]
	}
	return dst
}

// escapeInvisible re-escapes decoded C1 controls and invisible direction
// overrides, which would otherwise disguise what a dashboard shows. It
// returns b itself when there are none.
func escapeInvisible(b []byte) []byte {
	i := firstInvisible(b)
	if i < 0 {
		return b
	}
	out := append(make([]byte, 0, len(b)+16), b[:i]...)
	for i < len(b) {
		r, n := utf8.DecodeRune(b[i:])
		if unicode.IsControl(r) || isInvisible(r) {
			for _, c := range b[i : i+n] {
				out = appendEscape(out, c)
			}
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

func firstInvisible(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if unicode.IsControl(r) || isInvisible(r) {
			return i
		}
		i += n
	}
	return -1
}

// appendDecoded percent-decodes raw into dst, ensures a leading slash and
// collapses runs of slashes.
func appendDecoded(dst []byte, raw string) []byte {
	dst = append(dst, '/')
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			c = unhex(raw[i+1])<<4 | unhex(raw[i+2])
			i += 2
			if keepEscaped(c) {
				dst = appendEscape(dst, c)
				continue
			}
		} else if c != '/' && keepEscaped(c) {
			// A stray '%' is escaped so that the stored path decodes back
			// unambiguously; raw control bytes never reach storage; a '#'
			// inside a hash route must not read as a second fragment.
			dst = appendEscape(dst, c)
			continue
		}
		if c == '/' && dst[len(dst)-1] == '/' {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

func keepEscaped(c byte) bool {
	return c < 0x20 || c == 0x7f || c == '%' || c == '/' || c == '?' || c == '#'
}

func appendEscape(dst []byte, c byte) []byte {
	const hex = "0123456789ABCDEF"
	return append(dst, '%', hex[c>>4], hex[c&15])
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// capRunes cuts b to at most n bytes without splitting a UTF-8 sequence.
func capRunes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n]
}
