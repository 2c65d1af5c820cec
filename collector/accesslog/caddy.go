package accesslog

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// caddyFormat is Caddy's structured access log: one JSON object per line
// (the default "json" encoder of the http.log.access logger).
type caddyFormat struct{}

func (caddyFormat) Name() string { return "caddy" }

func (caddyFormat) NewParser(zone *time.Location) Parser { return &caddyParser{zone: zone} }

type caddyParser struct {
	zone *time.Location
	line caddyLine
}

// caddyLine holds what is read of a line; every other key is skipped.
type caddyLine struct {
	TS      json.RawMessage `json:"ts"`
	Request struct {
		RemoteIP string              `json:"remote_ip"`
		ClientIP string              `json:"client_ip"`
		Method   string              `json:"method"`
		Host     string              `json:"host"`
		URI      string              `json:"uri"`
		Headers  map[string][]string `json:"headers"`
		TLS      json.RawMessage     `json:"tls"`
	} `json:"request"`
	Status      int                 `json:"status"`
	RespHeaders map[string][]string `json:"resp_headers"`
}

func (p *caddyParser) Parse(line string, e *Entry) error {
	*e = Entry{}
	line = strings.TrimSpace(line)
	if line == "" {
		return ErrSkip
	}
	if line[0] != '{' {
		return malformed("not a JSON object")
	}
	l := &p.line
	*l = caddyLine{}
	if err := json.Unmarshal([]byte(line), l); err != nil {
		return malformed("not valid JSON")
	}
	r := &l.Request
	if r.URI == "" || r.RemoteIP == "" && r.ClientIP == "" {
		return malformed("no request (request.uri and request.remote_ip)")
	}
	t, err := p.time(l.TS)
	if err != nil {
		return err
	}
	// client_ip is Caddy's own answer behind the proxies it trusts.
	e.Addr = r.ClientIP
	if e.Addr == "" {
		e.Addr = r.RemoteIP
	}
	e.Time, e.Method, e.Host, e.Target, e.Status = t, r.Method, r.Host, r.URI, l.Status
	e.UserAgent = header(r.Headers, "User-Agent")
	e.Referrer = header(r.Headers, "Referer")
	e.ForwardedFor = header(r.Headers, "X-Forwarded-For")
	e.ContentType = header(l.RespHeaders, "Content-Type")
	e.Scheme = "http"
	if len(r.TLS) > 0 && string(r.TLS) != "null" {
		e.Scheme = "https"
	}
	e.Has = HasMethod | HasStatus | HasUserAgent | HasReferrer | HasHost | HasContentType | HasForwardedFor
	return nil
}

// time reads ts: Unix seconds (the default), or a formatted time.
func (p *caddyParser) time(raw json.RawMessage) (time.Time, error) {
	s := string(raw)
	if s == "" || s == "null" {
		return time.Time{}, malformed("no time (ts)")
	}
	if s[0] != '"' {
		return parseUnix(s, 1)
	}
	v, err := strconv.Unquote(s)
	if err != nil {
		return time.Time{}, malformed("the time (ts) is not a string or a number")
	}
	for _, layout := range []string{time.RFC3339Nano, "2006/01/02 15:04:05.000", "2006-01-02T15:04:05.000Z0700", "2006/01/02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, p.zone); err == nil {
			return t, nil
		}
	}
	return parseUnix(v, 1)
}

// header returns a header's first value; keys are as Go canonicalises them.
func header(h map[string][]string, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
