package sqlgen_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// TestDialectsKeepArgumentOrder checks the Dialect contract: each method
// uses each expression it is given exactly once and in order, so
// placeholders inside them stay in step with the arguments.
func TestDialectsKeepArgumentOrder(t *testing.T) {
	const a, b = "«A»", "«B»"
	for _, d := range dialects {
		exprs := map[string]string{
			"Contains":   d.Contains(a, b),
			"Lower":      d.Lower(a),
			"AddSeconds": d.AddSeconds(a, b),
			"Sum":        d.Sum(a),
			"SumIf":      d.SumIf(a, b),
			"Float":      d.Float(a),
			"SiteColumn": d.SiteColumn() + a,
			"KindColumn": d.KindColumn(a, event.KindPageview),
		}
		for _, dim := range []query.Dimension{query.TimeHour, query.TimeDay, query.TimeWeek, query.TimeMonth} {
			exprs["Truncate "+string(dim)] = d.Truncate(dim, a)
			exprs["BucketStart "+string(dim)] = d.BucketStart(dim, a)
		}
		for name, e := range exprs {
			ia, ib := strings.Index(e, a), strings.Index(e, b)
			if name == "KindColumn" {
				continue // a column name, not an expression of its inputs
			}
			if strings.Count(e, a) != 1 || strings.Count(e, b) > 1 || (ib >= 0 && ib < ia) {
				t.Errorf("%s.%s = %s: each input must appear once, in order", d.Name(), name, e)
			}
			if strings.Contains(e, "?") {
				t.Errorf("%s.%s = %s: a dialect must not add placeholders", d.Name(), name, e)
			}
		}
	}
}

func TestColumnsMatchRow(t *testing.T) {
	rt := reflect.TypeFor[event.Row]()
	fields := rt.NumField() - 1 + reflect.TypeFor[event.Counters]().NumField()
	if len(sqlgen.Columns) != fields {
		t.Fatalf("%d columns for %d row fields", len(sqlgen.Columns), fields)
	}
	r := event.Row{Site: "s", TS: time.Date(2024, 1, 2, 3, 4, 0, 0, time.FixedZone("x", 3600)), Kind: event.KindEvent}
	r.PublicSearchVisitors = 7
	v := sqlgen.Values(nil, &r)
	if len(v) != len(sqlgen.Columns) {
		t.Fatalf("%d values for %d columns", len(v), len(sqlgen.Columns))
	}
	if v[1].(time.Time).Location() != time.UTC || v[2] != uint8(2) || v[len(v)-1] != int32(7) {
		t.Errorf("values %v", v)
	}
	for _, d := range query.AllDimensions {
		if _, ok := sqlgen.DimensionColumn(d); ok == (d.IsTime() || d == query.EventGoal) {
			t.Errorf("DimensionColumn(%s) ok = %v", d, ok)
		}
	}
}

func TestCheckRow(t *testing.T) {
	good := event.Row{Site: "s", Kind: event.KindPageview, Path: "/日本"}
	if err := sqlgen.CheckRow(&good); err != nil {
		t.Errorf("good row: %v", err)
	}
	for name, r := range map[string]event.Row{
		"kind 0":       {Site: "s"},
		"kind 4":       {Site: "s", Kind: 4},
		"invalid utf8": {Site: "s", Kind: event.KindEvent, Language: "\xc3"},
	} {
		if err := sqlgen.CheckRow(&r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestKnownTotal(t *testing.T) {
	dims := []query.Dimension{query.Country}
	for _, c := range []struct {
		dims                    []query.Dimension
		limit, offset, returned int
		want                    int64
		ok                      bool
	}{
		{nil, 10, 0, 1, 1, true},
		{dims, 10, 0, 3, 3, true},
		{dims, 10, 20, 3, 23, true},
		{dims, 10, 0, 10, 0, false},
		{dims, 10, 20, 0, 0, false},
		{dims, 10, 0, 0, 0, true},
		{dims, 0, 0, 7, 7, true},
	} {
		p := &query.Plan{Dimensions: c.dims, Limit: c.limit, Offset: c.offset}
		got, ok := sqlgen.KnownTotal(p, c.returned)
		if got != c.want || ok != c.ok {
			t.Errorf("%+v: %d, %v", c, got, ok)
		}
	}
}

func TestCheckRejectsMalformedPlans(t *testing.T) {
	base := func() *query.Plan {
		return &query.Plan{Site: "s", Location: time.UTC, Sums: []query.Sum{{Counter: query.CounterVisits}},
			Metrics: []query.Metric{query.Visits}, Formulas: []query.Formula{{Num: []int{0}}}}
	}
	for name, spoil := range map[string]func(*query.Plan){
		"nil location with time": func(p *query.Plan) { p.Dimensions = []query.Dimension{query.TimeDay}; p.Location = nil },
		"unknown dimension":      func(p *query.Plan) { p.Dimensions = []query.Dimension{"visit:shoe_size"} },
		"unknown counter":        func(p *query.Plan) { p.Sums[0].Counter = 99 },
		"unknown kind":           func(p *query.Plan) { p.Sums[0].OnlyKind = 9 },
		"formula index":          func(p *query.Plan) { p.Formulas[0].Den = []int{3} },
		"having index":           func(p *query.Plan) { p.HavingPositive = []int{-1} },
		"order index":            func(p *query.Plan) { p.Order = []query.PlanOrder{{Metric: -1, Dimension: 2}} },
		"negative limit":         func(p *query.Plan) { p.Limit = -1 },
		"no sums":                func(p *query.Plan) { p.Sums, p.Formulas = nil, nil },
		"filter on exit page": func(p *query.Plan) {
			p.Filter = &query.Filter{Op: query.OpIs, Dimension: query.ExitPage, Values: []string{"/"}}
		},
		"filter on time": func(p *query.Plan) {
			p.Filter = &query.Filter{Op: query.OpIs, Dimension: query.TimeDay, Values: []string{"x"}}
		},
		"empty or":            func(p *query.Plan) { p.Filter = &query.Filter{Op: query.OpOr} },
		"leaf without values": func(p *query.Plan) { p.Filter = &query.Filter{Op: query.OpIs, Dimension: query.Country} },
		"unknown operator": func(p *query.Plan) {
			p.Filter = &query.Filter{Op: "like", Dimension: query.Country, Values: []string{"%"}}
		},
	} {
		p := base()
		if _, err := sqlgen.Select(sqlgen.DuckDB, p, p.Site); err != nil {
			t.Fatalf("base plan: %v", err)
		}
		spoil(p)
		if _, err := sqlgen.Select(sqlgen.DuckDB, p, p.Site); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
	if _, err := sqlgen.Select(sqlgen.DuckDB, nil, ""); err == nil {
		t.Errorf("nil plan compiled")
	}
}
