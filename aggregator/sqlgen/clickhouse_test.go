package sqlgen_test

import (
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// notOn1816 are constructs that ClickHouse 18.16 (the test server) rejects
// although current releases accept them; the ClickHouse dialect must stay
// inside what both run (docs/clickhouse.md). LIKE itself runs on 18.16,
// with a backslash escaping "%", "_" and itself (goal paths use it), but
// not its ESCAPE clause.
var notOn1816 = []string{
	" OVER ", " OVER(", "WITH FILL", "WITH ", "toStartOfInterval", "toStartOfWeek",
	"DateTime64", "Date32", "TTL", "CODEC", " FILTER ", "::", "ILIKE", " ESCAPE ",
	"toStartOfDay(ts)", // a time zone argument is always given
}

// TestClickHouseStaysPortable compiles every golden plan, with every
// filter operator and time bucket, and checks the ClickHouse SQL for
// constructs 18.16 lacks.
func TestClickHouseStaysPortable(t *testing.T) {
	plans := goldenPlans(t)
	for _, d := range []query.Dimension{query.TimeHour, query.TimeDay, query.TimeWeek, query.TimeMonth} {
		plans["bucket "+string(d)] = plan(t, query.Query{Metrics: query.AllMetrics[:1], Dimensions: []query.Dimension{d},
			DateRange: query.DateRange{From: "2020-01-01", To: "2024-12-31"}}, "America/Sao_Paulo")
	}
	for _, op := range []query.Op{query.OpIs, query.OpIsNot, query.OpContains, query.OpContainsNot} {
		for _, ci := range []bool{false, true} {
			plans["filter "+string(op)] = hostilePlan(t, "x", op, ci)
		}
	}
	for name, p := range plans {
		for _, compile := range []func(sqlgen.Dialect, *query.Plan, any) (sqlgen.Stmt, error){sqlgen.Select, sqlgen.CountGroups} {
			st, err := compile(sqlgen.ClickHouse, p, p.Site)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, bad := range notOn1816 {
				if strings.Contains(st.SQL, bad) {
					t.Errorf("%s: %q in %s", name, bad, st.SQL)
				}
			}
		}
	}
	if st := sqlgen.Earliest(sqlgen.ClickHouse, "s"); strings.Contains(st.SQL, "site_id") {
		t.Errorf("earliest reads the DuckDB site column: %s", st.SQL)
	}
}
