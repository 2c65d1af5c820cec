package event

// The row's columns are listed here once. The write-ahead log's codec, the
// merge of rows that agree on every dimension, the stores' schemas, SQL
// and appenders, and the test suites all range over these lists, so a new
// column is added here (and to the schema migrations), not in each of
// them. A test checks that every field of Row and Counters is listed.

// NumStrings is the number of string columns of a Row.
const NumStrings = 26

// StringColumns names the row's string columns as stored, in the order
// Strings returns them. The events table starts with the site, the minute
// and the kind (its sort key), then the other string columns in this
// order, then the counters.
var StringColumns = [NumStrings]string{
	"site", "name", "hostname", "path", "entry_path",
	"referrer_source", "referrer_host",
	"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
	"search_term",
	"country", "region", "city",
	"browser", "browser_version", "os", "os_version", "device", "screen", "language",
	"channel", "prop_key", "prop_value",
}

// Strings returns the row's string fields in StringColumns order. It is
// an array of pointers so that ranging over it neither allocates nor
// copies the strings, and a decoder can fill the fields through it.
func (r *Row) Strings() [NumStrings]*string {
	return [...]*string{
		&r.Site, &r.Name, &r.Hostname, &r.Path, &r.EntryPath,
		&r.ReferrerSource, &r.ReferrerHost,
		&r.UTMSource, &r.UTMMedium, &r.UTMCampaign, &r.UTMContent, &r.UTMTerm,
		&r.SearchTerm,
		&r.Country, &r.Region, &r.City,
		&r.Browser, &r.BrowserVersion, &r.OS, &r.OSVersion, &r.Device, &r.Screen, &r.Language,
		&r.Channel, &r.PropKey, &r.PropValue,
	}
}

// StringIndex returns the position of a string column in StringColumns,
// or -1 for a name that is not one.
func StringIndex(column string) int {
	for i, c := range StringColumns {
		if c == column {
			return i
		}
	}
	return -1
}

// NumCounters is the number of counters of a row.
const NumCounters = 18

// CounterColumns names the counters as stored, in the order Fields returns
// them (and the order of query.Counter).
var CounterColumns = [NumCounters]string{
	"pageviews", "events", "visitors", "page_visitors", "source_visitors",
	"event_visitors", "entry_visitors", "visits", "bounces", "duration",
	"exits", "time_on_page", "timed_views",
	"public_page_visitors", "public_source_visitors",
	"prop_events", "prop_visitors",
	"public_search_visitors",
}

// Fields returns the counters in CounterColumns order.
func (c *Counters) Fields() [NumCounters]*int32 {
	return [...]*int32{
		&c.Pageviews, &c.Events, &c.Visitors, &c.PageVisitors, &c.SourceVisitors,
		&c.EventVisitors, &c.EntryVisitors, &c.Visits, &c.Bounces, &c.Duration,
		&c.Exits, &c.TimeOnPage, &c.TimedViews,
		&c.PublicPageVisitors, &c.PublicSourceVisitors,
		&c.PropEvents, &c.PropVisitors,
		&c.PublicSearchVisitors,
	}
}

// Add adds d's counters to c, saturating instead of wrapping: a row that
// merges very many long visits keeps the largest count its column holds.
func (c *Counters) Add(d *Counters) {
	dst, src := c.Fields(), d.Fields()
	for i, p := range dst {
		*p = saturatingAdd(*p, *src[i])
	}
}

func saturatingAdd(a, b int32) int32 {
	s := int64(a) + int64(b)
	switch {
	case s > 1<<31-1:
		return 1<<31 - 1
	case s < -1<<31:
		return -1 << 31
	}
	return int32(s)
}
