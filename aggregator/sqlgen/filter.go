package sqlgen

import (
	"fmt"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// filter compiles a filter tree to a boolean expression. Values are bound
// arguments; "contains" uses the dialect's substring test, so LIKE
// wildcards in values have no meaning. Rows whose column is ” are not
// excluded here: ["is", dim, [""]] selects exactly those.
func (b *builder) filter(f *query.Filter, depth int) (string, error) {
	if depth > maxDepth {
		return "", fmt.Errorf("sqlgen: filter nests deeper than %d levels", maxDepth)
	}
	switch f.Op {
	case query.OpAnd, query.OpOr:
		return b.combine(f, depth)
	case query.OpNot:
		if len(f.Clauses) != 1 {
			return "", fmt.Errorf("sqlgen: %q needs exactly one clause", f.Op)
		}
		inner, err := b.filter(&f.Clauses[0], depth+1)
		if err != nil {
			return "", err
		}
		return "(NOT " + inner + ")", nil
	case query.OpIs, query.OpIsNot, query.OpContains, query.OpContainsNot, query.OpMatches, query.OpMatchesNot:
		return b.leaf(f)
	}
	return "", fmt.Errorf("sqlgen: unknown filter operator %q", f.Op)
}

// maxDepth bounds recursion on plans that did not come through Validate.
const maxDepth = 32

func (b *builder) combine(f *query.Filter, depth int) (string, error) {
	if len(f.Clauses) == 0 {
		return "", fmt.Errorf("sqlgen: %q needs at least one clause", f.Op)
	}
	sep := " AND "
	if f.Op == query.OpOr {
		sep = " OR "
	}
	parts := make([]string, len(f.Clauses))
	for i := range f.Clauses {
		p, err := b.filter(&f.Clauses[i], depth+1)
		if err != nil {
			return "", err
		}
		parts[i] = p
	}
	return "(" + strings.Join(parts, sep) + ")", nil
}

func (b *builder) leaf(f *query.Filter) (string, error) {
	if f.Dimension == query.EventGoal {
		return b.goalLeaf(f)
	}
	if _, ok := DimensionColumn(f.Dimension); !ok || f.Dimension == query.ExitPage {
		return "", fmt.Errorf("sqlgen: cannot filter by %q", f.Dimension)
	}
	if len(f.Values) == 0 {
		return "", fmt.Errorf("sqlgen: filter on %q has no values", f.Dimension)
	}
	if f.Dimension == query.CountryName || f.Dimension == query.RegionName {
		return b.nameLeaf(f)
	}
	if f.Op == query.OpMatches || f.Op == query.OpMatchesNot {
		return b.matches(f)
	}
	wrap := identity
	if f.CaseInsensitive {
		// Both sides lower-cased by the same database function, so the
		// comparison agrees with itself for every script.
		wrap = b.d.Lower
	}
	// value is the dimension's value expression, built anew at each use
	// so that a looked-up name's bound tables meet their placeholders.
	value := func() string {
		col, _ := b.valueExpr(f.Dimension)
		return wrap(col)
	}
	switch f.Op {
	case query.OpIs:
		col := value()
		return "(" + col + " IN (" + b.list(f.Values, wrap) + "))", nil
	case query.OpIsNot:
		col := value()
		return "(" + col + " NOT IN (" + b.list(f.Values, wrap) + "))", nil
	}
	parts := make([]string, len(f.Values))
	for i, v := range f.Values {
		col := value()
		parts[i] = b.d.Contains(col, wrap(b.arg(v)))
	}
	matched := "(" + strings.Join(parts, " OR ") + ")"
	if f.Op == query.OpContainsNot {
		return "(NOT " + matched + ")", nil
	}
	return matched, nil
}

// matches compiles matches / matches_not: any of the patterns matches.
// Each test reads the value expression anew, so that a looked-up name's
// bound tables stay in step with the placeholders.
func (b *builder) matches(f *query.Filter) (string, error) {
	parts := make([]string, len(f.Values))
	for i, v := range f.Values {
		if err := query.CheckPattern(v); err != nil {
			return "", fmt.Errorf("sqlgen: pattern %d: %w", i, err)
		}
		col, _ := b.valueExpr(f.Dimension)
		parts[i] = b.d.Matches(col, b.arg(v))
	}
	matched := "(" + strings.Join(parts, " OR ") + ")"
	if f.Op == query.OpMatchesNot {
		return "(NOT " + matched + ")", nil
	}
	return matched, nil
}
