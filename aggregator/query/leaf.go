package query

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ValueTest returns the test a leaf filter applies to one value: whether
// a row whose dimension has that value is selected. Comparisons are
// byte-wise (lower-cased first with {"case_sensitive": false}); patterns
// are RE2 with "." matching a newline. The in-memory store filters with
// it, and the SQL stores use it where a dimension's values are a fixed
// table (country and region names).
func ValueTest(f *Filter) (func(string) bool, error) {
	if !f.IsLeaf() {
		return nil, fmt.Errorf("query: %q is not a leaf filter", f.Op)
	}
	negate := f.Op == OpIsNot || f.Op == OpContainsNot || f.Op == OpMatchesNot
	var hit func(string) bool
	switch f.Op {
	case OpMatches, OpMatchesNot:
		res := make([]*regexp.Regexp, len(f.Values))
		for i, v := range f.Values {
			if err := CheckPattern(v); err != nil {
				return nil, fmt.Errorf("query: pattern %d: %w", i, err)
			}
			re, err := regexp.Compile("(?s)" + v)
			if err != nil {
				return nil, fmt.Errorf("query: pattern %d: %w", i, err)
			}
			res[i] = re
		}
		hit = func(s string) bool {
			return slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return re.MatchString(s) })
		}
	case OpIs, OpIsNot, OpContains, OpContainsNot:
		norm := func(s string) string { return s }
		if f.CaseInsensitive {
			norm = strings.ToLower
		}
		values := make([]string, len(f.Values))
		for i, v := range f.Values {
			values[i] = norm(v)
		}
		cmp := func(s, v string) bool { return s == v }
		if f.Op == OpContains || f.Op == OpContainsNot {
			cmp = strings.Contains
		}
		hit = func(s string) bool {
			s = norm(s)
			return slices.ContainsFunc(values, func(v string) bool { return cmp(s, v) })
		}
	default:
		return nil, fmt.Errorf("query: unknown filter operator %q", f.Op)
	}
	return func(s string) bool { return hit(s) != negate }, nil
}
