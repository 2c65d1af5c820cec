package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Op is a filter operator.
type Op string

// The filter operators. Leaf operators compare a dimension with values;
// And, Or and Not combine filters.
const (
	OpIs          Op = "is"
	OpIsNot       Op = "is_not"
	OpContains    Op = "contains"
	OpContainsNot Op = "contains_not"
	OpMatches     Op = "matches"     // RE2 regular expression, see CheckPattern
	OpMatchesNot  Op = "matches_not" // no value matches
	OpAnd         Op = "and"
	OpOr          Op = "or"
	OpNot         Op = "not"
)

// Filter is one node of a filter tree. In JSON it is Plausible's array form:
// ["is", "visit:country", ["JP", "KR"]], ["contains", "event:page",
// ["/blog"], {"case_sensitive": false}], ["and", [f, ...]], ["not", f].
type Filter struct {
	Op        Op
	Dimension Dimension // leaf operators only
	Values    []string  // leaf operators only; any value matches
	// CaseInsensitive applies to leaf operators (modifier
	// {"case_sensitive": false}).
	CaseInsensitive bool
	Clauses         []Filter // And, Or (≥ 1), Not (exactly 1)
}

// IsLeaf reports whether f compares a dimension with values.
func (f *Filter) IsLeaf() bool {
	switch f.Op {
	case OpAnd, OpOr, OpNot:
		return false
	}
	return true
}

// maxFilterDepth bounds nesting so a hostile query cannot exhaust the stack
// or produce unbounded SQL.
const maxFilterDepth = 8

// maxFilterValues bounds the values of one leaf.
const maxFilterValues = 100

// maxValueLen bounds one filter value in bytes.
const maxValueLen = 2048

// UnmarshalJSON decodes Plausible's array form in one pass over data:
// nested filters are read from the same token stream, not re-parsed per
// level, so the cost is linear in the input, and nesting deeper than
// maxFilterDepth is refused as soon as it is reached (DESIGN §1.10).
func (f *Filter) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := f.decode(dec, 1); err != nil {
		var qe *Error
		if errors.As(err, &qe) {
			return err
		}
		return &Error{Field: "filters", Message: err.Error()}
	}
	return nil
}

var errFilterShape = errors.New(`a filter is an array like ["is", "visit:country", ["JP"]]`)

// decode reads one filter at depth (1 for a query's top-level filter).
func (f *Filter) decode(dec *json.Decoder, depth int) error {
	if depth > maxFilterDepth {
		return fieldErr("filters", "filters nest deeper than %d levels", maxFilterDepth)
	}
	if !readDelim(dec, '[') {
		return errFilterShape
	}
	if !dec.More() {
		return fmt.Errorf("empty filter")
	}
	op, ok := readString(dec)
	if !ok {
		return fmt.Errorf("the first element of a filter must be an operator string")
	}
	f.Op = Op(op)
	var err error
	switch f.Op {
	case OpAnd, OpOr:
		err = f.decodeClauses(dec, depth)
	case OpNot:
		f.Clauses = make([]Filter, 1)
		if !dec.More() {
			return fmt.Errorf("%q takes one filter", op)
		}
		if err := f.Clauses[0].decode(dec, depth+1); err != nil {
			return wrapOp(op, err)
		}
	case OpIs, OpIsNot, OpContains, OpContainsNot, OpMatches, OpMatchesNot:
		err = f.decodeLeaf(dec)
	default:
		return fmt.Errorf("unknown filter operator %q (use is, is_not, contains, contains_not, matches, matches_not, and, or, not)", op)
	}
	if err != nil {
		return err
	}
	if !readDelim(dec, ']') {
		return fmt.Errorf("%q: too many elements", op)
	}
	return nil
}

// decodeClauses reads the array of filters of "and" and "or".
func (f *Filter) decodeClauses(dec *json.Decoder, depth int) error {
	op := string(f.Op)
	if !dec.More() {
		return fmt.Errorf("%q takes one array of filters", op)
	}
	if !readDelim(dec, '[') {
		return fmt.Errorf("%q: %w", op, errFilterShape)
	}
	for dec.More() {
		var c Filter
		if err := c.decode(dec, depth+1); err != nil {
			return wrapOp(op, err)
		}
		f.Clauses = append(f.Clauses, c)
	}
	if !readDelim(dec, ']') {
		return fmt.Errorf("%q: %w", op, errFilterShape)
	}
	return nil
}

// wrapOp names the operator in a nested error, keeping a *Error as it is.
func wrapOp(op string, err error) error {
	var qe *Error
	if errors.As(err, &qe) {
		return err
	}
	return fmt.Errorf("%q: %w", op, err)
}

