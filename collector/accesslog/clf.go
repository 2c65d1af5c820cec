package accesslog

import (
	"net/netip"
	"strings"
)

// The Common Log Format and the combined format (Apache's and nginx's
// default), as format strings. The combined format accepts fields a site
// appended after the User-Agent; the first, when it is a quoted list of
// addresses or "-", is taken as X-Forwarded-For (nginx's default "main"
// format appends "$http_x_forwarded_for").
var (
	combined = mustPattern("combined", `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`, true)
	common   = mustPattern("common", `%h %l %u %t "%r" %>s %b`, false)
)

func mustPattern(name, format string, trailing bool) *pattern {
	f, err := ParseFormatString(format)
	if err != nil {
		panic(err)
	}
	p := f.(*pattern)
	p.name, p.trailing = name, trailing
	if trailing {
		p.extra = forwardedField
	}
	return p
}

// forwardedField reads a quoted X-Forwarded-For list after the combined
// fields.
func forwardedField(rest string, e *Entry) {
	rest = strings.TrimLeft(rest, " \t")
	if len(rest) < 2 || rest[0] != '"' {
		return
	}
	end := strings.IndexByte(rest[1:], '"')
	if end < 0 {
		return
	}
	v := rest[1 : 1+end]
	if v == "-" {
		e.Has |= HasForwardedFor
		return
	}
	for part := range strings.SplitSeq(v, ",") {
		if _, err := netip.ParseAddr(strings.TrimSpace(part)); err != nil {
			return
		}
	}
	e.ForwardedFor = v
	e.Has |= HasForwardedFor
}
