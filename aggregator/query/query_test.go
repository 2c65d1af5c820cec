package query

import (
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/event"
)

func decode(t *testing.T, body string) (*Query, error) {
	t.Helper()
	var q Query
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return nil, err
	}
	return &q, q.Validate()
}

func TestValidQueriesRoundTrip(t *testing.T) {
	bodies := []string{
		`{"site_id":"example.org","metrics":["visitors"],"date_range":"7d"}`,
		`{"site_id":"example.org","metrics":["visitors","pageviews","bounce_rate"],"date_range":["2026-01-01","2026-01-31"],"dimensions":["visit:country","time:day"],"filters":[["is","visit:browser",["Firefox","Chrome"]],["contains","event:page",["/blog"],{"case_sensitive":false}]],"order_by":[["visitors","desc"],["time:day","asc"]],"include":{"time_labels":true,"total_rows":true},"pagination":{"limit":10,"offset":20}}`,
		`{"site_id":"example.org","metrics":["events"],"date_range":"all","filters":[["or",[["is","event:name",["Signup"]],["not",["contains","event:page",["/admin"]]]]]]}`,
		`{"site_id":"example.org","metrics":["pageviews"],"date_range":"day","dimensions":["search_term"]}`,
		`{"site_id":"example.org","metrics":["visits"],"date_range":["2026-01-01T09:00:00+09:00","2026-01-01T18:00:00+09:00"],"dimensions":["visit:exit_page"]}`,
	}
	for _, body := range bodies {
		q, err := decode(t, body)
		if err != nil {
			t.Errorf("%s: %v", body, err)
			continue
		}
		out, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var again Query
		if err := json.Unmarshal(out, &again); err != nil {
			t.Errorf("re-decoding %s: %v", out, err)
		}
		if err := again.Validate(); err != nil {
			t.Errorf("re-validating %s: %v", out, err)
		}
	}
}

func TestInvalidQueriesNameTheField(t *testing.T) {
	cases := []struct{ body, field string }{
		{`{"metrics":["visitors"],"date_range":"7d"}`, "site_id"},
		{`{"site_id":"e.org","date_range":"7d"}`, "metrics"},
		{`{"site_id":"e.org","metrics":["visitorz"],"date_range":"7d"}`, "metrics[0]"},
		{`{"site_id":"e.org","metrics":["visitors","visitors"],"date_range":"7d"}`, "metrics[1]"},
		{`{"site_id":"e.org","metrics":["visitors"]}`, "date_range"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"3d"}`, "date_range"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":["2026-02-01","2026-01-01"]}`, "date_range"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":["2026-13-01","2026-01-01"]}`, "date_range[0]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":["1999-01-01","2026-01-01"]}`, "date_range[0]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":["2026-01-01","2026-01-02T00:00:00Z"]}`, "date_range"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","dimensions":["visit:shoe_size"]}`, "dimensions[0]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","dimensions":["time:day","time:hour"]}`, "dimensions[1]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","visit:nope",["x"]]]}`, "filters[0][1]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","visit:country",[]]]}`, "filters[0][2]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","time:day",["2026-01-01"]]]}`, "filters[0][1]"},
		{`{"site_id":"e.org","metrics":["visits"],"date_range":"7d","filters":[["is","visit:exit_page",["/"]]]}`, "filters[0][1]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["and",[]]]}`, "filters[0]"},
		{`{"site_id":"e.org","metrics":["visits"],"date_range":"7d","dimensions":["event:page"]}`, "metrics[0]"},
		{`{"site_id":"e.org","metrics":["pageviews","visit_duration"],"date_range":"7d","filters":[["is","event:page",["/"]]]}`, "metrics[1]"},
		{`{"site_id":"e.org","metrics":["bounce_rate"],"date_range":"7d","dimensions":["event:name"]}`, "metrics[0]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","dimensions":["visit:exit_page"]}`, "metrics[0]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","dimensions":["event:search_term"]}`, "metrics[0]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","order_by":[["pageviews","desc"]]}`, "order_by[0]"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","include":{"time_labels":true}}`, "include.time_labels"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","pagination":{"limit":0}}`, "pagination.limit"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","pagination":{"limit":10,"offset":-1}}`, "pagination.offset"},
	}
	for _, c := range cases {
		_, err := decode(t, c.body)
		var qe *Error
		if !errors.As(err, &qe) {
			t.Errorf("%s: err = %v, want a *query.Error", c.body, err)
			continue
		}
		if qe.Field != c.field {
			t.Errorf("%s: field %q, want %q (%v)", c.body, qe.Field, c.field, err)
		}
	}
}

func TestMalformedJSONIsRejected(t *testing.T) {
	for _, body := range []string{
		`{"site_id":"e.org","metrics":["visitors"],"date_range":7}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is"]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["like","event:page",["x"]]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","event:page","x"]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","event:page",["x"],{"regex":true}]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","order_by":[["visitors","up"]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","nope":1}`,
	} {
		if _, err := decode(t, body); err == nil {
			t.Errorf("accepted %s", body)
		}
	}
}

