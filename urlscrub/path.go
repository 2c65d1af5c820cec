package urlscrub

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPathLen caps a scrubbed path, in bytes; longer paths are cut at a rune
// boundary. Real pages fit easily, and the cap bounds what a forged hit can
// store.
const MaxPathLen = 1024

// maxSegmentView bounds the work done on one path segment: past it, the
// segment could not fit in the stored path anyway.
const maxSegmentView = 4 * MaxPathLen

// pathState carries what one segment tells the next.
type pathState struct {
	scope   bool // a person-like segment came before (DESIGN §1.5)
	lenient bool // a site's keep rule matched: see mode
	found   Kind // what the detectors replaced so far
}

// segmentScratch is stack memory for one segment at a time, declared once
// per path rather than once per segment.
type segmentScratch struct{ raw, view, red [256]byte }

// appendPath appends the scrubbed form of a raw URL path (without query or
// fragment) to dst, at most up to limit bytes: duplicate slashes collapsed
// and each segment normalised (normalize), redacted (redact) and escaped
// again where a byte would change the path's meaning or hide in a
// dashboard. An empty path becomes "/".
func appendPath(dst []byte, raw string, limit int, st *pathState) []byte {
	var sc segmentScratch
	start := len(dst)
	for rest := raw; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "" {
			continue
		}
		if len(dst)+2 > limit {
			break
		}
		dst = append(dst, '/')
		dst = appendSegment(dst, seg, limit, st, &sc)
	}
	if (len(dst) == start || strings.HasSuffix(raw, "/")) && len(dst) < limit && (len(dst) == start || dst[len(dst)-1] != '/') {
		dst = append(dst, '/')
	}
	return dst
}

// appendSegment appends one scrubbed segment, cut to fit within limit.
// Cutting happens on the redacted text, so an identifier found in the
// whole segment is never kept in part, and the cut text is redacted again,
// so a cut cannot turn a long number into a phone-shaped one.
func appendSegment(dst []byte, seg string, limit int, st *pathState, sc *segmentScratch) []byte {
	view, ok := normalize(append(sc.raw[:0], seg...), sc.view[:])
	if !ok {
		view = []byte(PlaceholderToken)
	}
	if len(view) > maxSegmentView {
		view = capRunes(view, maxSegmentView)
	}
	m := mode{scope: st.scope, lenient: st.lenient}
	red, found, ok := redact(view, sc.red[:], m)
	if !ok {
		red = []byte(PlaceholderToken)
	}
	st.found |= found
	if room := limit - len(dst); len(red) > room && escapedLen(red) > room {
		red = red[:fitEscaped(red, room)]
		red, found, ok = redact(red, nil, m)
		if !ok {
			red = nil
		}
		st.found |= found
	}
	st.scope = st.scope || isPersonSegment(view)
	return appendEscaped(dst, red)
}

// needsEscape reports a rune that is stored escaped: bytes that would
// change the path's meaning ('/', '?', '#', and '%' so that the stored path
// decodes back unambiguously), controls, and invisible direction overrides
// that would disguise what a dashboard shows.
func needsEscape(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiEscape[r]
	}
	return unicode.IsControl(r) || isInvisible(r)
}

var asciiEscape = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = c < 0x20 || c == 0x7f || c == '%' || c == '/' || c == '?' || c == '#'
	}
	return t
}()

// escapedLen is the length of appendEscaped's output for b.
func escapedLen(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			n++
			if asciiEscape[b[i]] {
				n += 2
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		n += size
		if needsEscape(r) {
			n += 2 * size
		}
		i += size
	}
	return n
}

// fitEscaped returns the longest rune-aligned prefix length of b whose
// escaped form fits in room bytes.
func fitEscaped(b []byte, room int) int {
	n := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		w := size
		if needsEscape(r) {
			w = 3 * size
		}
		if n+w > room {
			return i
		}
		n += w
		i += size
	}
	return len(b)
}

// appendEscaped appends b with the runes needsEscape names percent-encoded.
func appendEscaped(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if needsEscape(rune(c)) {
				dst = appendEscape(dst, c)
			} else {
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if needsEscape(r) {
			for _, c := range b[i : i+size] {
				dst = appendEscape(dst, c)
			}
		} else {
			dst = append(dst, b[i:i+size]...)
		}
		i += size
	}
	return dst
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
