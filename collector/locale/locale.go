// Package locale reduces a visitor's language preferences and screen size
// to coarse classes.
//
// Privacy property (DESIGN §1.1, §1.4): no fingerprinting. The full
// Accept-Language list and the exact screen width are distinguishing
// details; only the first preferred language's primary subtag and a
// four-way screen class are kept, values shared by many visitors.
package locale

import "strings"

// maxHeader bounds the work done on a hostile Accept-Language header: only
// its first 4096 bytes are read.
const maxHeader = 4096

// Language returns the visitor's most preferred language as a lowercase
// primary subtag ("ja", "en", "fil"), or "" when the header names none.
//
// Entries are ranked by q-value, highest first, ties in header order; q=0
// entries, "*" and malformed tags are skipped. Chinese keeps its script,
// because Traditional and Simplified readers are different audiences: an
// explicit script subtag (zh-Hant, zh-Hans) is used, and otherwise the
// regions that write Traditional (TW, HK, MO) give "zh-hant" and CN and SG
// "zh-hans"; a bare "zh" stays "zh". Other regions and scripts are dropped.
//
// The result never shares memory with the header (which may be a view into
// a reused request buffer) and is allocation-free for two-letter codes.
func Language(acceptLanguage string) string {
	h := acceptLanguage
	if len(h) > maxHeader {
		h = h[:maxHeader]
	}
	best, bestQ := "", -1
	for h != "" {
		item := h
		h = ""
		if i := strings.IndexByte(item, ','); i >= 0 {
			item, h = item[:i], item[i+1:]
		}
		tag, q, ok := parseItem(item)
		if !ok || q <= bestQ || q == 0 {
			continue
		}
		lang := canonical(tag)
		if lang == "" {
			continue
		}
		best, bestQ = lang, q
		if q == 1000 {
			break // nothing can rank higher; later ties lose
		}
	}
	return best
}

// parseItem splits "en-US;q=0.8" into its tag and q-value in thousandths
// (1000 when absent). A malformed q-value makes the item invalid.
func parseItem(item string) (tag string, q int, ok bool) {
	tag, params, hasParams := strings.Cut(item, ";")
	tag = strings.TrimSpace(tag)
	if !hasParams {
		return tag, 1000, tag != ""
	}
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, value, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || strings.TrimSpace(name) != "q" && strings.TrimSpace(name) != "Q" {
			continue
		}
		q, ok = parseQ(strings.TrimSpace(value))
		return tag, q, ok && tag != ""
	}
	return tag, 1000, tag != ""
}

// parseQ parses an RFC 9110 qvalue: "0", "1", "0.5", "0.125", "1.000".
func parseQ(s string) (int, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q, true
	}
	if s[1] != '.' {
		return 0, false
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		q += int(s[i]-'0') * scale
		scale /= 10
	}
	return q, q <= 1000
}

// canonical validates a language tag and returns its kept form, or "".
func canonical(tag string) string {
	primary, rest, _ := cutSubtag(tag)
	if len(primary) < 2 || len(primary) > 3 || !isAlpha(primary) {
		return "" // also rejects "*", "i-klingon" and "x-private"
	}
	if len(primary) == 3 {
		// Rare enough to allocate; built byte by byte so it never shares
		// memory with the header.
		return string([]byte{lower(primary[0]), lower(primary[1]), lower(primary[2])})
	}
	a, b := lower(primary[0]), lower(primary[1])
	if a == 'z' && b == 'h' {
		return chinese(rest)
	}
	i := int(a-'a')*26 + int(b-'a')
	return twoLetter[i*2 : i*2+2]
}

// chinese picks the script from the subtags after "zh".
func chinese(rest string) string {
	for rest != "" {
		var sub string
		sub, rest, _ = cutSubtag(rest)
		switch {
		case oneOf(sub, "hant", "tw", "hk", "mo"):
			return "zh-hant"
		case oneOf(sub, "hans", "cn", "sg"):
			return "zh-hans"
		}
	}
	return "zh"
}

// oneOf reports whether s equals one of the lowercase words, ignoring case,
// without allocating.
func oneOf(s string, words ...string) bool {
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

func cutSubtag(s string) (sub, rest string, found bool) {
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := lower(s[i]); c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// twoLetter holds every two-letter code "aa".."zz" back to back, so that
// Language can return a slice of it instead of allocating.
var twoLetter = func() string {
	b := make([]byte, 0, 26*26*2)
	for a := byte('a'); a <= 'z'; a++ {
		for c := byte('a'); c <= 'z'; c++ {
			b = append(b, a, c)
		}
	}
	return string(b)
}()
