package urlscrub

import "bytes"

// Words that name a person, an account or an order (DESIGN §1.5: "long
// numbers under person-like parents"). A path segment that is one of them
// puts the segments after it in scope (/user/4711 → /user/:id); one of
// them right before a number in a segment or a value does the same for
// that number (order-1234567, 会員番号 12345678).
var personWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"user", "userid", "uid", "member", "memberid", "account", "customer", "customerid",
		"client", "order", "orderid", "profile", "patient", "person", "student", "employee",
		"invoice", "reservation", "booking", "applicant", "subscriber", "mypage",
	} {
		m[w], m[w+"s"] = true, true
	}
	m["people"] = true
	return m
}()

// parentOnly are short words that put later segments in scope but are too
// common to mark a number inside a segment ("u2", "my3d").
var parentOnly = map[string]bool{"u": true, "my": true, "me": true, "id": true}

// japanesePersonWords are matched as suffixes of the text before a number
// and as whole segments.
var japanesePersonWords = [][]byte{
	[]byte("会員"), []byte("会員番号"), []byte("利用者"), []byte("利用者番号"), []byte("ユーザー"),
	[]byte("ユーザ"), []byte("顧客"), []byte("顧客番号"), []byte("お客様番号"), []byte("注文"),
	[]byte("注文番号"), []byte("受付番号"), []byte("予約番号"), []byte("申込番号"), []byte("患者"),
	[]byte("患者番号"), []byte("個人番号"), []byte("マイページ"),
}

// maxPersonWord bounds the ASCII word compared, in bytes.
const maxPersonWord = 16

// isPersonSegment reports a path segment that names people: the segments
// under it are a person's.
func isPersonSegment(seg []byte) bool {
	if len(seg) == 0 || len(seg) > 4*maxPersonWord {
		return false
	}
	if seg[0] >= 0x80 {
		for _, w := range japanesePersonWords {
			if bytes.Equal(seg, w) {
				return true
			}
		}
		return false
	}
	if len(seg) > maxPersonWord || !isLetter(seg[0]) {
		return false
	}
	w, ok := lowerWord(seg)
	return ok && (personWords[string(w[:len(seg)])] || parentOnly[string(w[:len(seg)])])
}

// personWordBefore reports a person word right before the number at i,
// with at most two separators between ("order-1234567", "user_12",
// "会員番号：12345" after NFKC).
func (r *redactor) personWordBefore(i int) bool {
	s := r.s
	j := i
	for k := 0; k < 2 && j > 0 && isWordSep(s[j-1]); k++ {
		j--
	}
	if j > 0 && s[j-1] >= 0x80 {
		for _, w := range japanesePersonWords {
			if bytes.HasSuffix(s[:j], w) {
				return true
			}
		}
		return false
	}
	k := j
	for k > 0 && isLetter(s[k-1]) && j-k < maxPersonWord {
		k--
	}
	if k == j || (k > 0 && isLetter(s[k-1])) {
		return false
	}
	w, ok := lowerWord(s[k:j])
	return ok && personWords[string(w[:j-k])]
}

func isWordSep(c byte) bool {
	return c == '-' || c == '_' || c == ' ' || c == '.' || c == ':' || c == '#' || c == '=' || c == '/'
}

// lowerWord lowercases an ASCII word of at most maxPersonWord letters into
// a fixed array, so that map look-ups do not allocate.
func lowerWord(b []byte) (w [maxPersonWord]byte, ok bool) {
	if len(b) > maxPersonWord {
		return w, false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		w[i] = c
	}
	return w, true
}
