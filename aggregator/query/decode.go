package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxBodyBytes bounds a query body.
const MaxBodyBytes = 64 << 10

// maxJSONDepth bounds the nesting of a whole query body: the object, the
// filters array, two levels per "and"/"or" filter level and the leaf's
// values and modifiers fit in it.
const maxJSONDepth = 2*maxFilterDepth + 6

// Decode parses a Stats API query body, bounded and linear in its length
// (DESIGN §1.10): the body must be at most MaxBodyBytes of valid UTF-8
// holding one JSON object and nothing after it, nested at most a fixed
// depth. Depth and trailing data are checked by one pass over the bytes
// that stops at the first level too deep, before anything is decoded;
// decoding then reads each byte a bounded number of times (filters are
// read in one pass by Filter.UnmarshalJSON, never re-parsed per level).
// Every error is a *Error whose message names the problem without
// echoing the input. Decode does not Validate.
func Decode(body []byte) (*Query, error) {
	if len(body) > MaxBodyBytes {
		return nil, &Error{Message: fmt.Sprintf("the query body is larger than %d bytes", MaxBodyBytes)}
	}
	if !utf8.Valid(body) {
		return nil, &Error{Message: "the query body is not valid UTF-8"}
	}
	if err := scanShape(body); err != nil {
		return nil, err
	}
	var q Query
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return nil, decodeError(err)
	}
	return &q, nil
}

// scanShape checks, in one pass, that body is one JSON object nested at
// most maxJSONDepth deep with only whitespace after it. It follows strings
// and brackets only; the decoder checks the rest of the syntax.
func scanShape(body []byte) error {
	start := len(body) - len(bytes.TrimLeft(body, " \t\r\n"))
	if start == len(body) {
		return &Error{Message: "the body is empty; send a JSON query object"}
	}
	if c := body[start]; c != '{' {
		if strings.IndexByte(`["-0123456789tfn`, c) >= 0 {
			return &Error{Message: "the body must be a JSON object"}
		}
		return &Error{Message: fmt.Sprintf("the body is not valid JSON (syntax error at byte %d)", start+1)}
	}
	depth, inString, escaped := 0, false, false
	for i := start; i < len(body); i++ {
		c := body[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > maxJSONDepth {
				return &Error{Field: "filters", Message: fmt.Sprintf("the query nests deeper than %d levels (filters nest at most %d)", maxJSONDepth, maxFilterDepth)}
			}
		case ']', '}':
			if depth--; depth == 0 {
				if rest := bytes.TrimLeft(body[i+1:], " \t\r\n"); len(rest) > 0 {
					return &Error{Message: fmt.Sprintf("the body has data after the query object (at byte %d)", len(body)-len(rest))}
				}
				return nil
			}
		}
	}
	return nil // unfinished: the decoder names the syntax error
}

// decodeError turns a decoding error into a *Error naming the field.
func decodeError(err error) error {
	var qerr *Error
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &qerr):
		return qerr
	case errors.As(err, &syn):
		return &Error{Message: fmt.Sprintf("the body is not valid JSON (syntax error at byte %d)", syn.Offset)}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return &Error{Message: "the body must be a JSON object"}
		}
		return &Error{Field: field, Message: fmt.Sprintf("%s: must be %s", field, jsonKind(typ.Type.Kind().String()))}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &Error{Message: "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &Error{Message: "the body ends before the query object does"}
	}
	return &Error{Message: "the body is not a valid query"}
}

// jsonKind names a Go kind the way a JSON user knows it.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	}
	return "a number"
}
