package collector

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner reads the JSON of a hit body. A hand-written reader replaces
// encoding/json on the ingest path, where decoding by reflection cost as
// much as the whole privacy pipeline; FuzzDecodePayload checks it against
// encoding/json. It accepts exactly RFC 8259 JSON.
type scanner struct {
	b   []byte
	pos int
}

// maxDepth bounds nesting in ignored fields.
const maxDepth = 32

type syntaxError struct{ offset int }

func (e *syntaxError) Error() string { return fmt.Sprintf("syntax error at byte %d", e.offset) }

func (s *scanner) fail() error { return &syntaxError{offset: s.pos} }

func (s *scanner) skipSpace() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.skipSpace()
	if s.pos >= len(s.b) {
		return 0
	}
	return s.b[s.pos]
}

// end reports whether only white space is left.
func (s *scanner) end() bool {
	s.skipSpace()
	return s.pos >= len(s.b)
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return s.fail()
	}
	s.pos++
	return nil
}

// object calls field for each member of an object; field must consume the
// value.
func (s *scanner) object(field func(key string) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.fail()
		}
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.fail()
		}
	}
}

// kind names the JSON type of the next value, as encoding/json does.
func (s *scanner) kind() string {
	switch c := s.peek(); {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "bool"
	case c == 'n':
		return "null"
	}
	return "number"
}

// null consumes a null literal if one is next.
func (s *scanner) null() (bool, error) {
	if s.peek() != 'n' {
		return false, nil
	}
	return true, s.literal("null")
}

func (s *scanner) literal(lit string) error {
	if len(s.b)-s.pos < len(lit) || string(s.b[s.pos:s.pos+len(lit)]) != lit {
		return s.fail()
	}
	s.pos += len(lit)
	return nil
}

func (s *scanner) boolean() (bool, error) {
	if s.peek() == 't' {
		return true, s.literal("true")
	}
	return false, s.literal("false")
}

// str reads a string, decoding escapes.
func (s *scanner) str() (string, error) {
	if err := s.expect('"'); err != nil {
		return "", err
	}
	start := s.pos
	for s.pos < len(s.b) {
		switch c := s.b[s.pos]; {
		case c == '"':
			v := string(s.b[start:s.pos])
			s.pos++
			return v, nil
		case c == '\\':
			return s.escapedStr(start)
		case c < 0x20:
			return "", s.fail()
		default:
			s.pos++
		}
	}
	return "", s.fail()
}

// escapedStr continues a string that has escapes, from its start.
func (s *scanner) escapedStr(start int) (string, error) {
	buf := append(make([]byte, 0, s.pos-start+16), s.b[start:s.pos]...)
	for s.pos < len(s.b) {
		c := s.b[s.pos]
		switch {
		case c == '"':
			s.pos++
			return string(buf), nil
		case c < 0x20:
			return "", s.fail()
		case c != '\\':
			buf = append(buf, c)
			s.pos++
			continue
		}
		if s.pos+1 >= len(s.b) {
			return "", s.fail()
		}
		e := s.b[s.pos+1]
		s.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := s.unicodeEscape()
			if err != nil {
				return "", err
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", s.fail()
		}
	}
	return "", s.fail()
}

// unicodeEscape reads the hex digits after \u, joining surrogate pairs;
// a lone surrogate becomes U+FFFD, as in encoding/json.
func (s *scanner) unicodeEscape() (rune, error) {
	r, ok := s.hex4()
	if !ok {
		return 0, s.fail()
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if s.pos+1 < len(s.b) && s.b[s.pos] == '\\' && s.b[s.pos+1] == 'u' {
		save := s.pos
		s.pos += 2
		if r2, ok := s.hex4(); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, nil
			}
		}
		s.pos = save
	}
	return utf8.RuneError, nil
}

func (s *scanner) hex4() (rune, bool) {
	if len(s.b)-s.pos < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s.b[s.pos:s.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	s.pos += 4
	return rune(v), true
}

// number reads a JSON number.
func (s *scanner) number() (float64, error) {
	text, err := s.numberText()
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		return 0, fmt.Errorf("number %s out of range", text)
	}
	return v, nil
}

// numberText consumes a number's text, checking only its syntax.
func (s *scanner) numberText() ([]byte, error) {
	s.skipSpace()
	start := s.pos
	if s.pos < len(s.b) && s.b[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.b) && s.b[s.pos] == '0':
		s.pos++
	case s.digits() == 0:
		return nil, s.fail()
	}
	if s.pos < len(s.b) && s.b[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return nil, s.fail()
		}
	}
	if s.pos < len(s.b) && (s.b[s.pos] == 'e' || s.b[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.b) && (s.b[s.pos] == '+' || s.b[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return nil, s.fail()
		}
	}
	return s.b[start:s.pos], nil
}

func (s *scanner) digits() int {
	n := 0
	for s.pos < len(s.b) && s.b[s.pos] >= '0' && s.b[s.pos] <= '9' {
		s.pos++
		n++
	}
	return n
}

// skip consumes any value, bounded in depth.
func (s *scanner) skip(depth int) error {
	if depth > maxDepth {
		return s.fail()
	}
	switch s.peek() {
	case '"':
		_, err := s.str()
		return err
	case '{':
		return s.object(func(string) error { return s.skip(depth + 1) })
	case '[':
		s.pos++
		if s.peek() == ']' {
			s.pos++
			return nil
		}
		for {
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			switch s.peek() {
			case ',':
				s.pos++
			case ']':
				s.pos++
				return nil
			default:
				return s.fail()
			}
		}
	case 't', 'f':
		_, err := s.boolean()
		return err
	case 'n':
		return s.literal("null")
	}
	_, err := s.numberText()
	return err
}
