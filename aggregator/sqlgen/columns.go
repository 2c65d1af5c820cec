package sqlgen

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Columns names the columns of the events table: the site, the minute and
// the kind (the table's sort key), the other string columns and the
// counters, all as event lists them. Values lists a row's values in the
// same order, for appenders and INSERTs, which always name their columns:
// a migration adds a column at the end of the table, so the table's own
// order can differ.
var Columns = func() []string {
	out := []string{event.StringColumns[0], "ts", "kind"}
	out = append(out, event.StringColumns[1:]...)
	return append(out, event.CounterColumns[:]...)
}()

// Values appends r's values to dst in the order of Columns: strings,
// ts as a UTC time.Time, kind as uint8 and the counters as int32.
func Values(dst []any, r *event.Row) []any {
	strs := r.Strings()
	dst = append(dst, *strs[0], r.TS.UTC(), uint8(r.Kind))
	for _, s := range strs[1:] {
		dst = append(dst, *s)
	}
	for _, c := range r.Counters.Fields() {
		dst = append(dst, *c)
	}
	return dst
}

// dimensionColumns maps each non-time dimension to the column holding it.
// The exit page is the page of the row whose exits counter stays positive.
var dimensionColumns = map[query.Dimension]string{
	query.EventPage:     "path",
	query.EventName:     "name",
	query.EventHostname: "hostname",
	query.SearchTerm:    "search_term",
	query.EntryPage:     "entry_path",
	query.ExitPage:      "path",
	query.Source:        "referrer_source",
	query.Referrer:      "referrer_host",
	query.UTMSource:     "utm_source",
	query.UTMMedium:     "utm_medium",
	query.UTMCampaign:   "utm_campaign",
	query.UTMContent:    "utm_content",
	query.UTMTerm:       "utm_term",
	query.Channel:       "channel",
	query.Country:       "country",
	query.Region:        "region",
	query.City:          "city",
	query.CityName:      "city",
	// The names are looked up from the codes (see valueExpr).
	query.CountryName:    "country",
	query.RegionName:     "region",
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
	if d.IsProp() {
		// The property rows of the plan's key (Plan.PropKey) hold its value.
		return "prop_value", true
	}
	column, ok = dimensionColumns[d]
	return column, ok
}

// CounterColumn returns the column of a counter; ok is false for an
// unknown counter. query.Counter follows event.CounterColumns' order.
func CounterColumn(c query.Counter) (column string, ok bool) {
	if c < 1 || int(c) > len(event.CounterColumns) {
		return "", false
	}
	return event.CounterColumns[c-1], true
}
