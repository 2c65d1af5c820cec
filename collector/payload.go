package collector

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Limits on one hit (docs/api.md). Larger input is refused with a 4xx and
// a message; it never reaches the pipeline.
const (
	MaxBodyBytes    = 4 << 10
	MaxURLBytes     = 2048
	MaxNameBytes    = 120
	MaxProps        = 30
	MaxPropKeyBytes = 300
	MaxPropValBytes = 2000
	maxDomains      = 10
)

// Payload is a decoded hit, in Plausible's Events API shape: each field has
// a long and a short name ("name"/"n", "url"/"u", …).
type Payload struct {
	Name     string
	URL      string
	Domain   string
	Referrer string
	// Props are the custom properties that are well formed (props.go); the
	// pipeline keeps only allowlisted ones.
	Props       []Prop
	Interactive bool
	// ScreenWidth is the viewport width ("w"), classified into a screen class.
	ScreenWidth int
	// HashMode marks sites with hash-based routing ("h"): the fragment is part
	// of the page path.
	HashMode bool
	// TimeZone is the browser's IANA zone ("tz"), used for the country when no
	// GeoIP database is configured.
	TimeZone string
	// EngagementMS is the engaged time an "engagement" event reports ("e").
	EngagementMS int64
}

// wirePayload accepts both spellings of every field. Pointers tell absent
// (or null) from empty so the short and the long name cannot silently
// disagree.
type wirePayload struct {
	name, n, url, u, domain, d, referrer, r, tz *string
	interactive, i                              *bool
	w, screenWidth, e                           *float64
	h, hashMode                                 *float64
	props                                       []Prop
}

// typeError is a field of the wrong JSON type.
type typeError struct{ field, want, got string }

func (e *typeError) Error() string {
	return fmt.Sprintf("field %q must be %s, not %s", e.field, e.want, e.got)
}

// field decodes one member of the body.
func (w *wirePayload) field(s *scanner, key string) error {
	switch key {
	case "name":
		return stringField(s, key, &w.name)
	case "n":
		return stringField(s, key, &w.n)
	case "url":
		return stringField(s, key, &w.url)
	case "u":
		return stringField(s, key, &w.u)
	case "domain":
		return stringField(s, key, &w.domain)
	case "d":
		return stringField(s, key, &w.d)
	case "referrer":
		return stringField(s, key, &w.referrer)
	case "r":
		return stringField(s, key, &w.r)
	case "tz":
		return stringField(s, key, &w.tz)
	case "interactive":
		return boolField(s, key, &w.interactive)
	case "i":
		return boolField(s, key, &w.i)
	case "w":
		return numberField(s, key, &w.w)
	case "screen_width":
		return numberField(s, key, &w.screenWidth)
	case "e":
		return numberField(s, key, &w.e)
	case "h":
		return numberField(s, key, &w.h)
	case "hash_mode":
		return numberField(s, key, &w.hashMode)
	case "sd":
		var ignored *float64
		return numberField(s, key, &ignored)
	case "props", "p", "meta", "m":
		props, err := decodeProps(s)
		if err == nil && len(props) > 0 {
			w.props = props
		}
		return err
	}
	return s.skip(0) // unknown fields (revenue, …) are ignored
}

func stringField(s *scanner, key string, dst **string) error {
	if null, err := s.null(); null || err != nil {
		*dst = nil
		return err
	}
	if k := s.kind(); k != "string" {
		return &typeError{key, "string", k}
	}
	v, err := s.str()
	*dst = &v
	return err
}

func boolField(s *scanner, key string, dst **bool) error {
	if null, err := s.null(); null || err != nil {
		*dst = nil
		return err
	}
	if k := s.kind(); k != "bool" {
		return &typeError{key, "bool", k}
	}
	v, err := s.boolean()
	*dst = &v
	return err
}

func numberField(s *scanner, key string, dst **float64) error {
	if null, err := s.null(); null || err != nil {
		*dst = nil
		return err
	}
	if k := s.kind(); k != "number" {
		return &typeError{key, "number", k}
	}
	v, err := s.number()
	*dst = &v
	return err
}

// PayloadError is a client error in a hit; its message is safe to return.
type PayloadError struct{ Msg string }

func (e *PayloadError) Error() string { return e.Msg }

func payloadErr(format string, args ...any) error {
	return &PayloadError{Msg: fmt.Sprintf(format, args...)}
}

