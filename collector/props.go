package collector

import (
	"errors"
	"strings"
)

// Prop is one custom property as the hit sent it. Numbers keep their JSON
// text and booleans become "true" or "false", as Plausible stores them.
// The pipeline keeps only the properties a site allowlists (and the url of
// a file download or an outbound link), scrubbed; everything else is
// discarded there.
type Prop struct{ Key, Value string }

// decodeProps reads custom properties as Plausible reads them: an object,
// or (as older trackers send it) a string holding a JSON object. A
// malformed property is dropped, never the hit: a value that is an object,
// an array or null, an empty or blank key or value, and the properties
// after the first MaxProps. props that are not an object at all are
// ignored. A key or value over its byte limit is refused (400), as in
// Plausible.
func decodeProps(s *scanner) ([]Prop, error) {
	switch s.kind() {
	case "string":
		inner, err := s.str()
		if err != nil {
			return nil, err
		}
		is := &scanner{b: []byte(inner)}
		if is.kind() != "object" {
			return nil, nil
		}
		props, err := propsObject(is)
		if err != nil || !is.end() {
			var perr *PayloadError
			if errors.As(err, &perr) {
				return nil, err
			}
			return nil, nil // not a JSON object: ignored, as in Plausible
		}
		return props, nil
	case "object":
		return propsObject(s)
	}
	return nil, s.skip(0) // null, a number, an array: no properties
}

func propsObject(s *scanner) ([]Prop, error) {
	var props []Prop
	err := s.object(func(key string) error {
		if len(key) > MaxPropKeyBytes {
			return payloadErr("props: keys must be at most %d bytes", MaxPropKeyBytes)
		}
		value, keep, err := propValue(s, key)
		if err != nil || !keep || len(props) == MaxProps || blank(key) || blank(value) {
			return err
		}
		props = append(props, Prop{Key: key, Value: value})
		return nil
	})
	return props, err
}

// propValue reads one property's value as a string; keep is false for
// values that are not kept (objects, arrays, null).
func propValue(s *scanner, key string) (value string, keep bool, err error) {
	switch s.kind() {
	case "string":
		v, err := s.str()
		if err == nil && len(v) > MaxPropValBytes {
			err = payloadErr("props: the value of %q is longer than %d bytes", key, MaxPropValBytes)
		}
		return v, err == nil, err
	case "number":
		text, err := s.numberText()
		return string(text), err == nil, err
	case "bool":
		b, err := s.boolean()
		if b {
			return "true", err == nil, err
		}
		return "false", err == nil, err
	}
	return "", false, s.skip(0)
}

func blank(s string) bool { return strings.TrimLeft(s, " \t\n\r") == "" }