func TestDeepFiltersAreBounded(t *testing.T) {
	f := `["is","visit:country",["JP"]]`
	for range 20 {
		f = `["not",` + f + `]`
	}
	_, err := decode(t, `{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[`+f+`]}`)
	if err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("deep filter: %v", err)
	}
}

func TestDateRangeResolve(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	now := time.Date(2026, 3, 15, 1, 30, 0, 0, time.UTC) // 10:30 JST
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, tokyo) }
	cases := []struct {
		r        DateRange
		from, to time.Time
	}{
		{DateRange{Preset: "day"}, day(2026, 3, 15), day(2026, 3, 16)},
		{DateRange{Preset: "7d"}, day(2026, 3, 9), day(2026, 3, 16)},
		{DateRange{Preset: "30d"}, day(2026, 2, 14), day(2026, 3, 16)},
		{DateRange{Preset: "month"}, day(2026, 3, 1), day(2026, 4, 1)},
		{DateRange{Preset: "6mo"}, day(2025, 10, 1), day(2026, 4, 1)},
		{DateRange{Preset: "12mo"}, day(2025, 4, 1), day(2026, 4, 1)},
		{DateRange{Preset: "year"}, day(2026, 1, 1), day(2027, 1, 1)},
		{DateRange{From: "2026-01-01", To: "2026-01-31"}, day(2026, 1, 1), day(2026, 2, 1)},
	}
	for _, c := range cases {
		from, to := c.r.Resolve(now, tokyo, time.Time{})
		if !from.Equal(c.from) || !to.Equal(c.to) {
			t.Errorf("%+v: [%v, %v), want [%v, %v)", c.r, from, to, c.from, c.to)
		}
	}
	earliest := time.Date(2025, 7, 4, 20, 0, 0, 0, time.UTC) // 5 July JST
	from, to := DateRange{Preset: "all"}.Resolve(now, tokyo, earliest)
	if !from.Equal(day(2025, 7, 5)) || !to.Equal(day(2026, 3, 16)) {
		t.Errorf("all: [%v, %v)", from, to)
	}
}

func TestOffsetSegmentsAcrossDST(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, berlin)
	to := time.Date(2026, 11, 1, 0, 0, 0, 0, berlin)
	segs := OffsetSegments(berlin, from.UTC(), to.UTC())
	if len(segs) != 3 || segs[0].Offset != 3600 || segs[1].Offset != 7200 || segs[2].Offset != 3600 {
		t.Fatalf("segments %+v", segs)
	}
	if want := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC); !segs[0].Until.Equal(want) {
		t.Errorf("spring change at %v, want %v", segs[0].Until, want)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if segs := OffsetSegments(tokyo, from, to); len(segs) != 1 || segs[0].Offset != 9*3600 {
		t.Errorf("Tokyo segments %+v", segs)
	}
}

func TestTimeLabels(t *testing.T) {
	q := &Query{SiteID: "e.org", Metrics: []Metric{Visitors}, DateRange: DateRange{From: "2026-02-23", To: "2026-03-03"},
		Dimensions: []Dimension{TimeWeek}, Include: Include{TimeLabels: true}}
	p, err := Build(q, time.Now(), time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.TimeLabels(TimeWeek), ","); got != "2026-02-23,2026-03-02" {
		t.Errorf("weeks %s", got)
	}
	if got := p.TimeLabels(TimeMonth); len(got) != 2 || got[0] != "2026-02-01" {
		t.Errorf("months %v", got)
	}
	if got := p.TimeLabels(TimeHour); len(got) != 9*24 || got[1] != "2026-02-23 01:00:00" {
		t.Errorf("hours: %d labels, second %q", len(got), got[1])
	}
}