func (f *Filter) decodeLeaf(dec *json.Decoder) error {
	shape := fmt.Errorf("%q takes a dimension, an array of values and optional modifiers", f.Op)
	if !dec.More() {
		return shape
	}
	dim, ok := readString(dec)
	if !ok {
		return fmt.Errorf("%q: the dimension must be a string", f.Op)
	}
	f.Dimension = Dimension(dim)
	if !dec.More() {
		return shape
	}
	if err := dec.Decode(&f.Values); err != nil || f.Values == nil {
		return fmt.Errorf("%q %s: values must be an array of strings", f.Op, dim)
	}
	if !dec.More() {
		return nil
	}
	var mods struct {
		CaseSensitive *bool `json:"case_sensitive"`
	}
	dec.DisallowUnknownFields()
	if err := dec.Decode(&mods); err != nil {
		return fmt.Errorf("%q %s: modifiers: only {\"case_sensitive\": true|false} is known", f.Op, dim)
	}
	f.CaseInsensitive = mods.CaseSensitive != nil && !*mods.CaseSensitive
	if dec.More() {
		return shape
	}
	return nil
}

// readDelim reads the next token and reports whether it is delim.
func readDelim(dec *json.Decoder, delim json.Delim) bool {
	tok, err := dec.Token()
	d, ok := tok.(json.Delim)
	return err == nil && ok && d == delim
}

// readString reads the next token as a string.
func readString(dec *json.Decoder) (string, bool) {
	tok, err := dec.Token()
	s, ok := tok.(string)
	return s, err == nil && ok
}

// MarshalJSON encodes the array form, so a query echoes back as it was read.
func (f Filter) MarshalJSON() ([]byte, error) {
	switch f.Op {
	case OpAnd, OpOr:
		clauses := f.Clauses
		if clauses == nil {
			clauses = []Filter{}
		}
		return json.Marshal([]any{f.Op, clauses})
	case OpNot:
		if len(f.Clauses) != 1 {
			return nil, fmt.Errorf("not: needs one clause")
		}
		return json.Marshal([]any{f.Op, f.Clauses[0]})
	}
	values := f.Values
	if values == nil {
		values = []string{}
	}
	if f.CaseInsensitive {
		return json.Marshal([]any{f.Op, f.Dimension, values, map[string]bool{"case_sensitive": false}})
	}
	return json.Marshal([]any{f.Op, f.Dimension, values})
}

// validate checks the tree; path names the filter in error messages.
func (f *Filter) validate(path string, depth int) error {
	if depth > maxFilterDepth {
		return fieldErr(path, "filters nest deeper than %d levels", maxFilterDepth)
	}
	switch f.Op {
	case OpAnd, OpOr:
		if len(f.Clauses) == 0 {
			return fieldErr(path, "%q needs at least one filter", f.Op)
		}
		for i := range f.Clauses {
			if err := f.Clauses[i].validate(fmt.Sprintf("%s[1][%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case OpNot:
		if len(f.Clauses) != 1 {
			return fieldErr(path, "\"not\" takes exactly one filter")
		}
		return f.Clauses[0].validate(path+"[1]", depth+1)
	case OpIs, OpIsNot, OpContains, OpContainsNot, OpMatches, OpMatchesNot:
		return f.validateLeaf(path)
	}
	return fieldErr(path, "unknown filter operator %q", f.Op)
}

func (f *Filter) validateLeaf(path string) error {
	f.Dimension = f.Dimension.canonical()
	info, ok := lookupDimension(f.Dimension)
	if !ok {
		return fieldErr(path+"[1]", "unknown dimension %q", f.Dimension)
	}
	if !info.filterable {
		return fieldErr(path+"[1]", "%s cannot be used in a filter", f.Dimension)
	}
	if len(f.Values) == 0 {
		return fieldErr(path+"[2]", "a filter needs at least one value")
	}
	if len(f.Values) > maxFilterValues {
		return fieldErr(path+"[2]", "at most %d values per filter", maxFilterValues)
	}
	for i, v := range f.Values {
		if len(v) > maxValueLen {
			return fieldErr(fmt.Sprintf("%s[2][%d]", path, i), "value longer than %d bytes", maxValueLen)
		}
	}
	return f.validateValues(path)
}

// walkLeaves calls fn for every leaf of the tree.
func (f *Filter) walkLeaves(fn func(*Filter)) {
	if f.IsLeaf() {
		fn(f)
		return
	}
	for i := range f.Clauses {
		f.Clauses[i].walkLeaves(fn)
	}
}
