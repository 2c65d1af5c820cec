package rollup_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/query"
	. "github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// TestTable checks each rollup dimension's column and value against the
// query dimensions it answers.
func TestTable(t *testing.T) {
	rows := collect(storetest.GenerateRows(1, 50, storetest.GenOptions{}))
	for id := Dim(1); int(id) < NumDims; id++ {
		for _, d := range Dims(id) {
			col, ok := sqlgen.DimensionColumn(d)
			if !ok || col != Column(id) {
				t.Errorf("dim %d answers %s, stored in %q, but reads %q", id, d, col, Column(id))
			}
			if got, ok := DimOf(d); !ok || got != id {
				t.Errorf("DimOf(%s) = %d, want %d", d, got, id)
			}
			for i := range rows {
				if got, want := ValueOf(id, &rows[i]), memstore.Value(d, &rows[i]); got != want {
					t.Errorf("dim %d of row %d: %q, want %q", id, i, got, want)
				}
			}
		}
	}
}

func collect(seq func(func(event.Row) bool)) []event.Row {
	var out []event.Row
	seq(func(r event.Row) bool { out = append(out, r); return true })
	return out
}

// TestDerive checks that every dimension's rollup rows add up to the
// batch's counters, bucket by bucket.
func TestDerive(t *testing.T) {
	rows := collect(storetest.GenerateRows(2, 3000, storetest.GenOptions{Days: 2}))
	derived := Derive(rows)
	type k struct {
		site string
		ts   time.Time
		dim  Dim
	}
	got := map[k][NumCounters]int64{}
	for _, r := range derived {
		if !r.TS.Equal(r.TS.Truncate(Quarter)) {
			t.Fatalf("rollup row at %v", r.TS)
		}
		s := got[k{r.Site, r.TS, r.Dim}]
		for i, v := range r.Sums {
			s[i] += v
		}
		got[k{r.Site, r.TS, r.Dim}] = s
	}
	for i := range rows {
		want := SumsOf(&rows[i])
		for d := range NumDims {
			if !Includes(Dim(d), &rows[i]) {
				continue // the dimension sums other rows
			}
			key := k{rows[i].Site, rows[i].TS.Truncate(Quarter), Dim(d)}
			s := got[key]
			for j := range want {
				s[j] -= want[j]
			}
			got[key] = s
		}
	}
	for key, s := range got {
		if s != ([NumCounters]int64{}) {
			t.Fatalf("%+v: sums differ by %v", key, s)
		}
	}
	if len(derived) >= len(rows)*NumDims {
		t.Errorf("%d rollup rows for %d rows: nothing merged", len(derived), len(rows))
	}
}

// buildPlan plans q for a.example over the last 7 days, the site having
// an event goal and a page goal.
func buildPlan(t *testing.T, q query.Query) *query.Plan {
	t.Helper()
	q.SiteID, q.DateRange = "a.example", query.DateRange{Preset: query.Range7d}
	q.Goals = []query.Goal{{Name: "Signup", EventName: "Signup"}, {Name: "Visit /blog/*", PagePath: "/blog/*"}}
	p, err := query.Build(&q, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// isFilter is the filter "d is v".
func isFilter(d query.Dimension, v string) query.Filter {
	return query.Filter{Op: query.OpIs, Dimension: d, Values: []string{v}}
}

func TestEligible(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    query.Query
		dim  Dim
		ok   bool
	}{
		{"totals", query.Query{Metrics: []query.Metric{query.Visitors, query.BounceRate}}, Totals, true},
		{"series", query.Query{Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.TimeDay}}, Totals, true},
		{"pages", query.Query{Metrics: []query.Metric{query.Visitors, query.TimeOnPage}, Dimensions: []query.Dimension{query.EventPage}}, 2, true},
		{"exit pages", query.Query{Metrics: []query.Metric{query.Visits}, Dimensions: []query.Dimension{query.ExitPage}}, 2, true},
		{"pages filtered by page", query.Query{Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.EventPage}, Filters: []query.Filter{isFilter(query.EventPage, "/")}}, 2, true},
		{"totals of a country", query.Query{Metrics: []query.Metric{query.Visitors}, Filters: []query.Filter{isFilter(query.Country, "JP")}}, 12, true},
		{"countries of a browser", query.Query{Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.Country}, Filters: []query.Filter{isFilter(query.Browser, "Firefox")}}, 0, false},
		{"two dimensions", query.Query{Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.Country, query.Browser}}, 0, false},
		{"search terms", query.Query{Metrics: []query.Metric{query.Pageviews}, Dimensions: []query.Dimension{query.SearchTerm}}, 0, false},
	} {
		dim, ok := Eligible(buildPlan(t, tc.q))
		if ok != tc.ok || ok && dim != tc.dim {
			t.Errorf("%s: %d %v, want %d %v", tc.name, dim, ok, tc.dim, tc.ok)
		}
	}
}

