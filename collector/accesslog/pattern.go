package accesslog

import (
	"fmt"
	"strings"
	"time"
)

// A pattern is a log layout given as a format string, in the syntax of
// nginx's log_format ($remote_addr, ${status}) or of Apache's LogFormat
// (%h, %>s, %{User-Agent}i): the line is matched token by token, each
// field running up to the literal text that follows it.

// fieldKind is what a format-string field holds.
type fieldKind uint8

const (
	fIgnore fieldKind = iota
	fAddr
	fForwardedFor
	fTimeCLF // 10/Oct/2000:13:55:36 -0700
	fTimeISO // 2000-10-10T13:55:36-07:00
	fTimeSec // Unix seconds, with or without a fraction ($msec, %{sec}t)
	fTimeMsec
	fTimeUsec
	fRequest // GET /path?q HTTP/1.1
	fMethod
	fURI   // path and query
	fPath  // path only
	fQuery // query only, with or without "?"
	fStatus
	fReferrer
	fUserAgent
	fHost
	fScheme
	fContentType
	fIsArgs // nginx's $is_args: "?" when there is a query
)

// token is a literal or a field.
type token struct {
	lit  string
	kind fieldKind
	// field is the variable as written, for messages.
	field string
}

func (t token) isField() bool { return t.lit == "" }

// pattern is a compiled format string.
type pattern struct {
	name   string
	tokens []token
	has    Fields
	// trailing allows more text after the last token, after a space (the
	// combined format extended with fields of a site's own).
	trailing bool
	// extra reads the trailing text (the combined format's optional
	// X-Forwarded-For field).
	extra func(rest string, e *Entry)
}

// ParseFormatString compiles a format string in nginx or Apache syntax.
// It needs a client address, a time and a request (or a path); other
// fields are optional.
func ParseFormatString(s string) (Format, error) {
	if len(s) > maxFormatLen {
		return nil, fmt.Errorf("format string longer than %d bytes", maxFormatLen)
	}
	var toks []token
	var err error
	if strings.Contains(s, "$") {
		toks, err = compileNginx(s)
	} else {
		toks, err = compileApache(s)
	}
	if err != nil {
		return nil, err
	}
	p := &pattern{name: s, tokens: mergeLiterals(joinURI(toks))}
	return p, p.check()
}

const maxFormatLen = 4096

// check makes sure the pattern can be matched and yields a request.
func (p *pattern) check() error {
	var hasAddr, hasTime, hasTarget bool
	for i, t := range p.tokens {
		if t.isField() && i+1 < len(p.tokens) && p.tokens[i+1].isField() {
			return fmt.Errorf("format string: %s and %s follow each other with nothing between them to tell where one ends", t.field, p.tokens[i+1].field)
		}
		switch t.kind {
		case fAddr:
			hasAddr = true
		case fTimeCLF, fTimeISO, fTimeSec, fTimeMsec, fTimeUsec:
			hasTime = true
		case fRequest:
			hasTarget = true
			p.has |= HasMethod
		case fURI, fPath:
			hasTarget = true
		case fMethod:
			p.has |= HasMethod
		case fStatus:
			p.has |= HasStatus
		case fReferrer:
			p.has |= HasReferrer
		case fUserAgent:
			p.has |= HasUserAgent
		case fHost:
			p.has |= HasHost
		case fContentType:
			p.has |= HasContentType
		case fForwardedFor:
			p.has |= HasForwardedFor
		}
	}
	switch {
	case !hasAddr:
		return fmt.Errorf("format string: no client address ($remote_addr or %%h)")
	case !hasTime:
		return fmt.Errorf("format string: no time ($time_local, $time_iso8601, $msec or %%t)")
	case !hasTarget:
		return fmt.Errorf("format string: no request ($request, $request_uri, $uri, %%r or %%U)")
	}
	return nil
}

func (p *pattern) Name() string { return p.name }

