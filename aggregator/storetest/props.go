package storetest

import (
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// testProps breaks down and filters by custom properties (event:props:<key>)
// on the fixture's property rows: they count in the property counters
// (prop_events, prop_visitors) only, a query reads the rows of its key
// alone, and the other dimensions of the event still apply.
func testProps(t *testing.T, open Opener) {
	s := newStore(t, open, fixtureRows()...)
	plan, url := query.PropDimension("plan"), query.PropDimension("url")
	ve := m(query.Visitors, query.Events)
	cases := []tcase{
		{name: "breakdown", q: query.Query{Metrics: ve, Dimensions: dims(plan)}, want: []string{"pro: 3 1"}},
		{name: "another key", q: query.Query{Metrics: ve, Dimensions: dims(url)}, want: []string{"https://x.test/Doc.pdf: 1 2"}},
		{name: "unknown key has no rows", q: query.Query{Metrics: ve, Dimensions: dims(query.PropDimension("author"))}, want: nil},
		{name: "filter", q: query.Query{Metrics: ve, Filters: filters(is(url, "https://x.test/Doc.pdf"))}, want: []string{": 1 2"}},
		{name: "filter case-insensitive contains", q: query.Query{Metrics: ve,
			Filters: filters(query.Filter{Op: query.OpContains, Dimension: url, Values: []string{"doc.PDF"}, CaseInsensitive: true})}, want: []string{": 1 2"}},
		{name: "filter misses", q: query.Query{Metrics: ve, Filters: filters(is(url, "https://x.test/other.pdf"))}, want: []string{": 0 0"}},
		{name: "is_not", q: query.Query{Metrics: ve, Filters: filters(isNot(plan, "free"))}, want: []string{": 3 1"}},
		{name: "with the event's other dimensions", q: query.Query{Metrics: ve, Dimensions: dims(query.Country, plan)},
			want: []string{"US|pro: 3 1"}},
		{name: "with a filter on the event name", q: query.Query{Metrics: ve, Dimensions: dims(url),
			Filters: filters(is(query.EventName, "Signup"))}, want: []string{"https://x.test/Doc.pdf: 1 2"}},
		{name: "other event name", q: query.Query{Metrics: ve, Dimensions: dims(url),
			Filters: filters(is(query.EventName, "File Download"))}, want: nil},
		{name: "by day", q: query.Query{Metrics: ve, Dimensions: dims(query.TimeDay), Filters: filters(is(plan, "pro"))},
			want: []string{"2024-05-06: 3 1"}},
		{name: "property rows add nothing elsewhere", q: query.Query{Metrics: m(query.Visitors, query.Events, query.Pageviews),
			Dimensions: dims(query.EventName)}, want: []string{"pageview: 6 4 4", "Signup: 1 1 0"}},
	}
	runCases(t, s, fixtureQuery, cases)
}
