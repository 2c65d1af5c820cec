package storetest

import (
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// testDimensions breaks the fixture down by every non-time dimension.
// Empty values show as the dimension's blank label where Plausible shows
// one (r4 has no referrer: "Direct / None"; no UTM values, JP's OS
// version: "(not set)") and are left out elsewhere (DE has no region);
// groups with an event but no page view stay (r5's event keeps its page).
func testDimensions(t *testing.T, open Opener) {
	s := newStore(t, open, fixtureRows()...)
	pv := m(query.Pageviews)
	by := func(d query.Dimension, want ...string) tcase {
		return tcase{name: string(d), q: query.Query{Metrics: pv, Dimensions: dims(d)}, want: want}
	}
	cases := []tcase{
		by(query.EventPage, "/blog: 2", "/: 1", "/Search: 1"),
		by(query.EventHostname, "a.test: 3", "www.a.test: 1"),
		by(query.SearchTerm, "Grüße: 1"),
		by(query.EntryPage, "/: 2", "/Search: 1", "/blog: 1"),
		by(query.Source, "Google: 2", "Bing: 1", "Direct / None: 1"),
		by(query.Referrer, "www.google.com: 2", "Direct / None: 1", "www.bing.com: 1"),
		by(query.UTMSource, "(not set): 3", "news: 1"),
		by(query.UTMMedium, "(not set): 3", "email: 1"),
		by(query.UTMCampaign, "(not set): 3", "May%_sale: 1"),
		by(query.UTMContent, "(not set): 3", "A: 1"),
		by(query.UTMTerm, "(not set): 2", `it's "q" \: 1`, "t: 1"),
		by(query.Channel, "Organic Search: 3", "Email: 1"),
		by(query.Country, "JP: 2", "DE: 1", "US: 1"),
		by(query.Region, "JP-13: 2", "US-CA: 1"),
		by(query.City, "Tokyo: 2", "San Francisco: 1"),
		by(query.CountryName, "Japan: 2", "Germany: 1", "United States: 1"),
		by(query.RegionName, "Tokyo: 2", "California: 1"),
		by(query.CityName, "Tokyo: 2", "San Francisco: 1"),
		by(query.Browser, "Firefox: 2", "Chrome: 1", "Safari: 1"),
		by(query.BrowserVersion, "125: 2", "124: 1", "17: 1"),
		by(query.OS, "Linux: 2", "Windows: 1", "macOS: 1"),
		by(query.OSVersion, "(not set): 2", "11: 1", "14: 1"),
		by(query.Device, "Desktop: 2", "Laptop: 1", "Mobile: 1"),
		by(query.Screen, "Desktop: 2", "Laptop: 1", "Mobile: 1"),
		by(query.Language, "ja: 2", "de: 1", "en: 1"),
		{name: "event:name", q: query.Query{Metrics: m(query.Events), Dimensions: dims(query.EventName)},
			want: []string{"pageview: 4", "Signup: 1"}},
		{name: "two dimensions", q: query.Query{Metrics: pv, Dimensions: dims(query.Country, query.EventPage)},
			want: []string{"DE|/Search: 1", "JP|/: 1", "JP|/blog: 1", "US|/blog: 1"}},
		{name: "dimension and time", q: query.Query{Metrics: pv, Dimensions: dims(query.TimeHour, query.Country)},
			want: []string{"2024-05-06 10:00:00|JP: 2", "2024-05-06 11:00:00|US: 1", "2024-05-06 12:00:00|DE: 1"}},
	}
	runCases(t, s, fixtureQuery, cases)
}
