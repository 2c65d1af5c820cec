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
					ref := hostilePlan(t, "x", op, ci)
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
// wrapped in "or" with a harmless one) for site v.
func hostilePlan(t *testing.T, v string, op query.Op, ci bool) *query.Plan {
	var fs []query.Filter
	for _, d := range filterable() {
		fs = append(fs, query.Filter{Op: query.OpOr, Clauses: []query.Filter{
			{Op: op, Dimension: d, Values: []string{v}, CaseInsensitive: ci},
			{Op: query.OpNot, Clauses: []query.Filter{{Op: query.OpIs, Dimension: d, Values: []string{"y", "z"}}}},
		}})
	}
	p := plan(t, query.Query{SiteID: "s", Metrics: []query.Metric{query.Pageviews},
		Dimensions: []query.Dimension{query.Country}, Filters: fs}, "Europe/Berlin")
	p.Site = v
	return p
}

func filterable() []query.Dimension {
	return slices.DeleteFunc(slices.Clone(query.AllDimensions), func(d query.Dimension) bool {
		return d.IsTime() || d == query.ExitPage
	})
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
