package storetest

import (
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// testFilters checks every filter operator on the fixture, with the page
// views of the selected rows as the only metric.
func testFilters(t *testing.T, open Opener) {
	s := newStore(t, open, fixtureRows()...)
	where := func(name string, want string, fs ...query.Filter) tcase {
		return tcase{name: name, q: query.Query{Metrics: m(query.Pageviews), Filters: fs}, want: []string{": " + want}}
	}
	runCases(t, s, fixtureQuery, append(leafCases(where), treeCases(where)...))
}

// filterCase builds a case: the page views selected by the filters.
type filterCase func(name string, want string, fs ...query.Filter) tcase

// leafCases check each leaf operator, case-insensitivity and literal
// matching of wildcards, quotes and Unicode.
func leafCases(where filterCase) []tcase {
	const page, country, campaign = query.EventPage, query.Country, query.UTMCampaign
	return []tcase{
		where("is", "2", is(country, "JP")),
		where("is any", "3", is(country, "JP", "US")),
		where("is not", "2", isNot(country, "JP")),
		where("is not any", "1", isNot(country, "JP", "US")),
		where("is empty selects rows without a value", "3", is(query.UTMSource, "")),
		where("is not empty", "1", isNot(query.UTMSource, "")),
		where("empty region", "1", is(query.Region, "")),
		where("contains", "2", contains(page, "blog")),
		where("contains any", "1", contains(page, "Sea", "zzz")),
		where("contains empty matches all", "4", contains(page, "")),
		where("contains is case-sensitive", "0", contains(page, "sea")),
		where("contains case-insensitive", "1", ci(contains(page, "sea"))),
		where("is case-insensitive", "1", ci(is(page, "/search"))),
		where("is not case-insensitive", "3", ci(isNot(page, "/SEARCH"))),
		where("contains not", "2", containsNot(page, "blog")),
		where("contains not any", "1", containsNot(page, "blog", "Search")),
		where("contains not case-insensitive", "3", ci(containsNot(page, "SEARCH"))),
		where("percent is literal", "1", contains(campaign, "%")),
		where("underscore is literal", "1", contains(campaign, "%_")),
		where("underscore is no wildcard", "0", contains(campaign, "May_")),
		where("percent is no wildcard", "0", contains(campaign, "%sale")),
		where("is with percent", "1", is(campaign, "May%_sale")),
		where("is has no wildcards", "0", is(campaign, "May__sale")),
		where("quotes and backslash", "1", is(query.UTMTerm, `it's "q" \`)),
		where("contains quote", "1", contains(query.UTMTerm, `'`)),
		where("contains backslash", "1", contains(query.UTMTerm, `\`)),
		where("unicode", "1", is(query.SearchTerm, "Grüße")),
		where("unicode case-insensitive", "1", ci(contains(query.SearchTerm, "GRÜ"))),
		where("unicode is not folded", "0", ci(is(query.SearchTerm, "GRÜSSE"))),
	}
}

// treeCases check and, or, not, nesting and the scopes filters select.
func treeCases(where filterCase) []tcase {
	const page, country = query.EventPage, query.Country
	return []tcase{
		where("and", "1", and(is(country, "JP"), contains(page, "blog"))),
		where("or", "3", or(is(country, "DE"), contains(page, "blog"))),
		where("not", "2", not(is(country, "JP"))),
		where("nested", "2", and(or(is(country, "JP"), is(country, "DE")), not(contains(page, "blog")))),
		where("nested not of or", "2", or(is(query.Device, "Mobile"), not(is(country, "JP", "US")))),
		where("not not", "2", not(not(is(country, "JP")))),
		where("top-level filters combine with and", "1", is(query.Source, "Google"), is(page, "/")),
		where("event name", "0", is(query.EventName, "Signup")),
		where("entry page", "2", is(query.EntryPage, "/")),
		where("channel", "1", is(query.Channel, "Email")),
		where("not channel", "3", isNot(query.Channel, "Email")),
		where("every dimension", "1",
			is(query.EventHostname, "www.a.test"), is(query.Referrer, "www.bing.com"), is(query.Browser, "Safari"),
			is(query.BrowserVersion, "17"), is(query.OS, "macOS"), is(query.OSVersion, "14"), is(query.Screen, "Laptop"),
			is(query.Language, "de"), is(query.City, ""), is(query.UTMMedium, ""), is(query.UTMContent, ""), isNot(query.UTMTerm, "t")),
		{name: "filter on event name picks the event visitor counter",
			q:    query.Query{Metrics: m(query.Visitors, query.Events), Filters: filters(is(query.EventName, "Signup"))},
			want: []string{": 1 1"}},
		{name: "filter on entry page picks the entry visitor counter",
			q:    query.Query{Metrics: m(query.Visitors), Filters: filters(is(query.EntryPage, "/"))},
			want: []string{": 6"}},
		{name: "filter does not drop empty values of the breakdown's other dimensions",
			q:    query.Query{Metrics: m(query.Pageviews), Dimensions: dims(query.Country), Filters: filters(is(query.Region, ""))},
			want: []string{"DE: 1"}},
	}
}
