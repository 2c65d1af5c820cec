package sqlgen_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var dialects = []sqlgen.Dialect{sqlgen.DuckDB, sqlgen.ClickHouse}

var now = time.Date(2024, 11, 15, 12, 0, 0, 0, time.UTC)

func plan(t *testing.T, q query.Query, zone string) *query.Plan {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	if q.SiteID == "" {
		q.SiteID = "example.com"
	}
	if q.DateRange == (query.DateRange{}) {
		q.DateRange = query.DateRange{From: "2024-03-01", To: "2024-04-30"}
	}
	p, err := query.Build(&q, now, loc, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// goldenPlans cover every compilation path: no dimensions, each time
// bucket with and without DST segments, sums restricted to a kind, the
// having clause, filters of every operator, orders by counts, ratios and
// dimensions, pagination.
func goldenPlans(t *testing.T) map[string]*query.Plan {
	ci := func(f query.Filter) query.Filter { f.CaseInsensitive = true; return f }
	leaf := func(op query.Op, d query.Dimension, v ...string) query.Filter {
		return query.Filter{Op: op, Dimension: d, Values: v}
	}
	return map[string]*query.Plan{
		"totals": plan(t, query.Query{Metrics: slices.DeleteFunc(slices.Clone(query.AllMetrics), func(m query.Metric) bool {
			return m == query.Percentage || m == query.ConversionRate || m == query.GroupConversionRate
		})}, "UTC"),
		"timeseries_dst": plan(t, query.Query{Metrics: []query.Metric{query.Visitors, query.Pageviews},
			Dimensions: []query.Dimension{query.TimeDay}}, "Europe/Berlin"),
		"hours_fixed_offset": plan(t, query.Query{Metrics: []query.Metric{query.Pageviews},
			Dimensions: []query.Dimension{query.TimeHour}}, "Asia/Tokyo"),
		"weeks_and_country": plan(t, query.Query{Metrics: []query.Metric{query.Visitors},
			Dimensions: []query.Dimension{query.TimeWeek, query.Country}}, "America/New_York"),
		"months": plan(t, query.Query{Metrics: []query.Metric{query.Visits},
			Dimensions: []query.Dimension{query.TimeMonth}}, "UTC"),
		"months_over_years": plan(t, query.Query{Metrics: []query.Metric{query.Visits},
			Dimensions: []query.Dimension{query.TimeMonth}, DateRange: query.DateRange{From: "2021-01-01", To: "2024-12-31"}}, "Europe/Berlin"),
		"pages": plan(t, query.Query{Metrics: []query.Metric{query.Visitors, query.Pageviews, query.TimeOnPage},
			Dimensions: []query.Dimension{query.EventPage}, Include: query.Include{TotalRows: true},
			Pagination: &query.Pagination{Limit: 10, Offset: 20}}, "UTC"),
		"exit_pages": plan(t, query.Query{Metrics: []query.Metric{query.Visits},
			Dimensions: []query.Dimension{query.ExitPage}}, "UTC"),
		"filters": plan(t, query.Query{Metrics: []query.Metric{query.Visitors, query.BounceRate},
			Dimensions: []query.Dimension{query.Source},
			Filters: []query.Filter{
				leaf(query.OpIs, query.Country, "JP", "KR"),
				{Op: query.OpOr, Clauses: []query.Filter{
					ci(leaf(query.OpContains, query.EntryPage, "/blog", "/docs")),
					{Op: query.OpNot, Clauses: []query.Filter{leaf(query.OpIsNot, query.UTMSource, "")}},
				}},
				ci(leaf(query.OpIsNot, query.Browser, "chrome")),
				leaf(query.OpContainsNot, query.Referrer, "spam"),
			},
			OrderBy: []query.Order{{By: "bounce_rate"}, {By: "visit:source", Desc: true}},
		}, "UTC"),
		"goals_by_hour": plan(t, query.Query{Metrics: []query.Metric{query.Visitors, query.Events},
			Dimensions: []query.Dimension{query.EventGoal, query.TimeHour, query.CountryName},
			Filters:    []query.Filter{leaf(query.OpContains, query.EventGoal, "Visit", "Sign")},
			Goals:      goldenGoals, Include: query.Include{TotalRows: true}}, "Asia/Tokyo"),
		"goal_filter_matches": plan(t, query.Query{Metrics: []query.Metric{query.Visitors, query.Percentage},
			Dimensions: []query.Dimension{query.RegionName},
			Filters: []query.Filter{leaf(query.OpIs, query.EventGoal, "Signup"),
				leaf(query.OpMatches, query.EventPage, `^/user/\d+$`), leaf(query.OpIs, query.UTMSource, "(not set)")},
			Goals: goldenGoals}, "UTC"),
	}
}

var goldenGoals = []query.Goal{
	{Name: "Signup", EventName: "Signup"},
	{Name: "Visit /docs/*", PagePath: "/docs/*"},
	{Name: "Visit /pricing", PagePath: "/pricing"},
}

func TestGolden(t *testing.T) {
	for name, p := range goldenPlans(t) {
		for _, d := range dialects {
			t.Run(name+"/"+d.Name(), func(t *testing.T) {
				sel, err := sqlgen.Select(d, p, siteKey(d, p))
				if err != nil {
					t.Fatal(err)
				}
				cnt, err := sqlgen.CountGroups(d, p, siteKey(d, p))
				if err != nil {
					t.Fatal(err)
				}
				got := render(sel) + "\n" + render(cnt)
				path := filepath.Join("testdata", name+"."+d.Name()+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs:\n%s", path, got)
				}
			})
		}
	}
}

// siteKey is what a store binds to the dialect's site column: DuckDB keys
// sites by an id.
func siteKey(d sqlgen.Dialect, p *query.Plan) any {
	if d.SiteColumn() == "site_id" {
		return uint32(7)
	}
	return p.Site
}

// render shows a statement and its arguments, one per line.
func render(st sqlgen.Stmt) string {
	var sb strings.Builder
	sb.WriteString(st.SQL + "\n")
	for i, a := range st.Args {
		switch v := a.(type) {
		case time.Time:
			fmt.Fprintf(&sb, "-- $%d time %s\n", i+1, v.Format(time.RFC3339))
		case string:
			fmt.Fprintf(&sb, "-- $%d string %q\n", i+1, v)
		default:
			fmt.Fprintf(&sb, "-- $%d %T %v\n", i+1, v, v)
		}
	}
	return sb.String()
}

func TestPlaceholdersMatchArgs(t *testing.T) {
	for name, p := range goldenPlans(t) {
		for _, d := range dialects {
			for _, compile := range []func(sqlgen.Dialect, *query.Plan, any) (sqlgen.Stmt, error){sqlgen.Select, sqlgen.CountGroups} {
				st, err := compile(d, p, siteKey(d, p))
				if err != nil {
					t.Fatal(err)
				}
				if n := strings.Count(st.SQL, "?"); n != len(st.Args) {
					t.Errorf("%s/%s: %d placeholders, %d args", name, d.Name(), n, len(st.Args))
				}
			}
		}
	}
}
