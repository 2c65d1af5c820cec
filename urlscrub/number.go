package urlscrub

// Numbers (DESIGN §1.5: people out, pages in). A number alone is not
// personal: municipal CMS pages are numbered (/kurashi/1000123.html,
// /docs/2026120100015/), and so are dates and campaigns
// (mail-20261201). A number is replaced only when its shape says it is a
// phone number, an IPv4 address or a card number, or when it stands under
// or right after a word that names a person, an account or an order
// (/user/4711, order-1234567, 会員番号 12345).

// maxWindowDigits is the longest digit window any shape needs (a
// 17-digit "00…" international number).
const maxWindowDigits = 17

// minShapeDigits is the fewest digits of any phone or card shape; runs
// with fewer skip the window analysis.
const minShapeDigits = 10

// minPersonDigits: under a person-like parent, numbers of this many digits
// or more are taken as the person's, order's or account's number. Shorter
// ones ("/members/page/2") are page numbers.
const minPersonDigits = 3

// group is one run of digits inside a number, and how it is joined to the
// previous group.
type group struct {
	a, b  int32 // s[a:b] are the digits
	dot   bool  // joined to the previous group by exactly one '.'
	dotty bool  // joined to the previous group by a '.' and maybe more
}

// n is the number of digits.
func (g group) n() int { return int(g.b - g.a) }

// numberAt matches a number starting at i: digit groups joined by one or
// two separators ("+81 90-1234-5678", "(03) 1234-5678", "192.168.10.20"),
// optionally led by '+' or '('. The whole number is replaced when any
// window of consecutive groups has a personal shape, so a phone number
// cannot hide inside a longer run ("1-090-1234-5678").
func (r *redactor) numberAt(i int) (int, Kind) {
	s := r.s
	if i < r.numEnd {
		return 0, 0
	}
	start, plus := i, false
	switch c := s[i]; {
	case c == '+':
		j := i + 1
		if j < len(s) && s[j] == '(' {
			j++
		}
		if j >= len(s) || !isDigit(s[j]) {
			return 0, 0
		}
		plus, i = true, j
	case c == '(':
		if i+1 >= len(s) || !isDigit(s[i+1]) || (i > 0 && isAlnum(s[i-1])) {
			return 0, 0
		}
		i++
	case !isDigit(c) || (i > 0 && isDigit(s[i-1])):
		return 0, 0
	}
	var ring [maxWindowDigits + 1]group
	var first [4]int // lengths of the first groups, for the date check
	n, digits, kind := 0, 0, Kind(0)
	sameSep, sep := true, byte(0)
	end := i
	for j := i; ; {
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		g := group{a: int32(j), b: int32(k)}
		if n > 0 {
			g.dot = j-end == 1 && s[end] == '.'
			g.dotty = s[end] == '.' || s[j-1] == '.'
			if j-end != 1 || (sep != 0 && s[end] != sep) {
				sameSep = false
			}
			sep = s[end]
		}
		ring[n%len(ring)] = g
		if n < len(first) {
			first[n] = k - j
		}
		n, digits, end = n+1, digits+k-j, k
		kind = max(kind, r.windowKind(&ring, n, digits))
		next := k
		for next < len(s) && next-k < 2 && isNumSep(s[next]) {
			next++
		}
		if next == k || next >= len(s) || !isDigit(s[next]) {
			break
		}
		j = next
	}
	r.numEnd = end
	switch {
	case kind == KindIP:
	case n == 4 && sameSep && (sep == '-' || sep == '_') && digits >= 7 && !plus && dashedIPv4(s, &ring):
		kind = KindIP
	case r.lenient:
		return 0, 0
	case kind != 0:
	case plus && digits >= 7:
		kind = KindPhone
	case digits >= minPersonDigits && (r.scope || r.personWordBefore(start)) &&
		!isDateLike(s[i:end], first, n):
		kind = KindPersonID
	default:
		return 0, 0
	}
	return end - start, kind
}

