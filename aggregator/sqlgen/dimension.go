package sqlgen

import (
	"fmt"

	"github.com/shukei-analytics/shukei/aggregator/placenames"
	"github.com/shukei-analytics/shukei/aggregator/query"
)

// valueExpr is the SQL expression of a non-time dimension's value, for
// grouping and filtering alike: its column, or for country and region
// names the name looked up from the stored code (” for an unknown code).
// The name tables are bound as arguments like every other value.
func (b *builder) valueExpr(d query.Dimension) (string, bool) {
	col, ok := DimensionColumn(d)
	if !ok {
		return "", false
	}
	var codes, names []string
	switch d {
	case query.CountryName:
		codes, names = placenames.Countries()
	case query.RegionName:
		codes, names = placenames.Regions()
	default:
		return col, true
	}
	return b.d.Lookup(col, b.arg(codes), b.arg(names)), true
}

// groupExpr is the expression a breakdown groups a non-time dimension by:
// its value, with empty values shown as the dimension's blank label where
// it has one ("(not set)", "Direct / None"), as Plausible shows them.
func (b *builder) groupExpr(d query.Dimension) string {
	if label := d.BlankLabel(); label != "" {
		col, _ := DimensionColumn(d)
		return "CASE WHEN " + col + " = '' THEN " + b.arg(label) + " ELSE " + col + " END"
	}
	expr, _ := b.valueExpr(d)
	return expr
}

// keepExpr is the condition that leaves the empty rows of a dimension
// without a blank label out of a breakdown (no region, no search term),
// or "" for dimensions that show empty rows under their label.
func (b *builder) keepExpr(d query.Dimension) string {
	if d.IsTime() || d.BlankLabel() != "" || d == query.EventGoal {
		return ""
	}
	expr, _ := b.valueExpr(d)
	return expr + " <> ''"
}

// nameLeaf compiles a filter on country or region names to a test of the
// stored code: the names are a fixed table, so the filter is applied to
// the table here (with query.ValueTest, the in-memory store's own test)
// and only the codes it selects reach the SQL. A code the table does not
// know has the name "" (as in valueExpr), so whether the filter selects ""
// decides the form: the codes it rejects (NOT IN) when it selects "", else
// the codes it selects (IN).
func (b *builder) nameLeaf(f *query.Filter) (string, error) {
	test, err := query.ValueTest(f)
	if err != nil {
		return "", fmt.Errorf("sqlgen: %w", err)
	}
	codes, names := placenames.Countries()
	if f.Dimension == query.RegionName {
		codes, names = placenames.Regions()
	}
	col, _ := DimensionColumn(f.Dimension)
	empty := test("")
	var listed []string
	for i, name := range names {
		if test(name) != empty {
			listed = append(listed, codes[i])
		}
	}
	switch {
	case len(listed) == 0 && empty:
		return "(1 = 1)", nil
	case len(listed) == 0:
		return "(1 = 0)", nil
	case empty:
		return "(" + col + " NOT IN (" + b.list(listed, identity) + "))", nil
	}
	return "(" + col + " IN (" + b.list(listed, identity) + "))", nil
}
