package urlscrub

// Placeholders that replace identifiers. They are short, fixed and
// lowercase, so pages that differ only by an identifier group together.
const (
	PlaceholderEmail = ":email"
	PlaceholderID    = ":id"
	PlaceholderUUID  = ":uuid"
	PlaceholderToken = ":token"
)

// Detection thresholds (DESIGN §1.5). Numbers: order ids, phone numbers,
// customer numbers and IP addresses have six digits or more; years, sizes
// and model numbers rarely do. Tokens: 16 hex characters is a 64-bit
// secret; base64 tokens are long runs that mix letters and digits with many
// class changes, unlike slugs made of words.
const (
	minNumberDigits = 6
	minHexToken     = 16
	minB64Token     = 20
)

// redactor scans one string for identifiers. The *End fields remember how
// far a detector has already looked, so that every byte is examined a
// bounded number of times even on hostile input like "1-1-1-1-…".
type redactor struct {
	s                      []byte
	numEnd, b64End, jwtEnd int
}

// appendRedacted appends s to dst with every e-mail address, UUID, token
// and long number replaced by its placeholder.
func appendRedacted(dst, s []byte) []byte {
	if !mayHoldIdentifier(s) {
		return append(dst, s...)
	}
	r := redactor{s: s}
	for i := 0; i < len(s); {
		if n, ph := r.match(i); n > 0 {
			dst = append(dst, ph...)
			i += n
			continue
		}
		dst = append(dst, s[i])
		i++
	}
	return dst
}

// mayHoldIdentifier is a fast pre-check: every detector needs an '@' or a
// digit (random tokens and JWT headers contain digits with near
// certainty), except a UUID made of hex letters only, which needs 36 bytes
// and dashes.
func mayHoldIdentifier(s []byte) bool {
	dash := false
	for _, c := range s {
		if c == '@' || isDigit(c) {
			return true
		}
		dash = dash || c == '-'
	}
	return dash && len(s) >= 36
}

// match returns the length of the identifier starting at i and its
// placeholder, or 0. Detectors run from the most to the least specific.
func (r *redactor) match(i int) (int, string) {
	s := r.s
	if isLocal(s[i]) && (i == 0 || !isLocal(s[i-1])) {
		if n := emailAt(s, i); n > 0 {
			return n, PlaceholderEmail
		}
	}
	if isAlnum(s[i]) && (i == 0 || !isAlnum(s[i-1])) {
		if n := uuidAt(s, i); n > 0 {
			return n, PlaceholderUUID
		}
		if n := r.jwtAt(i); n > 0 {
			return n, PlaceholderToken
		}
		if n := hexTokenAt(s, i); n > 0 {
			return n, PlaceholderToken
		}
	}
	if isB64(s[i]) && (i == 0 || !isB64(s[i-1])) {
		if n := r.b64TokenAt(i); n > 0 {
			return n, PlaceholderToken
		}
	}
	if n := r.numberAt(i); n > 0 {
		return n, PlaceholderID
	}
	return 0, ""
}

// emailAt matches local@domain.tld starting at i. The domain ends after the
// last label's leading letters, so "john@example.com-profile" matches up to
// "com".
func emailAt(s []byte, i int) int {
	j := i
	for j < len(s) && isLocal(s[j]) {
		j++
	}
	if j == i || j >= len(s) || s[j] != '@' {
		return 0
	}
	end, labels := 0, 0
	for j++; j < len(s); j++ {
		start := j
		for j < len(s) && (isAlnum(s[j]) || s[j] == '-') {
			j++
		}
		if j == start {
			break
		}
		if labels > 0 {
			k := start
			for k < j && isLetter(s[k]) {
				k++
			}
			if k-start >= 2 {
				end = k
			}
		}
		labels++
		if j >= len(s) || s[j] != '.' {
			break
		}
	}
	if end == 0 {
		return 0
	}
	return end - i
}

// uuidAt matches 8-4-4-4-12 hex digits followed by a non-alphanumeric.
func uuidAt(s []byte, i int) int {
	const n = 36
	if len(s)-i < n || (len(s) > i+n && isAlnum(s[i+n])) {
		return 0
	}
	for k := 0; k < n; k++ {
		c := s[i+k]
		if k == 8 || k == 13 || k == 18 || k == 23 {
			if c != '-' {
				return 0
			}
		} else if !isHex(c) {
			return 0
		}
	}
	return n
}

// hexTokenAt matches an alphanumeric run of at least 16 hex digits that
// mixes letters and digits (all-digit runs are numbers; all-letter runs
// such as "aaaaaaaaaaaaaaaa" are words or filler, and a random 16-digit hex
// string has a digit with near certainty).
func hexTokenAt(s []byte, i int) int {
	j, letters := i, 0
	for j < len(s) && isAlnum(s[j]) {
		if !isHex(s[j]) {
			return 0
		}
		if s[j] > '9' {
			letters++
		}
		j++
	}
	if j-i < minHexToken || letters == 0 || letters == j-i {
		return 0
	}
	return j - i
}

// jwtAt matches a JWT-shaped header.payload.signature: every JWT header is
// base64url JSON and so starts with "eyJ". Dotted host names never do.
func (r *redactor) jwtAt(i int) int {
	s := r.s
	if i < r.jwtEnd || len(s)-i < 3 || string(s[i:i+3]) != "eyJ" {
		return 0
	}
	j, dots, partLen, short := i, 0, 0, false
	for ; j < len(s) && (isB64URL(s[j]) || s[j] == '.'); j++ {
		if s[j] != '.' {
			partLen++
			continue
		}
		short = short || partLen < 10
		dots, partLen = dots+1, 0
	}
	r.jwtEnd = j
	if dots != 2 || short {
		return 0
	}
	return j - i
}

// b64TokenAt matches a run of base64/base64url characters that looks
// random: long, letters and digits mixed, and many changes between
// lowercase, uppercase and digits inside long pieces. Slugs such as
// "top-10-gpus-rtx4090-rx7900xtx" have short pieces and few changes.
func (r *redactor) b64TokenAt(i int) int {
	s := r.s
	if i < r.b64End {
		return 0
	}
	j, piece, maxPiece, changes := i, 0, 0, 0
	letter, digit := false, false
	for ; j < len(s) && isB64(s[j]); j++ {
		c := s[j]
		if !isAlnum(c) {
			piece = 0
			continue
		}
		letter, digit = letter || isLetter(c), digit || isDigit(c)
		if piece > 0 && class(c) != class(s[j-1]) {
			changes++
		}
		piece++
		maxPiece = max(maxPiece, piece)
	}
	r.b64End = j
	if j-i < minB64Token || !letter || !digit || changes < 4 || maxPiece < 10 {
		return 0
	}
	// Padding ends a token; elsewhere '=' is a boundary ("id=…").
	for pad := 0; pad < 2 && j < len(s) && s[j] == '='; pad++ {
		j++
	}
	return j - i
}