// TestPlanFieldsKnown fails when query.Plan gains a field: Eligible must
// then learn whether rollup rows can honour it, or a plan using it would
// be answered from them as if it were not there.
func TestPlanFieldsKnown(t *testing.T) {
	known := []string{"Site", "Location", "From", "To", "Dimensions", "Filter", "Sums", "Metrics", "Formulas",
		"Order", "Limit", "Offset", "CountGroups", "HavingPositive", "Presence", "PropKey", "Goals", "GroupGoals", "GoalCap"}
	typ := reflect.TypeFor[query.Plan]()
	if typ.NumField() != len(known) {
		t.Fatalf("query.Plan has %d fields, Eligible knows %d: check the new ones in rollup.Eligible, then list them here", typ.NumField(), len(known))
	}
	for i, name := range known {
		if typ.Field(i).Name != name {
			t.Errorf("query.Plan field %d is %s, Eligible knows %s", i, typ.Field(i).Name, name)
		}
	}
}

func BenchmarkDerive(b *testing.B) {
	rows := collect(storetest.GenerateRows(3, 10000, storetest.GenOptions{Days: 1}))
	b.ResetTimer()
	for range b.N {
		Derive(rows)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}

func TestNumDims(t *testing.T) {
	n := 0
	for id := Dim(0); ; id++ {
		if id > 0 && len(Dims(id)) == 0 && Where(id) == "" {
			break
		}
		n++
		if int(id) == NumDims-1 {
			break
		}
	}
	if n != NumDims {
		t.Errorf("the table has %d dimensions, NumDims is %d", n, NumDims)
	}
}

// TestEligibleGoals checks which goal plans the goal rollup rows answer:
// the dashboard's Goals panel and goal totals, not a goal plan with a
// filter on another dimension, a property or a property counter.
func TestEligibleGoals(t *testing.T) {
	goalMetrics := []query.Metric{query.Visitors, query.Events, query.ConversionRate}
	for _, tc := range []struct {
		name string
		q    query.Query
		ok   bool
	}{
		{"goals panel", query.Query{Metrics: goalMetrics, Dimensions: []query.Dimension{query.EventGoal}}, true},
		{"goals by day", query.Query{Metrics: goalMetrics, Dimensions: []query.Dimension{query.EventGoal, query.TimeDay}}, true},
		{"one goal's totals", query.Query{Metrics: []query.Metric{query.Visitors}, Filters: []query.Filter{isFilter(query.EventGoal, "Signup")}}, true},
		{"goal series", query.Query{Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.TimeWeek}, Filters: []query.Filter{isFilter(query.EventGoal, "Signup")}}, true},
		{"goals of a country", query.Query{Metrics: goalMetrics, Dimensions: []query.Dimension{query.EventGoal}, Filters: []query.Filter{isFilter(query.Country, "JP")}}, false},
		{"goals by country", query.Query{Metrics: goalMetrics, Dimensions: []query.Dimension{query.EventGoal, query.Country}}, false},
		{"goals by page", query.Query{Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.EventGoal, query.EventPage}}, false},
		{"no goal", query.Query{Metrics: []query.Metric{query.Visitors}}, false},
	} {
		if got := EligibleGoals(buildPlan(t, tc.q)); got != tc.ok {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.ok)
		}
	}
}

// TestJoinValue checks that joined values split back into their parts
// whatever the parts hold, separators included.
func TestJoinValue(t *testing.T) {
	for _, parts := range [][]string{
		{"File Download", "url", "https://a.example/x.pdf"},
		{"", "", ""},
		{"a\x1fb", "\x1e", "\x1e1\x1f\x1e0"},
	} {
		got := splitValue(JoinValue(parts...))
		if !slices.Equal(got, parts) {
			t.Errorf("%q: split back as %q", parts, got)
		}
	}
	if JoinValue("a", "b") == JoinValue("a\x1fb") {
		t.Error("two parts join like one part holding the separator")
	}
}

// splitValue is the stores' SQL decoding (sqlgen Part), in Go.
func splitValue(v string) []string {
	parts := strings.Split(v, "\x1f")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "\x1e1", "\x1f"), "\x1e0", "\x1e")
	}
	return parts
}

// TestEligibleProps checks which property plans the Props rows answer.
func TestEligibleProps(t *testing.T) {
	plan, url := query.PropDimension("plan"), query.PropDimension("url")
	m := []query.Metric{query.Visitors, query.Events}
	for _, tc := range []struct {
		name string
		q    query.Query
		ok   bool
	}{
		{"by property", query.Query{Metrics: m, Dimensions: []query.Dimension{plan}}, true},
		{"by property and day", query.Query{Metrics: m, Dimensions: []query.Dimension{plan, query.TimeDay}}, true},
		{"downloads", query.Query{Metrics: m, Dimensions: []query.Dimension{url}, Filters: []query.Filter{isFilter(query.EventName, "File Download")}}, true},
		{"one value", query.Query{Metrics: m, Filters: []query.Filter{isFilter(plan, "pro")}}, true},
		{"of a country", query.Query{Metrics: m, Dimensions: []query.Dimension{plan}, Filters: []query.Filter{isFilter(query.Country, "JP")}}, false},
		{"of a goal", query.Query{Metrics: m, Dimensions: []query.Dimension{plan}, Filters: []query.Filter{isFilter(query.EventGoal, "Signup")}}, false},
		{"by page", query.Query{Metrics: m, Dimensions: []query.Dimension{plan, query.EventPage}}, false},
	} {
		dim, ok := Eligible(buildPlan(t, tc.q))
		if ok != tc.ok || ok && dim != Props {
			t.Errorf("%s: %d %v, want Props %v", tc.name, dim, ok, tc.ok)
		}
	}
}