// windowKind classifies the windows that end at the newest group (the
// n-th, stored in ring), with digits digits in the run so far: IPv4 beats
// phone beats card.
func (r *redactor) windowKind(ring *[maxWindowDigits + 1]group, n, digits int) Kind {
	s := r.s
	last := ring[(n-1)%len(ring)]
	if n >= 4 && isOctet(s[last.a:last.b]) {
		ip := true
		for k := n - 1; k > n-4; k-- {
			g := ring[k%len(ring)]
			prev := ring[(k-1)%len(ring)]
			ip = ip && g.dot && isOctet(s[prev.a:prev.b])
		}
		if ip {
			return KindIP
		}
	}
	if r.lenient || digits < minShapeDigits {
		return 0
	}
	kind := Kind(0)
	var buf [maxWindowDigits + 8]byte
	d := buf[len(buf):]
	dots, plain := 0, 0 // joins inside the window with and without a '.'
	for k, groups := n-1, 0; k >= 0 && k > n-1-len(ring); k-- {
		g := ring[k%len(ring)]
		if len(d)+g.n() > maxWindowDigits {
			break
		}
		if groups > 0 {
			// The join after g, held by the group after it.
			if ring[(k+1)%len(ring)].dotty {
				dots++
			} else {
				plain++
			}
		}
		// Prepend the group's digits: d holds the window g..last.
		d = buf[len(buf)-len(d)-(g.n()):]
		copy(d, s[g.a:g.b])
		groups++
		switch {
		case isPhoneDigits(d):
			return KindPhone
		case groups >= 3 && (dots == 0 || plain == 0) && isSeparatedPhone(ring, k, n, len(d)):
			return KindPhone
		case isCardDigits(d):
			kind = KindCard
		}
	}
	return kind
}

// isPhoneDigits reports the digits of a Japanese number (10 or 11 digits
// from 0[1-9]: 090-1234-5678, 03-1234-5678), of one with the Japanese
// country code but no '+' (81 90 1234 5678), and of an international
// number dialled with 00 or 010.
func isPhoneDigits(d []byte) bool {
	switch n := len(d); {
	case n >= 10 && n <= 11 && d[0] == '0' && d[1] != '0':
		return true
	case n >= 11 && n <= 12 && d[0] == '8' && d[1] == '1' && d[2] != '0':
		return true
	case n >= 12 && n <= maxWindowDigits && d[0] == '0' && (d[1] == '0' && d[2] != '0' || d[1] == '1' && d[2] == '0'):
		return true
	}
	return false
}

// isSeparatedPhone reports a window of three or more groups shaped like a
// written phone number elsewhere: a short leading group, then 3–4 and 4
// digits at the end, 10 to 13 digits in all ("555-123-4567",
// "44 20 7946 0958"). The caller has checked that the window does not mix
// dots with other separators, as coordinates do ("35.6895-139.6917").
func isSeparatedPhone(ring *[maxWindowDigits + 1]group, k, n, digits int) bool {
	last := ring[(n-1)%len(ring)]
	prev := ring[(n-2)%len(ring)]
	firstG := ring[k%len(ring)]
	return digits >= 10 && digits <= 13 && last.n() == 4 &&
		prev.n() >= 3 && prev.n() <= 4 && firstG.n() <= 3
}

// isCardDigits reports a payment card number: 15 or 16 digits from 3–6
// that pass the Luhn check.
func isCardDigits(d []byte) bool {
	if (len(d) != 15 && len(d) != 16) || d[0] < '3' || d[0] > '6' {
		return false
	}
	sum := 0
	for k := len(d) - 1; k >= 0; k-- {
		v := int(d[k] - '0')
		if (len(d)-1-k)%2 == 1 {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// isOctet reports 1–3 digits with a value of at most 255.
func isOctet(b []byte) bool {
	if len(b) == 0 || len(b) > 3 {
		return false
	}
	v := 0
	for _, c := range b {
		v = v*10 + int(c-'0')
	}
	return v <= 255
}

// dashedIPv4 reports four octets joined by '-' or '_', as in reverse-DNS
// host names ("203-0-113-77").
func dashedIPv4(s []byte, ring *[maxWindowDigits + 1]group) bool {
	for k := range 4 {
		if !isOctet(s[ring[k].a:ring[k].b]) {
			return false
		}
	}
	return true
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
	return len(run) == 10 && run[a] == run[b] && (run[a] == '-' || run[a] == '.' || run[a] == '/')
}

func isYear(b []byte) bool {
	return (b[0] == '1' && b[1] == '9') || (b[0] == '2' && b[1] == '0')
}
