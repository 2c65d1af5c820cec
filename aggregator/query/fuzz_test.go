package query

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzQuery: any body either fails to decode or validate, or builds a plan
// whose formulas and orders point inside it.
func FuzzQuery(f *testing.F) {
	f.Add(`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d"}`)
	f.Add(`{"site_id":"e.org","metrics":["visitors","bounce_rate"],"date_range":["2026-01-01","2026-01-31"],"dimensions":["visit:country","time:day"],"filters":[["is","visit:browser",["Firefox"]]],"order_by":[["visitors","desc"]],"include":{"time_labels":true}}`)
	f.Add(`{"site_id":"e.org","metrics":["visits"],"date_range":"all","dimensions":["visit:exit_page"],"filters":[["or",[["not",["contains","event:page",["/a"],{"case_sensitive":false}]]]]]}`)
	f.Add(`{"site_id":"e.org","metrics":["time_on_page"],"date_range":["2026-01-01T00:00:00Z","2026-01-01T01:00:00+09:00"],"pagination":{"limit":5,"offset":5}}`)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		var q Query
		if err := json.Unmarshal([]byte(body), &q); err != nil {
			return
		}
		p, err := Build(&q, now, berlin, now.AddDate(-1, 0, 0))
		if err != nil {
			return
		}
		if !p.From.Before(p.To) {
			t.Fatalf("empty range [%v, %v)", p.From, p.To)
		}
		if len(p.Formulas) != len(p.Metrics) {
			t.Fatal("formulas and metrics differ in length")
		}
		for _, fm := range p.Formulas {
			for _, i := range append(append([]int{}, fm.Num...), fm.Den...) {
				if i < 0 || i >= len(p.Sums) {
					t.Fatalf("formula index %d outside %d sums", i, len(p.Sums))
				}
			}
		}
		for _, o := range p.Order {
			if (o.Metric < 0) == (o.Dimension < 0) || o.Metric >= len(p.Metrics) || o.Dimension >= len(p.Dimensions) {
				t.Fatalf("bad order %+v", o)
			}
		}
		for _, d := range p.Dimensions {
			if d.IsTime() {
				_ = p.TimeLabels(d)
			}
		}
	})
}

// FuzzFilter: the one-pass filter reader refuses with a *Error, or returns
// a tree no deeper than maxFilterDepth that encodes back to JSON decoding
// to the same tree. Inputs are bounded to 8 KiB.
func FuzzFilter(f *testing.F) {
	f.Add(`["is","visit:country",["JP","KR"]]`)
	f.Add(`["contains","event:page",["/blog"],{"case_sensitive":false}]`)
	f.Add(`["and",[["is","visit:browser",["Firefox"]],["not",["is_not","visit:os",["Linux"]]]]]`)
	f.Add(`["or",[]]`)
	f.Add(`["not",["not",["not",["not",["not",["not",["not",["not",["not",["is","visit:country",["JP"]]]]]]]]]]]`)
	f.Add(`["is","visit:country",["JP"],{"regex":true}]`)
	f.Add(`["is","visit:country",["JP"],{},1]`)
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 8<<10 {
			t.Skip("bounded corpus")
		}
		var fl Filter
		if err := json.Unmarshal([]byte(body), &fl); err != nil {
			var qe *Error
			var syn *json.SyntaxError
			if !errors.As(err, &qe) && !errors.As(err, &syn) {
				t.Fatalf("error %T %v is neither a *query.Error nor a syntax error", err, err)
			}
			return
		}
		if d := filterDepth(&fl); d > maxFilterDepth {
			t.Fatalf("depth %d accepted", d)
		}
		out, err := json.Marshal(fl)
		if err != nil {
			t.Fatalf("marshal %+v: %v", fl, err)
		}
		var again Filter
		if err := json.Unmarshal(out, &again); err != nil || !reflect.DeepEqual(fl, again) {
			t.Fatalf("round trip %s → %s: %v", body, out, err)
		}
	})
}

func filterDepth(f *Filter) int {
	d := 0
	for i := range f.Clauses {
		d = max(d, filterDepth(&f.Clauses[i]))
	}
	return d + 1
}

// FuzzDecode: Decode refuses with a *Error whose message names no Go
// internals, or returns a query; it never panics. Bodies up to the limit.
func FuzzDecode(f *testing.F) {
	f.Add(`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d"}`)
	f.Add(`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d"} {}`)
	f.Add(`{"site_id":"e.org","filters":[["not",["not",["is","visit:country",["JP"]]]]]}`)
	f.Add(`{"site_id":"e.org\"}]]]]","metrics":[1]}`)
	f.Add(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`)
	f.Add("{\"site_id\":\"\xff\"}")
	f.Fuzz(func(t *testing.T, body string) {
		q, err := Decode([]byte(body))
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error %T %v is not a *query.Error", err, err)
			}
			if strings.Contains(err.Error(), "json:") || strings.Contains(err.Error(), "query.") {
				t.Fatalf("message names Go internals: %v", err)
			}
			return
		}
		if q == nil {
			t.Fatal("nil query without an error")
		}
		for i := range q.Filters {
			if d := filterDepth(&q.Filters[i]); d > maxFilterDepth {
				t.Fatalf("depth %d accepted", d)
			}
		}
	})
}
