package accesslog

import (
	"strconv"
	"strings"
	"time"
)

// dash reads the "-" that logs write for an absent value as empty.
func dash(v string) string {
	if v == "-" {
		return ""
	}
	return v
}

// unescape undoes the escapes servers write inside quoted fields: \" and
// \\ (Apache), \xHH (nginx and Apache, for quotes and control bytes).
func unescape(v string) string {
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 >= len(v) {
			b.WriteByte(c)
			continue
		}
		switch n := v[i+1]; {
		case n == 'x' && i+3 < len(v) && isHex(v[i+2]) && isHex(v[i+3]):
			b.WriteByte(unhex(v[i+2])<<4 | unhex(v[i+3]))
			i += 3
		case n == '"' || n == '\\':
			b.WriteByte(n)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
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

// splitRequest reads a request line "GET /path?q HTTP/1.1". A request
// line that is not one (a TLS handshake sent to the HTTP port, "-") gives
// an empty or odd method, which is not counted, rather than a malformed
// line: the server did log a request.
func splitRequest(v string) (method, target string) {
	method, rest, ok := strings.Cut(v, " ")
	if !ok {
		return method, ""
	}
	if i := strings.LastIndexByte(rest, ' '); i >= 0 && strings.HasPrefix(rest[i+1:], "HTTP/") {
		rest = rest[:i]
	}
	return method, rest
}

func parseStatus(v string) (int, error) {
	if len(v) != 3 {
		if v == "-" {
			return 0, nil
		}
		return 0, malformed("the status is not a three-digit number")
	}
	n := 0
	for i := range 3 {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, malformed("the status is not a three-digit number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// timeCache parses Common Log Format times quickly: a log's lines share a
// few UTC offsets, each read once.
type timeCache struct {
	zone    *time.Location
	offsets map[int]*time.Location
}

func newTimeCache(zone *time.Location) *timeCache {
	if zone == nil {
		zone = time.UTC
	}
	return &timeCache{zone: zone, offsets: map[int]*time.Location{}}
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// clf parses "10/Oct/2000:13:55:36 -0700" (a fraction of a second, as
// some servers write, is allowed before the offset; the offset may be
// missing, then the zone applies).
func (c *timeCache) clf(v string) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, malformed("the time is not dd/Mon/yyyy:hh:mm:ss ±hhmm")
	}
	if len(v) < 20 || v[2] != '/' || v[6] != '/' || v[11] != ':' || v[14] != ':' || v[17] != ':' {
		return bad()
	}
	day, ok1 := digits(v[0:2])
	year, ok2 := digits(v[7:11])
	hour, ok3 := digits(v[12:14])
	minute, ok4 := digits(v[15:17])
	sec, ok5 := digits(v[18:20])
	month := 0
	for i, m := range months {
		if strings.EqualFold(v[3:6], m) {
			month = i + 1
			break
		}
	}
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || month == 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return bad()
	}
	rest := v[20:]
	nsec := 0
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		frac := rest[1:n]
		if len(frac) > 9 {
			frac = frac[:9]
		}
		f, _ := digits(frac)
		for range 9 - len(frac) {
			f *= 10
		}
		nsec, rest = f, rest[n:]
	}
	loc := c.zone
	if rest = strings.TrimSpace(rest); rest != "" {
		l, err := c.offset(rest)
		if err != nil {
			return bad()
		}
		loc = l
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), nil
}

// offset reads "+0900" or "-07:00".
func (c *timeCache) offset(v string) (*time.Location, error) {
	v = strings.Replace(v, ":", "", 1)
	if len(v) != 5 || v[0] != '+' && v[0] != '-' {
		return nil, malformed("bad offset")
	}
	hh, ok1 := digits(v[1:3])
	mm, ok2 := digits(v[3:5])
	if !ok1 || !ok2 || hh > 23 || mm > 59 {
		return nil, malformed("bad offset")
	}
	secs := (hh*60 + mm) * 60
	if v[0] == '-' {
		secs = -secs
	}
	if l, ok := c.offsets[secs]; ok {
		return l, nil
	}
	if len(c.offsets) > 64 {
		clear(c.offsets)
	}
	l := time.FixedZone("", secs)
	c.offsets[secs] = l
	return l, nil
}

func digits(v string) (int, bool) {
	if v == "" || len(v) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseISO reads RFC 3339 times ($time_iso8601).
func parseISO(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, malformed("the time is not an RFC 3339 time")
	}
	return t, nil
}

// parseUnix reads a Unix time in seconds/unit, with an optional fraction.
func parseUnix(v string, unit float64) (time.Time, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f/unit > 1<<40 {
		return time.Time{}, malformed("the time is not a Unix time")
	}
	secs := f / unit
	whole := int64(secs)
	return time.Unix(whole, int64((secs-float64(whole))*1e9)).UTC(), nil
}
