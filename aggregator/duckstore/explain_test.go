package duckstore

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// explainScan returns the table scan of DuckDB's physical plan of st, its
// arguments bound, with the plan's box drawing and spaces taken out (a
// filter's text may wrap inside its box), and the whole plan likewise.
func explainScan(t *testing.T, s *Store, st sqlgen.Stmt) (scan, plan string) {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), "EXPLAIN "+st.SQL, st.Args...)
	if err != nil {
		t.Fatalf("explain %s: %v", st.SQL, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			t.Fatal(err)
		}
		b.WriteString(value)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	plan = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || (r >= 0x2500 && r <= 0x257f) {
			return -1
		}
		return r
	}, b.String())
	i := strings.Index(plan, "SEQ_SCAN")
	if i < 0 {
		t.Fatalf("no table scan in the plan of %s:\n%s", st.SQL, b.String())
	}
	return plan[i:], plan
}

// TestSiteFilterReachesScan checks that the site's (and a rollup
// dimension's) condition reaches the table scan as a filter on the stored
// column. Were the argument bound as a wider type, DuckDB would cast the
// column on every row instead: a filter it cannot push into the scan nor
// test against a row group's minimum and maximum, so every query would
// read the whole table.
func TestSiteFilterReachesScan(t *testing.T) {
	ctx := context.Background()
	s := openMemory(t)
	defer s.Close()
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Append(ctx, slices.Collect(storetest.GenerateRows(4, 3000, storetest.GenOptions{Start: start, Days: 10}))); err != nil {
		t.Fatal(err)
	}
	id, err := s.siteID(ctx, storetest.DefaultSites[1])
	if err != nil {
		t.Fatal(err)
	}
	q := query.Query{SiteID: storetest.DefaultSites[1], Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.Country},
		DateRange: query.DateRange{From: "2024-05-01", To: "2024-05-10"}}
	p, err := query.Build(&q, start, time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	dim, ok := rollup.Eligible(p)
	if !ok {
		t.Fatal("a country breakdown is not eligible for rollup rows")
	}
	sel, err := sqlgen.Select(sqlgen.DuckDB, p, id)
	if err != nil {
		t.Fatal(err)
	}
	roll, err := sqlgen.SelectFrom(sqlgen.DuckDB, p, id, sqlgen.Source{Rollup: &dim})
	if err != nil {
		t.Fatal(err)
	}
	site := "site_id=" + strconv.Itoa(int(id))
	for _, c := range []struct {
		name    string
		st      sqlgen.Stmt
		filters []string
	}{
		{"select", sel, []string{site}},
		{"select rollup", roll, []string{site, "dim=" + strconv.Itoa(int(dim))}},
		{"earliest", sqlgen.Earliest(sqlgen.DuckDB, id), []string{site}},
		{"earliest bucket", sqlgen.EarliestBucket(sqlgen.DuckDB, id), []string{site, "dim=0"}},
		{"earliest within", sqlgen.EarliestWithin(sqlgen.DuckDB, id, start.Add(24*time.Hour), start.Add(48*time.Hour)), []string{site, "ts>="}},
	} {
		scan, plan := explainScan(t, s, c.st)
		for _, cast := range []string{"CAST(site_id", "CAST(dim"} {
			if strings.Contains(plan, cast) {
				t.Errorf("%s: the plan casts the column (%s…):\n%s", c.name, cast, plan)
			}
		}
		_, filters, ok := strings.Cut(scan, "Filters:")
		if !ok {
			t.Errorf("%s: the table scan has no filters:\n%s", c.name, scan)
			continue
		}
		for _, f := range c.filters {
			if !strings.Contains(filters, f) {
				t.Errorf("%s: the table scan does not filter on %s:\n%s", c.name, f, scan)
			}
		}
	}
}
