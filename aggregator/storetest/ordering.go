package storetest

import (
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// testOrdering checks ordering by metrics (counts and ratios) and by
// dimensions in both directions, the dimension tie-breakers, and
// pagination with the total number of groups.
func testOrdering(t *testing.T, open Opener) {
	s := newStore(t, open, fixtureRows()...)
	byCountry := func(name string, ms []query.Metric, o []query.Order, p *query.Pagination, want ...string) tcase {
		return tcase{name: name, want: want, total: 3, q: query.Query{Metrics: ms, Dimensions: dims(query.Country),
			OrderBy: o, Pagination: p, Include: query.Include{TotalRows: true}}}
	}
	pv := m(query.Pageviews)
	page := func(limit, offset int) *query.Pagination { return &query.Pagination{Limit: limit, Offset: offset} }
	runCases(t, s, fixtureQuery, []tcase{
		byCountry("default is first metric descending", pv, nil, nil, "JP: 2", "DE: 1", "US: 1"),
		byCountry("metric ascending", pv, []query.Order{order("pageviews", false)}, nil, "DE: 1", "US: 1", "JP: 2"),
		byCountry("dimension descending", pv, []query.Order{order("visit:country", true)}, nil, "US: 1", "JP: 2", "DE: 1"),
		byCountry("dimension ascending", pv, []query.Order{order("visit:country", false)}, nil, "DE: 1", "JP: 2", "US: 1"),
		byCountry("ratio descending", m(query.Visitors, query.BounceRate), []query.Order{order("bounce_rate", true)}, nil,
			"DE: 1 100", "US: 1 100", "JP: 1 0"),
		byCountry("ratio ascending", m(query.ViewsPerVisit), []query.Order{order("views_per_visit", false)}, nil,
			"DE: 1", "US: 1", "JP: 2"),
		byCountry("two keys", m(query.Visitors, query.Pageviews), []query.Order{order("visitors", true), order("pageviews", false)}, nil,
			"DE: 1 1", "US: 1 1", "JP: 1 2"),
		byCountry("first page", pv, nil, page(2, 0), "JP: 2", "DE: 1"),
		byCountry("last page", pv, nil, page(2, 2), "US: 1"),
		byCountry("middle page", pv, nil, page(1, 1), "DE: 1"),
		byCountry("beyond the last page", pv, nil, page(2, 5)),
		{name: "time descending", want: []string{"2024-05-06 12:00:00: 1", "2024-05-06 11:00:00: 1", "2024-05-06 10:00:00: 2"},
			q: query.Query{Metrics: pv, Dimensions: dims(query.TimeHour), OrderBy: []query.Order{order("time:hour", true)}}},
		{name: "time by metric", want: []string{"2024-05-06 10:00:00: 2", "2024-05-06 11:00:00: 1", "2024-05-06 12:00:00: 1"},
			q: query.Query{Metrics: pv, Dimensions: dims(query.TimeHour), OrderBy: []query.Order{order("pageviews", true)}}},
		{name: "null ratio sorts as zero", want: []string{"/blog: null", "/Search: null", "/: 300"},
			q: query.Query{Metrics: m(query.TimeOnPage), Dimensions: dims(query.EventPage), OrderBy: []query.Order{order("time_on_page", false), order("event:page", true)}}},
	})
}

// testRanges checks the half-open range [From, To) at its edges and that a
// site sees only its own rows.
func testRanges(t *testing.T, open Opener) {
	s := newStore(t, open, append(fixtureRows(), timeRows()...)...)
	at := func(from, to string) func(*query.Plan) {
		return func(p *query.Plan) {
			p.From, _ = time.Parse(time.RFC3339, from)
			p.To, _ = time.Parse(time.RFC3339, to)
		}
	}
	pv := m(query.Pageviews)
	runCases(t, s, fixtureQuery, []tcase{
		{name: "row at From is in, row at To is out", q: query.Query{Metrics: pv},
			tweak: at("2024-05-06T10:00:00Z", "2024-05-06T11:00:00Z"), want: []string{": 2"}},
		{name: "one minute", q: query.Query{Metrics: pv},
			tweak: at("2024-05-06T11:00:00Z", "2024-05-06T11:01:00Z"), want: []string{": 1"}},
		{name: "empty range", q: query.Query{Metrics: pv},
			tweak: at("2024-05-06T11:00:00Z", "2024-05-06T11:00:00Z"), want: []string{": 0"}},
		{name: "local dates", loc: "Asia/Tokyo", q: query.Query{SiteID: "dst.test", Metrics: pv,
			DateRange: dates("2024-03-31", "2024-03-31")}, want: []string{": 4"}},
		{name: "date-times are inclusive", q: query.Query{Metrics: pv,
			DateRange: dates("2024-05-06T10:05:00Z", "2024-05-06T11:00:00Z")}, want: []string{": 2"}},
		{name: "other site", q: query.Query{SiteID: "o'ther.test", Metrics: pv, Dimensions: dims(query.Country)},
			want: []string{"KR: 1"}},
		{name: "site is matched exactly", q: query.Query{SiteID: "A.TEST", Metrics: pv}, want: []string{": 0"}},
		{name: "all time", q: query.Query{SiteID: "week.test", Metrics: pv, DateRange: query.DateRange{Preset: query.RangeAll}},
			want: []string{": 7"}},
	})
}
