package sqlgen

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Columns names the columns of the events table in table order; every
// dialect's schema declares them in this order, and Values lists a row's
// values in the same order (for appenders and explicit INSERT column lists).
var Columns = []string{
	"site", "ts", "kind", "name",
	"hostname", "path", "entry_path",
	"referrer_source", "referrer_host",
	"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
	"search_term",
	"country", "region", "city",
	"browser", "browser_version", "os", "os_version", "device", "screen", "language",
	"pageviews", "events", "visitors", "page_visitors", "source_visitors",
	"event_visitors", "entry_visitors", "visits", "bounces", "duration",
	"exits", "time_on_page", "timed_views",
}

// Values appends r's values to dst in the order of Columns: strings,
// ts as a UTC time.Time, kind as uint8 and the counters as int32.
func Values(dst []any, r *event.Row) []any {
	c := &r.Counters
	return append(dst,
		r.Site, r.TS.UTC(), uint8(r.Kind), r.Name,
		r.Hostname, r.Path, r.EntryPath,
		r.ReferrerSource, r.ReferrerHost,
		r.UTMSource, r.UTMMedium, r.UTMCampaign, r.UTMContent, r.UTMTerm,
		r.SearchTerm,
		r.Country, r.Region, r.City,
		r.Browser, r.BrowserVersion, r.OS, r.OSVersion, r.Device, r.Screen, r.Language,
		c.Pageviews, c.Events, c.Visitors, c.PageVisitors, c.SourceVisitors,
		c.EventVisitors, c.EntryVisitors, c.Visits, c.Bounces, c.Duration,
		c.Exits, c.TimeOnPage, c.TimedViews,
	)
}

// dimensionColumns maps each non-time dimension to the column holding it.
// The exit page is the page of the row whose exits counter stays positive.
var dimensionColumns = map[query.Dimension]string{
	query.EventPage:      "path",
	query.EventName:      "name",
	query.EventHostname:  "hostname",
	query.SearchTerm:     "search_term",
	query.EntryPage:      "entry_path",
	query.ExitPage:       "path",
	query.Source:         "referrer_source",
	query.Referrer:       "referrer_host",
	query.UTMSource:      "utm_source",
	query.UTMMedium:      "utm_medium",
	query.UTMCampaign:    "utm_campaign",
	query.UTMContent:     "utm_content",
	query.UTMTerm:        "utm_term",
	query.Country:        "country",
	query.Region:         "region",
	query.City:           "city",
	query.Browser:        "browser",
	query.BrowserVersion: "browser_version",
	query.OS:             "os",
	query.OSVersion:      "os_version",
	query.Device:         "device",
	query.Screen:         "screen",
	query.Language:       "language",
}

// DimensionColumn returns the column of a non-time dimension; ok is false
// for time buckets and unknown dimensions.
func DimensionColumn(d query.Dimension) (column string, ok bool) {
	column, ok = dimensionColumns[d]
	return column, ok
}

// counterColumns maps each counter to its column.
var counterColumns = map[query.Counter]string{
	query.CounterPageviews:      "pageviews",
	query.CounterEvents:         "events",
	query.CounterVisitors:       "visitors",
	query.CounterPageVisitors:   "page_visitors",
	query.CounterSourceVisitors: "source_visitors",
	query.CounterEventVisitors:  "event_visitors",
	query.CounterEntryVisitors:  "entry_visitors",
	query.CounterVisits:         "visits",
	query.CounterBounces:        "bounces",
	query.CounterDuration:       "duration",
	query.CounterExits:          "exits",
	query.CounterTimeOnPage:     "time_on_page",
	query.CounterTimedViews:     "timed_views",
}

// CounterColumn returns the column of a counter; ok is false for an
// unknown counter.
func CounterColumn(c query.Counter) (column string, ok bool) {
	column, ok = counterColumns[c]
	return column, ok
}
