package accesslog

import (
	"net/url"
	"strings"
	"time"
)

// w3cFormat is the W3C extended log file format: directives (#Version,
// #Fields, …) and space- or tab-separated fields in the order #Fields
// names. IIS writes it by default (iis: '+' stands for a space in the
// User-Agent); CloudFront and others percent-encode values instead (w3c).
// Times are in UTC, as the format specifies, unless a zone is given.
type w3cFormat struct{ iis bool }

func (f w3cFormat) Name() string {
	if f.iis {
		return "iis"
	}
	return "w3c"
}

func (f w3cFormat) NewParser(zone *time.Location) Parser {
	if zone == nil {
		zone = time.UTC
	}
	return &w3cParser{iis: f.iis, zone: zone}
}

type w3cParser struct {
	iis    bool
	zone   *time.Location
	fields []w3cField
	has    Fields
	// parts is reused for the split line.
	parts []string
}

type w3cField uint8

const (
	wIgnore w3cField = iota
	wDate
	wTime
	wAddr
	wMethod
	wStem
	wQuery
	wURI
	wStatus
	wUserAgent
	wReferrer
	wHost
	wForwardedFor
	wScheme
	wContentType
)

// w3cNames maps #Fields names (lower case) to fields.
var w3cNames = map[string]w3cField{
	"date": wDate, "time": wTime, "c-ip": wAddr, "cs-method": wMethod,
	"cs-uri-stem": wStem, "cs-uri-query": wQuery, "cs-uri": wURI, "sc-status": wStatus,
	"cs(user-agent)": wUserAgent, "cs(referer)": wReferrer, "cs(referrer)": wReferrer,
	"cs-host": wHost, "cs(host)": wHost, "x-host-header": wHost,
	"cs(x-forwarded-for)": wForwardedFor, "x-forwarded-for": wForwardedFor,
	"cs-protocol": wScheme, "sc-content-type": wContentType, "sc(content-type)": wContentType,
}

// maxW3CFields bounds a #Fields directive.
const maxW3CFields = 128

func (p *w3cParser) Parse(line string, e *Entry) error {
	*e = Entry{}
	line = strings.TrimRight(line, "\r")
	if isBlank(line) {
		return ErrSkip
	}
	if line[0] == '#' {
		return p.directive(line)
	}
	if p.fields == nil {
		return malformed("a line before any #Fields directive")
	}
	p.parts = splitW3C(line, p.parts[:0], len(p.fields)+1)
	if len(p.parts) != len(p.fields) {
		return malformed("the number of fields differs from #Fields")
	}
	var date, clock string
	for i, f := range p.fields {
		v := p.parts[i]
		if v == "-" {
			v = ""
		}
		var err error
		switch f {
		case wDate:
			date = v
		case wTime:
			clock = v
		case wAddr:
			e.Addr = v
		case wMethod:
			e.Method = v
		case wStem:
			e.Target = v
		case wURI:
			e.Target = v
		case wQuery:
			e.Query = v
		case wStatus:
			e.Status, err = parseStatus(p.parts[i])
		case wUserAgent:
			e.UserAgent = p.text(v)
		case wReferrer:
			e.Referrer = v
		case wHost:
			e.Host = v
		case wForwardedFor:
			e.ForwardedFor = p.text(v)
		case wScheme:
			e.Scheme = v
		case wContentType:
			e.ContentType = p.text(v)
		}
		if err != nil {
			return err
		}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", date+" "+clock, p.zone)
	if err != nil {
		return malformed("the date and time are not yyyy-mm-dd hh:mm:ss")
	}
	e.Time, e.Has = t, p.has
	if e.Has&HasMethod == 0 {
		e.Method = "GET"
	}
	return nil
}

// directive reads #Fields; other directives are skipped.
func (p *w3cParser) directive(line string) error {
	name, value, ok := strings.Cut(line[1:], ":")
	if !ok || !strings.EqualFold(strings.TrimSpace(name), "Fields") {
		return ErrSkip
	}
	names := strings.Fields(value)
	if len(names) == 0 || len(names) > maxW3CFields {
		p.fields = nil
		return malformed("a #Fields directive without fields or with too many")
	}
	fields := make([]w3cField, len(names))
	var has Fields
	var date, clock, addr, target bool
	for i, n := range names {
		f := w3cNames[strings.ToLower(n)]
		fields[i] = f
		switch f {
		case wDate:
			date = true
		case wTime:
			clock = true
		case wAddr:
			addr = true
		case wStem, wURI:
			target = true
		case wMethod:
			has |= HasMethod
		case wStatus:
			has |= HasStatus
		case wUserAgent:
			has |= HasUserAgent
		case wReferrer:
			has |= HasReferrer
		case wHost:
			has |= HasHost
		case wForwardedFor:
			has |= HasForwardedFor
		case wContentType:
			has |= HasContentType
		}
	}
	if !date || !clock || !addr || !target {
		p.fields = nil
		return malformed("#Fields lacks date, time, c-ip or cs-uri-stem")
	}
	p.fields, p.has = fields, has
	return ErrSkip
}

// text decodes a value: IIS writes '+' for a space; others percent-encode
// (CloudFront twice).
func (p *w3cParser) text(v string) string {
	if p.iis {
		return strings.ReplaceAll(v, "+", " ")
	}
	for range 2 {
		if !strings.Contains(v, "%") {
			break
		}
		d, err := url.PathUnescape(v)
		if err != nil {
			break
		}
		v = d
	}
	return v
}

// splitW3C splits on tabs when the line has any, else on spaces, keeping
// at most max parts (more means the line is malformed).
func splitW3C(line string, out []string, max int) []string {
	sep := byte(' ')
	if strings.IndexByte(line, '\t') >= 0 {
		sep = '\t'
	}
	for len(out) < max {
		i := strings.IndexByte(line, sep)
		if i < 0 {
			return append(out, line)
		}
		out = append(out, line[:i])
		line = line[i+1:]
	}
	return out
}
