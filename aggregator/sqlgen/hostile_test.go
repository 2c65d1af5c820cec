package sqlgen_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

var hostile = []string{
	"'; DROP TABLE events; --",
	`"); DELETE FROM events WHERE ('1'='1`,
	"' OR '1'='1",
	"%", "_", "%_%", `\`, `\'`, `\\'; --`, "''", `"`, "`", "?", "$1", "@p", ":x",
	"a\x00b", "\x00",
	"*/ SELECT 1 /*",
	"\u202e", "日本語", "😀",
	strings.Repeat("'", 2048),
	strings.Repeat("x", 2048),
}

// TestHostileValuesOnlyAsArgs compiles plans whose site and filter values
// are hostile, in every operator and dimension, and proves the values
// reach the database only as arguments: the SQL text is byte-identical to
// the text compiled from a harmless value, and each hostile value is an
// argument, unchanged.
func TestHostileValuesOnlyAsArgs(t *testing.T) {
	ops := []query.Op{query.OpIs, query.OpIsNot, query.OpContains, query.OpContainsNot}
	for _, d := range dialects {
		for _, v := range hostile {
			for _, op := range ops {
				for _, ci := range []bool{false, true} {
					ref := hostilePlan(t, "xx", op, ci)
					bad := hostilePlan(t, v, op, ci)
					refSt, err := sqlgen.Select(d, ref, ref.Site)
					if err != nil {
						t.Fatal(err)
					}
					badSt, err := sqlgen.Select(d, bad, bad.Site)
					if err != nil {
						t.Fatal(err)
					}
					if badSt.SQL != refSt.SQL {
						t.Fatalf("%s %s %q: the value changed the SQL text:\n%s", d.Name(), op, v, badSt.SQL)
					}
					if n := countArg(badSt.Args, v); n != 1+len(filterable()) {
						t.Errorf("%s %s %q: the value is %d arguments, want %d", d.Name(), op, v, n, 1+len(filterable()))
					}
				}
			}
		}
	}
}

// hostilePlan filters by v on every filterable dimension (each leaf
// wrapped in "or" with a harmless one) for site v. The plan is built with
// valid values (a country filter takes two letters) and v put in after.
func hostilePlan(t *testing.T, v string, op query.Op, ci bool) *query.Plan {
	const stand = "QQ"
	var fs []query.Filter
	for _, d := range filterable() {
		leaf := query.Filter{Op: op, Dimension: d, Values: []string{stand}, CaseInsensitive: ci}
		if d == query.EventHostname { // a top-level-only filter
			fs = append(fs, leaf)
			continue
		}
		fs = append(fs, query.Filter{Op: query.OpOr, Clauses: []query.Filter{
			leaf,
			{Op: query.OpNot, Clauses: []query.Filter{{Op: query.OpIs, Dimension: d, Values: []string{"YY", "ZZ"}}}},
		}})
	}
	p := plan(t, query.Query{SiteID: "s", Metrics: []query.Metric{query.Pageviews},
		Dimensions: []query.Dimension{query.Country}, Filters: fs}, "Europe/Berlin")
	replaceValue(p.Filter, stand, v)
	p.Site = v
	return p
}

func replaceValue(f *query.Filter, from, to string) {
	for i := range f.Values {
		if f.Values[i] == from {
			f.Values[i] = to
		}
	}
	for i := range f.Clauses {
		replaceValue(&f.Clauses[i], from, to)
	}
}

// filterable lists the dimensions whose filter values reach the SQL. A
// filter on country or region names never does: it is applied to the
// fixed name table and becomes a list of codes (TestNameFiltersAreCodes);
// a goal filter selects configured goals by name, whose own event names
// and paths then reach the SQL as arguments.
func filterable() []query.Dimension {
	return slices.DeleteFunc(slices.Clone(query.AllDimensions), func(d query.Dimension) bool {
		return d.IsTime() || d == query.ExitPage || d == query.CountryName || d == query.RegionName || d == query.EventGoal
	})
}

// TestNameFiltersAreCodes: a hostile value in a name filter selects codes
// from the fixed table; the value itself is never an argument.
func TestNameFiltersAreCodes(t *testing.T) {
	for _, d := range dialects {
		for _, v := range hostile {
			for _, op := range []query.Op{query.OpIs, query.OpIsNot, query.OpContains, query.OpContainsNot} {
				p := plan(t, query.Query{SiteID: "s", Metrics: []query.Metric{query.Pageviews},
					Filters: []query.Filter{{Op: op, Dimension: query.RegionName, Values: []string{"Tokyo"}}}}, "UTC")
				p.Filter.Values[0] = v
				st, err := sqlgen.Select(d, p, "s")
				if err != nil {
					t.Fatal(err)
				}
				if countArg(st.Args, v) != 0 {
					t.Errorf("%s %s %q reached the statement", d.Name(), op, v)
				}
			}
		}
	}
}

func countArg(args []any, v string) int {
	n := 0
	for _, a := range args {
		if s, ok := a.(string); ok && s == v {
			n++
		}
	}
	return n
}