func TestVisitorCounterDependsOnScope(t *testing.T) {
	cases := []struct {
		dims    []Dimension
		filters []Filter
		want    Sum
	}{
		{nil, nil, Sum{Counter: CounterVisitors}},
		{[]Dimension{Country, TimeDay}, nil, Sum{Counter: CounterVisitors}},
		{[]Dimension{Source}, nil, Sum{Counter: CounterSourceVisitors}},
		{[]Dimension{EntryPage}, nil, Sum{Counter: CounterEntryVisitors}},
		{[]Dimension{EventPage}, nil, Sum{Counter: CounterPageVisitors, OnlyKind: event.KindPageview}},
		{[]Dimension{EventName}, nil, Sum{Counter: CounterEventVisitors}},
		{[]Dimension{Country}, []Filter{{Op: OpIs, Dimension: EventName, Values: []string{"Signup"}}, {Op: OpIs, Dimension: EventPage, Values: []string{"/"}}}, Sum{Counter: CounterPageVisitors}},
		{nil, []Filter{{Op: OpNot, Clauses: []Filter{{Op: OpIs, Dimension: UTMSource, Values: []string{"x"}}}}}, Sum{Counter: CounterSourceVisitors}},
	}
	for _, c := range cases {
		q := &Query{SiteID: "e.org", Metrics: []Metric{Visitors}, DateRange: DateRange{Preset: "7d"}, Dimensions: c.dims, Filters: c.filters}
		p, err := Build(q, time.Now(), time.UTC, time.Time{})
		if err != nil {
			t.Fatalf("%v %v: %v", c.dims, c.filters, err)
		}
		if got := p.Sums[p.Formulas[0].Num[0]]; got != c.want {
			t.Errorf("%v %v: sum %+v, want %+v", c.dims, c.filters, got, c.want)
		}
	}
}

func TestFormulaValue(t *testing.T) {
	q := &Query{SiteID: "e.org", Metrics: []Metric{BounceRate, ViewsPerVisit, TimeOnPage, Events, Visits}, DateRange: DateRange{Preset: "7d"},
		Dimensions: []Dimension{Country}}
	p, err := Build(q, time.Now(), time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	sums := make([]int64, len(p.Sums))
	set := func(c Counter, v int64) {
		for i, s := range p.Sums {
			if s.Counter == c {
				sums[i] = v
			}
		}
	}
	set(CounterBounces, 1)
	set(CounterVisits, 3)
	set(CounterPageviews, 7)
	set(CounterEvents, 2)
	want := []float64{33, 2.33, 0, 9, 3}
	for i, f := range p.Formulas {
		v, ok := f.Value(sums)
		if p.Metrics[i] == TimeOnPage {
			if ok {
				t.Errorf("time_on_page without timed views = %v, want null", v)
			}
			continue
		}
		if v != want[i] {
			t.Errorf("%s = %v, want %v", p.Metrics[i], v, want[i])
		}
	}
}

// Item 2 of the hostile-client findings: 63 KB of nested "not" used to be
// re-parsed and copied at every level (15 s and 0.8 GB per request). The
// depth is now refused while reading, so the cost is a fraction of the
// body, and a maximal legal tree decodes in memory linear in its size.
func TestDeepNestingIsRefusedWhileReading(t *testing.T) {
	deep := `{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[` +
		strings.Repeat(`["not", `, 7000) + `["is","visit:country",["JP"]]` + strings.Repeat(`]`, 7000) + `]}`
	if _, err := Decode([]byte(deep)); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Fatalf("deep body: %v", err)
	}
	perOp := func(body string) int64 {
		raw := []byte(body)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _ = Decode(raw)
		runtime.ReadMemStats(&after)
		return int64(after.TotalAlloc - before.TotalAlloc)
	}
	if n := perOp(deep); n > 16<<10 {
		t.Errorf("refusing a %d-byte deep body allocated %d bytes", len(deep), n)
	}
	// The deepest tree allowed, as wide as the body limit lets it be:
	// decoding allocates a small multiple of the body, not a multiple
	// per level.
	leaf := `["is","visit:country",["JP"]]`
	level := leaf
	for range maxFilterDepth - 2 {
		level = `["and",[` + level + `,` + leaf + `]]`
	}
	var b strings.Builder
	b.WriteString(`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["or",[`)
	for i := 0; b.Len() < MaxBodyBytes-len(level)-10; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(level)
	}
	b.WriteString(`]]]}`)
	wide := b.String()
	if _, err := Decode([]byte(wide)); err != nil {
		t.Fatalf("maximal legal body: %v", err)
	}
	if n := perOp(wide); n > int64(40*len(wide)) {
		t.Errorf("decoding a %d-byte legal body allocated %d bytes", len(wide), n)
	}
}
