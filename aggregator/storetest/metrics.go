package storetest

import (
	"slices"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// testMetrics checks every metric formula and every choice of the visitor
// counter (DESIGN §3) on the fixture.
func testMetrics(t *testing.T, open Opener) {
	s := newStore(t, open, fixtureRows()...)
	all := slices.DeleteFunc(slices.Clone(query.AllMetrics), func(m query.Metric) bool {
		return m == query.Percentage || m == query.ConversionRate || m == query.GroupConversionRate
	}) // percentages are the service's (testGoals)
	runCases(t, s, fixtureQuery, []tcase{
		{name: "all metrics", q: query.Query{Metrics: all},
			// visitors 3, visits 3, pageviews 4, 4/3 views per visit,
			// bounces 2/3, duration 300/3, events 4+1, time on page 300/1.
			want: []string{": 3 3 4 1.33 67 100 5 300"}},
		{name: "visitors by page count page views only", q: query.Query{Metrics: m(query.Visitors, query.Pageviews), Dimensions: dims(query.EventPage)},
			want: []string{"/blog: 3 2", "/: 2 1", "/Search: 1 1"}},
		{name: "visitors by page and event name count every kind", q: query.Query{Metrics: m(query.Visitors),
			Dimensions: dims(query.EventPage), Filters: filters(is(query.EventName, "Signup"))},
			want: []string{"/blog: 10"}},
		{name: "visitors by page filter", q: query.Query{Metrics: m(query.Visitors), Filters: filters(contains(query.EventPage, "/"))},
			want: []string{": 6"}},
		{name: "visitors by event name", q: query.Query{Metrics: m(query.Visitors, query.Events), Dimensions: dims(query.EventName)},
			want: []string{"pageview: 6 4", "Signup: 1 1"}},
		{name: "visitors by entry page", q: query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.EntryPage)},
			want: []string{"/: 6", "/Search: 1", "/blog: 1"}},
		{name: "visitors by source", q: query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.Source)},
			want: []string{"Google: 3", "Bing: 1", "Direct / None: 1"}},
		{name: "visitors by source filter", q: query.Query{Metrics: m(query.Visitors), Filters: filters(is(query.Source, "Google"))},
			want: []string{": 3"}},
		{name: "visitors by country", q: query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.Country)},
			want: []string{"DE: 1", "JP: 1", "US: 1"}},
		{name: "public visitors by page", q: query.Query{Metrics: m(query.Visitors, query.Pageviews), Dimensions: dims(query.EventPage), Public: true},
			want: []string{"/blog: 21 2", "/: 7 1", "/Search: 1 1"}},
		{name: "public visitors by source", q: query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.Source), Public: true},
			want: []string{"Google: 5", "Bing: 1", "Direct / None: 1"}},
		{name: "public visitors by country", q: query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.Country), Public: true},
			want: []string{"DE: 1", "JP: 1", "US: 1"}},
		{name: "public searchers by search term", q: query.Query{Metrics: m(query.Visitors, query.Pageviews), Dimensions: dims(query.SearchTerm), Public: true},
			want: []string{"Grüße: 3 1"}},
		{name: "public visitors by day", q: query.Query{Metrics: m(query.Visitors, query.Visits, query.Pageviews), Dimensions: dims(query.TimeDay), Public: true},
			want: []string{"2024-05-06: 3 3 4"}},
		{name: "exit pages keep positive exits", q: query.Query{Metrics: m(query.Visits), Dimensions: dims(query.ExitPage),
			Include: query.Include{TotalRows: true}},
			want: []string{"/blog: 2", "/Search: 1"}, total: 2},
		{name: "exit pages paginated", q: query.Query{Metrics: m(query.Visits), Dimensions: dims(query.ExitPage),
			Include: query.Include{TotalRows: true}, Pagination: &query.Pagination{Limit: 1}},
			want: []string{"/blog: 2"}, total: 2},
		{name: "time on page null without timed views", q: query.Query{Metrics: m(query.TimeOnPage, query.Pageviews), Dimensions: dims(query.EventPage)},
			want: []string{"/: 300 1", "/Search: null 1", "/blog: null 2"}},
		{name: "bounce rate by page", q: query.Query{Metrics: m(query.BounceRate), Dimensions: dims(query.EventPage)},
			want: []string{"/: 100", "/Search: 100", "/blog: 0"}},
		{name: "search terms", q: query.Query{Metrics: m(query.Pageviews, query.Events), Dimensions: dims(query.SearchTerm)},
			want: []string{"Grüße: 1 1"}},
		{name: "no rows gives one zero group", q: query.Query{Metrics: all, DateRange: dates("2024-05-07", "2024-05-08")},
			want: []string{": 0 0 0 0 0 0 0 null"}},
		{name: "unknown site gives one zero group", q: query.Query{SiteID: "none.test", Metrics: m(query.Visitors, query.Pageviews)},
			want: []string{": 0 0"}},
	})
}