// DecodePayload parses a hit body. It checks shapes and limits; it does not
// know sites or scrub anything.
func DecodePayload(body []byte) (*Payload, error) {
	if len(body) == 0 {
		return nil, payloadErr("empty body: send a JSON object like {\"n\":\"pageview\",\"u\":\"https://example.org/\",\"d\":\"example.org\"}")
	}
	if len(body) > MaxBodyBytes {
		return nil, payloadErr("body is %d bytes; the limit is %d", len(body), MaxBodyBytes)
	}
	if !utf8.Valid(body) {
		return nil, payloadErr("body is not valid UTF-8")
	}
	var w wirePayload
	s := &scanner{b: body}
	if err := s.object(func(key string) error { return w.field(s, key) }); err != nil {
		var perr *PayloadError
		if errors.As(err, &perr) {
			return nil, err
		}
		return nil, payloadErr("body is not a valid JSON object: %v", err)
	}
	if !s.end() {
		return nil, payloadErr("body has data after the JSON object")
	}
	return w.payload()
}

func (w *wirePayload) payload() (*Payload, error) {
	p := &Payload{Props: w.props}
	var err error
	if p.Name, err = pick("name", w.name, w.n); err != nil {
		return nil, err
	}
	if p.URL, err = pick("url", w.url, w.u); err != nil {
		return nil, err
	}
	if p.Domain, err = pick("domain", w.domain, w.d); err != nil {
		return nil, err
	}
	if p.Referrer, err = pick("referrer", w.referrer, w.r); err != nil {
		return nil, err
	}
	if err := p.checkRequired(); err != nil {
		return nil, err
	}
	p.Interactive = true // Plausible's default: events are interactive
	if b := firstOf(w.interactive, w.i); b != nil {
		p.Interactive = *b
	}
	if f := firstOf(w.w, w.screenWidth); f != nil && *f > 0 && *f < 1e6 {
		p.ScreenWidth = int(*f)
	}
	if h := firstOf(w.h, w.hashMode); h != nil {
		p.HashMode = *h == 1
	}
	if w.tz != nil && len(*w.tz) <= 64 {
		p.TimeZone = *w.tz
	}
	if w.e != nil {
		if *w.e < 0 || *w.e > 24*3600*1000 {
			return nil, payloadErr("e (engagement time) must be between 0 and 86400000 ms")
		}
		p.EngagementMS = int64(*w.e)
	}
	return p, nil
}

// pick returns the one given value of a field with a long and a short name.
func pick(field string, long, short *string) (string, error) {
	switch {
	case long != nil && short != nil && *long != *short:
		return "", payloadErr("%s and its short form %c disagree", field, field[0])
	case long != nil:
		return *long, nil
	case short != nil:
		return *short, nil
	}
	return "", nil
}

func firstOf[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

func (p *Payload) checkRequired() error {
	switch {
	case p.Name == "":
		return payloadErr("name (n) is required: \"pageview\" or an event name")
	case len(p.Name) > MaxNameBytes:
		return payloadErr("name (n) is %d bytes; the limit is %d", len(p.Name), MaxNameBytes)
	case p.URL == "":
		return payloadErr("url (u) is required")
	case len(p.URL) > MaxURLBytes:
		return payloadErr("url (u) is %d bytes; the limit is %d", len(p.URL), MaxURLBytes)
	case p.Domain == "":
		return payloadErr("domain (d) is required")
	case len(p.Domain) > 1024:
		return payloadErr("domain (d) is too long")
	case len(p.Referrer) > MaxURLBytes:
		return payloadErr("referrer (r) is %d bytes; the limit is %d", len(p.Referrer), MaxURLBytes)
	}
	// The same text rules for the JSON body and the pixel's query string,
	// so that one hit cannot be refused by one endpoint and stored by the
	// other.
	for _, f := range [...]struct{ name, v string }{{"name (n)", p.Name}, {"url (u)", p.URL}, {"domain (d)", p.Domain}, {"referrer (r)", p.Referrer}} {
		if err := checkText(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses invalid UTF-8 and control characters (NUL included),
// which no page name, URL or domain has.
func checkText(name, v string) error {
	if !utf8.ValidString(v) {
		return payloadErr("%s is not valid UTF-8", name)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return payloadErr("%s contains a control character", name)
		}
	}
	return nil
}
