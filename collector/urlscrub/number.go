package urlscrub

// numberAt matches a long number starting at i: digit groups joined by at
// most two separators ("+81 90-1234-5678", "(555) 123-4567",
// "192.168.10.20", "order 1234567"). Dates (2024-05-01, 01.05.2024) and
// year ranges (2019-2024) are kept: they identify no one and are common in
// slugs.
func (r *redactor) numberAt(i int) int {
	s := r.s
	if i < r.numEnd {
		return 0
	}
	start := i
	switch c := s[i]; {
	case c == '+' || c == '(':
		if i+1 >= len(s) || !isDigit(s[i+1]) || (i > 0 && isAlnum(s[i-1])) {
			return 0
		}
		i++
	case !isDigit(c) || (i > 0 && isDigit(s[i-1])):
		return 0
	}
	var groups [4]int
	ngroups, digits, end := 0, 0, i
	for j := i; j < len(s); {
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if ngroups < len(groups) {
			groups[ngroups] = k - j
		}
		ngroups, digits, end = ngroups+1, digits+k-j, k
		sep := k
		for sep < len(s) && sep-k < 2 && isNumSep(s[sep]) {
			sep++
		}
		if sep == k || sep >= len(s) || !isDigit(s[sep]) {
			break
		}
		j = sep
	}
	r.numEnd = end
	if digits < minNumberDigits || isDateLike(s[start:end], groups, ngroups) {
		return 0
	}
	return end - start
}

// isDateLike reports YYYY-MM-DD, DD.MM.YYYY and 19xx-20xx shapes.
func isDateLike(run []byte, g [4]int, n int) bool {
	switch {
	case n == 3 && g[0] == 4 && g[1] == 2 && g[2] == 2:
		return sameSeps(run, 4, 7) && isYear(run[0:4])
	case n == 3 && g[0] == 2 && g[1] == 2 && g[2] == 4:
		return sameSeps(run, 2, 5) && isYear(run[6:10])
	case n == 2 && g[0] == 4 && g[1] == 4 && len(run) == 9:
		return isYear(run[0:4]) && isYear(run[5:9])
	}
	return false
}

func sameSeps(run []byte, a, b int) bool {
	return len(run) == 10 && run[a] == run[b] && (run[a] == '-' || run[a] == '.')
}

func isYear(b []byte) bool {
	return (b[0] == '1' && b[1] == '9') || (b[0] == '2' && b[1] == '0')
}

// Character classes, as a table so the scanners stay branch-light.
const (
	cDigit = 1 << iota
	cLower
	cUpper
	cHex
	cLocal  // e-mail local part: alnum, ._%+- and UTF-8
	cB64    // base64 and base64url alphabets, without '/' and '='
	cB64URL // base64url: alnum, '-' and '_'
	cNumSep // separators inside phone and order numbers
)

var classes = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit | cHex | cLocal | cB64 | cB64URL
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLower | cLocal | cB64 | cB64URL
		t[c-'a'+'A'] = cUpper | cLocal | cB64 | cB64URL
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= cHex
	}
	for _, c := range "._%+-" {
		t[c] |= cLocal
	}
	// Internationalised addresses (RFC 6531) have UTF-8 local parts; without
	// this, "jöhn@example.com" would keep "jö".
	for c := 0x80; c < 0x100; c++ {
		t[c] |= cLocal
	}
	for _, c := range "+-_" {
		t[c] |= cB64
	}
	t['-'] |= cB64URL
	t['_'] |= cB64URL
	for _, c := range "-. ()" {
		t[c] |= cNumSep
	}
	return t
}()

func isDigit(c byte) bool  { return classes[c]&cDigit != 0 }
func isLetter(c byte) bool { return classes[c]&(cLower|cUpper) != 0 }
func isAlnum(c byte) bool  { return classes[c]&(cDigit|cLower|cUpper) != 0 }
func isHex(c byte) bool    { return classes[c]&cHex != 0 }
func isLocal(c byte) bool  { return classes[c]&cLocal != 0 }
func isB64(c byte) bool    { return classes[c]&cB64 != 0 }
func isB64URL(c byte) bool { return classes[c]&cB64URL != 0 }
func isNumSep(c byte) bool { return classes[c]&cNumSep != 0 }

// class tells lowercase, uppercase and digits apart for the token scanner.
func class(c byte) uint8 { return classes[c] & (cDigit | cLower | cUpper) }
