package urlscrub

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNormRounds bounds the alternation of percent-decoding and NFKC. Real
// text settles in one round; two are needed only when a full-width '％'
// hides an escape ("％４０" → "%40" → "@"). Text that has not settled after
// this many rounds is hostile nesting and is dropped whole (normalize
// reports false).
const maxNormRounds = 4

// normalize returns the form of s that the detectors read and that is
// stored (DESIGN §1.5): percent-decoded until no escape is left
// ("%2540" → "%40" → "@"), NFKC-normalised (full-width "ａｌｉｃｅ＠…" and
// "０９０" become ASCII), with invalid UTF-8 replaced by U+FFFD and
// dash-like characters between digits ("090ー1234", "03−1234") folded to
// '-'. The result is a fixed point: decoding or normalising it again
// changes nothing, so what is stored is exactly what was checked.
//
// It returns s itself when s is already in that form (the common case:
// ASCII without '%'), else a slice of buf or of a new allocation.
func normalize(s, buf []byte) ([]byte, bool) {
	ascii := isASCIIBytes(s)
	if ascii && bytes.IndexByte(s, '%') < 0 {
		return s, true
	}
	cur := s
	for round := 0; round < maxNormRounds; round++ {
		dec := cur
		if bytes.IndexByte(cur, '%') >= 0 {
			dec = appendUnescaped(buf[:0], cur)
			buf = dec[:0:0] // the next round decodes into fresh memory
		}
		if !utf8.Valid(dec) {
			dec = bytes.ToValidUTF8(dec, []byte("\uFFFD"))
		}
		if isASCIIBytes(dec) {
			return dec, true // ASCII is NFKC, and decoding left no escape
		}
		// The norm package keeps its input: give it a copy, so that the
		// caller's stack buffers stay on the stack.
		own := append([]byte(nil), dec...)
		nf := own
		if !norm.NFKC.IsNormal(own) {
			nf = norm.NFKC.Append(nil, own...)
		}
		nf = foldDashes(nf)
		if bytes.IndexByte(nf, '%') < 0 || !hasEscape(nf) {
			return nf, true
		}
		cur = nf
	}
	return nil, false
}

// appendUnescaped percent-decodes s into dst as a stack: whenever the bytes
// written so far end in "%XX", they are replaced by the byte they encode,
// and the check repeats, so nested escapes ("%252540") resolve in one
// linear pass and the result holds no escape at all.
func appendUnescaped(dst, s []byte) []byte {
	base := len(dst)
	for _, c := range s {
		dst = append(dst, c)
		for n := len(dst); n-base >= 3 && dst[n-3] == '%' && isHex(dst[n-2]) && isHex(dst[n-1]); n = len(dst) {
			dst[n-3] = unhex(dst[n-2])<<4 | unhex(dst[n-1])
			dst = dst[:n-2]
		}
	}
	return dst
}

// hasEscape reports a "%XX" sequence.
func hasEscape(b []byte) bool {
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && isHex(b[i+1]) && isHex(b[i+2]) {
			return true
		}
	}
	return false
}

// foldDashes replaces dash-like characters that stand between two ASCII
// digits with '-': Japanese input writes phone numbers with the long vowel
// mark or a minus sign ("090ー1234ー5678"), which NFKC leaves alone.
func foldDashes(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if n > 1 && isDashLike(r) && i > 0 && isDigit(b[i-1]) && i+n < len(b) && isDigit(b[i+n]) {
			if out == nil {
				out = append(make([]byte, 0, len(b)), b[:i]...)
			}
			out = append(out, '-')
		} else if out != nil {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}

func isDashLike(r rune) bool {
	return (0x2010 <= r && r <= 0x2015) || r == 0x2212 || r == 0x30FC || r == 0xFF70
}

func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
