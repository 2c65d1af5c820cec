package query

import (
	"encoding/json"
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