func (p *pattern) NewParser(zone *time.Location) Parser {
	return &patternParser{p: p, times: newTimeCache(zone)}
}

type patternParser struct {
	p     *pattern
	times *timeCache
}

func (pp *patternParser) Parse(line string, e *Entry) error {
	*e = Entry{Has: pp.p.has}
	if isBlank(line) {
		return ErrSkip
	}
	toks := pp.p.tokens
	pos := 0
	for i, t := range toks {
		if !t.isField() {
			if !strings.HasPrefix(line[pos:], t.lit) {
				return malformed("the line does not follow the format")
			}
			pos += len(t.lit)
			continue
		}
		end := len(line)
		if i+1 < len(toks) {
			next := toks[i+1].lit
			quoted := pos > 0 && line[pos-1] == '"' && next[0] == '"'
			n := indexDelim(line[pos:], next, quoted)
			if n < 0 {
				return malformed("the line does not follow the format")
			}
			end = pos + n
		} else if !spacious(t.kind) || pp.p.trailing {
			// The last field ends at a space unless it may hold spaces;
			// what follows is checked below.
			if n := strings.IndexAny(line[pos:], " \t"); n >= 0 {
				end = pos + n
			}
		}
		quoted := pos > 0 && line[pos-1] == '"'
		if err := pp.field(t.kind, line[pos:end], quoted, e); err != nil {
			return err
		}
		pos = end
	}
	if rest := line[pos:]; rest != "" {
		if !pp.p.trailing || !isSpace(rest[0]) {
			if strings.TrimRight(rest, " \t\r") != "" {
				return malformed("text after the last field of the format")
			}
		} else if pp.p.extra != nil {
			pp.p.extra(rest, e)
		}
	}
	if e.Time.IsZero() {
		return malformed("no time")
	}
	if e.Has&HasMethod == 0 {
		e.Method = "GET"
	}
	return nil
}

// indexDelim finds the literal that ends a field. Inside quotes a quote
// escaped by a backslash (Apache writes \" ) is part of the field.
func indexDelim(s, delim string, quoted bool) int {
	if !quoted {
		return strings.Index(s, delim)
	}
	off := 0
	for {
		n := strings.Index(s[off:], delim)
		if n < 0 {
			return -1
		}
		i := off + n
		bs := 0
		for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
			bs++
		}
		if bs%2 == 0 {
			return i
		}
		off = i + 1
	}
}

func (pp *patternParser) field(k fieldKind, v string, quoted bool, e *Entry) error {
	if quoted && strings.IndexByte(v, '\\') >= 0 {
		v = unescape(v)
	}
	var err error
	switch k {
	case fAddr:
		e.Addr = v
	case fForwardedFor:
		e.ForwardedFor = dash(v)
	case fTimeCLF:
		e.Time, err = pp.times.clf(v)
	case fTimeISO:
		e.Time, err = parseISO(v)
	case fTimeSec:
		e.Time, err = parseUnix(v, 1)
	case fTimeMsec:
		e.Time, err = parseUnix(v, 1e3)
	case fTimeUsec:
		e.Time, err = parseUnix(v, 1e6)
	case fRequest:
		e.Method, e.Target = splitRequest(v)
	case fMethod:
		e.Method = v
	case fURI:
		e.Target = v
	case fPath:
		e.Target = v
	case fQuery:
		e.Query = strings.TrimPrefix(dash(v), "?")
	case fStatus:
		e.Status, err = parseStatus(v)
	case fReferrer:
		e.Referrer = dash(v)
	case fUserAgent:
		e.UserAgent = dash(v)
	case fHost:
		e.Host = dash(v)
	case fScheme:
		e.Scheme = dash(v)
	case fContentType:
		e.ContentType = dash(v)
	}
	return err
}

// spacious fields may hold spaces.
func spacious(k fieldKind) bool {
	return k == fRequest || k == fUserAgent || k == fReferrer || k == fTimeCLF || k == fContentType
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }
