package urlscrub

// Placeholders that replace identifiers. They are short, fixed and
// lowercase, so pages that differ only by an identifier group together.
const (
	PlaceholderEmail = ":email"
	PlaceholderPhone = ":phone"
	PlaceholderIP    = ":ip"
	PlaceholderID    = ":id"
	PlaceholderUUID  = ":uuid"
	PlaceholderToken = ":token"
)

// Kind names what a detector found. Kinds are bits, so one value can say
// everything a path had; a larger Kind wins when one number has two shapes.
type Kind uint16

// Detector kinds, in increasing precedence.
const (
	KindEmail Kind = 1 << iota
	KindUUID
	KindToken
	KindPersonID // a number under or after a person-like word
	KindCard     // a payment card number (Luhn)
	KindPhone
	KindIP
	kindRule // a site's scrub rule (see Rules)
)

// Kinds lists the detector kinds, for counters.
var Kinds = []Kind{KindEmail, KindPhone, KindIP, KindUUID, KindToken, KindPersonID, KindCard}

// String names a kind as counters and the dashboard show it.
func (k Kind) String() string {
	switch k {
	case KindEmail:
		return "email"
	case KindPhone:
		return "phone"
	case KindIP:
		return "ip"
	case KindUUID:
		return "uuid"
	case KindToken:
		return "token"
	case KindPersonID:
		return "person_id"
	case KindCard:
		return "card"
	}
	return "rule"
}

// Placeholder is the text that replaces an identifier of kind k.
func (k Kind) Placeholder() string {
	switch k {
	case KindEmail:
		return PlaceholderEmail
	case KindPhone:
		return PlaceholderPhone
	case KindIP:
		return PlaceholderIP
	case KindUUID:
		return PlaceholderUUID
	case KindToken:
		return PlaceholderToken
	}
	return PlaceholderID
}

// Detection thresholds. Tokens: 16 hex characters is a 64-bit secret;
// base64 tokens are long runs that mix letters and digits with many class
// changes, unlike slugs made of words.
const (
	minHexToken = 16
	minB64Token = 20
)

// maxRedactPasses bounds the passes of redact. A second pass is needed
// only when a placeholder and its neighbours form a new identifier (an
// address part followed by ":email" reads as "…::e"); text still changing
// after this many passes is dropped whole.
const maxRedactPasses = 4

// mode is what the surroundings of a string tell the detectors.
type mode struct {
	// scope: the string lies under a person-like path segment (/user/…),
	// so its numbers are the person's, order's or account's.
	scope bool
	// lenient: a site's keep rule matched; only e-mail addresses and IP
	// addresses are replaced (they are never a page's name).
	lenient bool
}

// redactor scans one string for identifiers. The *End fields remember how
// far a detector has already looked, so that every byte is examined a
// bounded number of times even on hostile input like "1-1-1-1-…".
type redactor struct {
	s []byte
	mode
	numEnd, b64End, jwtEnd, v6End int
	v6At, v6Len                   int // an IPv6 address found ahead, after leading dots
}

// redact returns s with every identifier replaced by its placeholder, and
// the kinds it replaced. The result is a fixed point: redacting it again
// changes nothing, so no identifier can form from a placeholder and its
// neighbours. It returns s itself when nothing was found; otherwise a
// slice of scratch (when it fits) or of new memory. ok is false when the
// text did not settle; the caller then drops it whole.
func redact(s, scratch []byte, m mode) (out []byte, found Kind, ok bool) {
	if !slowOnly && !mayHoldIdentifier(s) {
		return s, 0, true
	}
	return redactAll(s, scratch, m)
}

// slowOnly turns the fast path off, so that tests can compare it with the
// full detector pass.
var slowOnly = false

// redactAll is redact without the fast path: every detector runs.
func redactAll(s, scratch []byte, m mode) (out []byte, found Kind, ok bool) {
	cur := s
	for pass := 0; pass < maxRedactPasses; pass++ {
		r := redactor{s: cur, mode: m, v6At: -1}
		out, k, changed := r.rewrite(scratch[:0])
		if !changed {
			return cur, found, true
		}
		found |= k
		cur = out
		scratch = cur[len(cur):] // later passes write to new memory
	}
	return nil, found, false
}

// rewrite appends r.s with its identifiers replaced to dst, and reports
// whether it replaced any. Nothing is copied until the first match, so a
// clean string costs one scan.
func (r *redactor) rewrite(dst []byte) ([]byte, Kind, bool) {
	s, found, changed, copied := r.s, Kind(0), false, 0
	for i := 0; i < len(s); {
		n, k := r.match(i)
		if n == 0 {
			i++
			continue
		}
		dst = append(dst, s[copied:i]...)
		dst = append(dst, k.Placeholder()...)
		found, changed = found|k, true
		i += n
		copied = i
	}
	if !changed {
		return dst, 0, false
	}
	return append(dst, s[copied:]...), found, true
}

// mayHoldIdentifier is redact's fast path: it is false only when no
// detector can match anywhere in s, so that redact returns s without
// running them. Each clause is a trigger some detector cannot do without
// (the property test in fastpath_test.go checks the claim against the
// detectors themselves):
//
//   - '@': an e-mail address; ':': an IPv6 address (two at least);
//   - "eyJ": a JWT (every header starts so);
//   - three digits: every number shape (a person's number has
//     minPersonDigits, an IPv4 address four, phones and cards ten or more);
//   - a digit and an alphanumeric run of ten: a base64 token (a piece of
//     ten and a digit), a hex token (a run of sixteen and a digit), an
//     IPv4 address as one hex number ("0x" and eight hex digits);
//   - a dash and 36 bytes: a UUID, whose hex may be letters only.
//
// Clean path segments and values ("docs", "page-12", "v2", "spring_sale")
// thus cost one table-driven scan instead of a detector pass per byte.
func mayHoldIdentifier(s []byte) bool {
	digits, run, maxRun, dash := 0, 0, 0, false
	for k, c := range s {
		switch cl := classes[c]; {
		case cl&cDigit != 0:
			digits++
			run++
			if digits >= minPersonDigits || run >= 10 {
				return true // decided: no need to read on
			}
		case cl&(cLower|cUpper) != 0:
			run++
			if (digits > 0 && run >= 10) || (c == 'e' && k+2 < len(s) && s[k+1] == 'y' && s[k+2] == 'J') {
				return true
			}
		default:
			if c == '@' || c == ':' {
				return true
			}
			dash = dash || c == '-'
			maxRun, run = max(maxRun, run), 0
		}
	}
	maxRun = max(maxRun, run)
	return digits >= minPersonDigits || (digits > 0 && maxRun >= 10) || (dash && len(s) >= 36)
}

// match returns the length of the identifier starting at i and its kind,
// or 0. Detectors run from the most to the least specific.
func (r *redactor) match(i int) (int, Kind) {
	s := r.s
	c := s[i]
	if i == r.v6At {
		return r.v6Len, KindIP
	}
	if isV6(c) && i >= r.v6End && (i == 0 || !isV6(s[i-1])) {
		if n := r.ipv6At(i); n > 0 {
			return n, KindIP
		}
	}
	if isLocal(c) && (i == 0 || !isLocal(s[i-1])) {
		if n := emailAt(s, i); n > 0 {
			return n, KindEmail
		}
	}
	if isAlnum(c) && (i == 0 || !isAlnum(s[i-1])) {
		if n := hexIPv4At(s, i); n > 0 {
			return n, KindIP
		}
		if !r.lenient {
			if n := uuidAt(s, i); n > 0 {
				return n, KindUUID
			}
			if n := r.jwtAt(i); n > 0 {
				return n, KindToken
			}
			if n := hexTokenAt(s, i); n > 0 {
				return n, KindToken
			}
		}
	}
	if !r.lenient && isB64(c) && (i == 0 || !isB64(s[i-1])) {
		if n := r.b64TokenAt(i); n > 0 {
			return n, KindToken
		}
	}
	return r.numberAt(i)
}

// emailAt matches local@domain.tld starting at i. The domain ends after the
// last label's leading letters, so "john@example.com-profile" matches up to
// "com". Labels may be UTF-8 (internationalised domains: 例え.jp).
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
		for j < len(s) && (isAlnum(s[j]) || s[j] == '-' || s[j] >= 0x80) {
			j++
		}
		if j == start {
			break
		}
		if labels > 0 {
			// The top-level label's leading letters: ASCII ones, or
			// UTF-8 ones for an internationalised name.
			k, utf := start, s[start] >= 0x80
			for k < j && (s[k] >= 0x80) == utf && (utf || isLetter(s[k])) {
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
