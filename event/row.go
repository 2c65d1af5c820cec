// Package event holds the identifier-free row that the collector writes and
// the stores keep. It is a leaf package: the collector and the aggregator
// depend on this data type, not on each other.
//
// Privacy by type (DESIGN §1.1): Row has no field that could hold an IP
// address, a User-Agent string, a raw URL or query string, or any visitor or
// session identifier. Every visitor and session fact is already folded into
// the signed counters below when a Row is built.
package event

import "time"

// Kind says what a row records.
type Kind uint8

const (
	// KindPageview is a page view; it carries Pageviews = 1.
	KindPageview Kind = 1
	// KindEvent is a custom event (a goal, an outbound click, a download).
	KindEvent Kind = 2
	// KindCorrection adjusts an earlier row's page: when the next hit of a
	// session arrives, the previous page stops being the exit page and its
	// time on page becomes known. It carries the previous page's dimensions.
	KindCorrection Kind = 3
)

// String names the kind as stored and shown.
func (k Kind) String() string {
	switch k {
	case KindPageview:
		return "pageview"
	case KindEvent:
		return "event"
	case KindCorrection:
		return "correction"
	}
	return "unknown"
}

// Known reports whether k is one of the kinds above.
func (k Kind) Known() bool { return k >= KindPageview && k <= KindCorrection }

// PageviewName is the event name of page views (as in Plausible), so that a
// filter on event:name = "pageview" selects page views and their corrections.
const PageviewName = "pageview"

// Row is one identifier-free fact. Every metric of the Stats API is a sum of
// these counters under a filter, grouped by dimensions (DESIGN §3).
type Row struct {
	Site string
	// TS is the minute the hit arrived, in UTC, truncated to the minute
	// (DESIGN §1.6) so rows cannot be joined to access logs by exact time.
	TS   time.Time
	Kind Kind
	// Name is the event name: PageviewName for page views and their
	// corrections, the custom event's name otherwise.
	Name string

	// Page, scrubbed (DESIGN §1.5): no query string, no fragment unless the
	// site uses hash routing, identifier-like path segments replaced.
	Hostname  string
	Path      string
	EntryPath string // first page of the session this row belongs to

	// Acquisition of the session.
	ReferrerSource string // "Google", "Direct / None", a utm_source …
	ReferrerHost   string // host only; never a referrer path or query
	UTMSource      string
	UTMMedium      string
	UTMCampaign    string
	UTMContent     string
	UTMTerm        string
	SearchTerm     string // site-search term of this page, scrubbed
	// Channel is the session's acquisition channel by Plausible's rules
	// ("Organic Search", "Paid Social", "Direct", …), decided from the
	// source, medium, campaign and an ad-click parameter's presence.
	Channel string

	// Location from the truncated IP (or the browser's time zone).
	Country string // ISO 3166-1 alpha-2
	Region  string // ISO 3166-2 subdivision code, e.g. "JP-13"
	City    string // only when city resolution is enabled

	// Client class, never the User-Agent string.
	Browser        string
	BrowserVersion string // major version only
	OS             string
	OSVersion      string // major version only
	Device         string // Desktop, Laptop, Tablet, Mobile
	Screen         string // screen class derived from the viewport width
	Language       string // primary language subtag, e.g. "ja"

	// A property row records one kept custom property of a page view or
	// custom event: a key the site allowlists (or the url of a file
	// download or an outbound link) and its scrubbed, length- and
	// cardinality-capped value ("(none)" when the event did not send it,
	// "(other)" past the day's cap), with the event's other dimensions.
	// It is a KindEvent row whose only counters are PropEvents and
	// PropVisitors, so it adds nothing to any other metric; a breakdown or
	// filter by event:props:<key> reads these rows alone. PropKey is ""
	// on every other row.
	PropKey   string
	PropValue string

	Counters
}

// Counters are the signed deltas of one row. The meaning of each is in
// DESIGN §3 and docs/metrics.md.
type Counters struct {
	Pageviews      int32 // 1 on page view rows
	Events         int32 // 1 on custom event rows
	Visitors       int32 // 1 on the first row of a visitor in the day
	PageVisitors   int32 // 1 on the first view of this path by the visitor in the day
	SourceVisitors int32 // 1 on the first visit of the day from this acquisition
	EventVisitors  int32 // 1 on the first occurrence of this event name for the visitor in the day
	EntryVisitors  int32 // 1 on the first visit of the day entering on this path
	Visits         int32 // 1 on the first row of a session
	Bounces        int32 // +1 on a session's first page view, −1 when it stops being a bounce
	Duration       int32 // seconds since the session's previous hit
	Exits          int32 // +1 on each page view, −1 on its correction
	TimeOnPage     int32 // seconds spent on the page, carried by its correction
	TimedViews     int32 // page views whose time on page is known (the denominator of time_on_page)

	// The public counters feed published statistics only (docs/publishing.md).
	// Each visitor-day adds at most 1 to a cell and touches at most
	// MaxPublicPages pages and MaxPublicSources sources, so the sensitivity
	// the noise assumes is the one delivered (DESIGN §1.7).
	PublicPageVisitors   int32 // 1 on the view of a path new to the visitor today, for its first MaxPublicPages paths
	PublicSourceVisitors int32 // 1 on the first visit today from a source name, for its first MaxPublicSources names

	PropEvents   int32 // 1 on each property row
	PropVisitors int32 // 1 on the first (key, value) of the visitor in the day, whatever the event

	// PublicSearchVisitors is 1 on the first search today for this term
	// by the visitor: the per-day searchers of a term, from which the
	// publisher bounds how many people a term's searches came from.
	PublicSearchVisitors int32
}

// Contribution bounds of one visitor-day to the public counters. The
// collector enforces them; the publisher's noise is calibrated to them.
const (
	MaxPublicPages   = 10
	MaxPublicSources = 3
)
