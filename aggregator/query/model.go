// Package query is the Stats API's query model as plain data: metrics,
// dimensions, filters, a date range, ordering and pagination. It is shared by
// the Stats API (which decodes and validates it), the stores (which compile a
// validated Plan to SQL with bound arguments only) and the dashboard.
//
// The wire shape follows Plausible's POST /api/v2/query so existing clients
// work unchanged; docs/api.md states the exact semantics of every metric.
package query

// Metric names a number the API can compute.
type Metric string

// The metrics of the Stats API.
const (
	Visitors      Metric = "visitors"
	Visits        Metric = "visits"
	Pageviews     Metric = "pageviews"
	ViewsPerVisit Metric = "views_per_visit"
	BounceRate    Metric = "bounce_rate"
	VisitDuration Metric = "visit_duration"
	Events        Metric = "events"
	TimeOnPage    Metric = "time_on_page"
	// Percentage is a group's visitors as a percentage of all visitors of
	// the query (the same filters, no dimensions).
	Percentage Metric = "percentage"
	// ConversionRate is a group's visitors who completed the goal as a
	// percentage of all visitors without the goal filters and dimensions.
	ConversionRate Metric = "conversion_rate"
	// GroupConversionRate is the same percentage within the group: over
	// the group's visitors without the goal filters.
	GroupConversionRate Metric = "group_conversion_rate"
)

// AllMetrics lists every metric in documentation order.
var AllMetrics = []Metric{Visitors, Visits, Pageviews, ViewsPerVisit, BounceRate, VisitDuration, Events, TimeOnPage,
	Percentage, ConversionRate, GroupConversionRate}

// Dimension names a property rows can be grouped or filtered by.
type Dimension string

// The dimensions of the Stats API.
const (
	// EventGoal is a site's configured goal, by its display name.
	EventGoal      Dimension = "event:goal"
	EventPage      Dimension = "event:page"
	EventName      Dimension = "event:name"
	EventHostname  Dimension = "event:hostname"
	SearchTerm     Dimension = "event:search_term"
	EntryPage      Dimension = "visit:entry_page"
	ExitPage       Dimension = "visit:exit_page"
	Source         Dimension = "visit:source"
	Referrer       Dimension = "visit:referrer"
	UTMSource      Dimension = "visit:utm_source"
	UTMMedium      Dimension = "visit:utm_medium"
	UTMCampaign    Dimension = "visit:utm_campaign"
	UTMContent     Dimension = "visit:utm_content"
	UTMTerm        Dimension = "visit:utm_term"
	Channel        Dimension = "visit:channel"
	Country        Dimension = "visit:country"
	Region         Dimension = "visit:region"
	City           Dimension = "visit:city"
	CountryName    Dimension = "visit:country_name"
	RegionName     Dimension = "visit:region_name"
	CityName       Dimension = "visit:city_name"
	Browser        Dimension = "visit:browser"
	BrowserVersion Dimension = "visit:browser_version"
	OS             Dimension = "visit:os"
	OSVersion      Dimension = "visit:os_version"
	Device         Dimension = "visit:device"
	Screen         Dimension = "visit:screen"
	Language       Dimension = "visit:language"
	TimeHour       Dimension = "time:hour"
	TimeDay        Dimension = "time:day"
	TimeWeek       Dimension = "time:week"
	TimeMonth      Dimension = "time:month"
	// Time is the time bucket that suits the date range (hour, day, week
	// or month, as Plausible picks it); Build replaces it with that one.
	Time            Dimension = "time"
	searchTermAlias Dimension = "search_term"
)

// scope says how a dimension relates to visitors and sessions, which decides
// which counter backs each metric (DESIGN §3, docs/metrics.md).
type scope uint8

const (
	scopeVisitor scope = iota + 1 // constant for a visitor within a day
	scopeSession                  // constant within a session (acquisition, entry page)
	scopeEntry                    // the session's entry page
	scopePage                     // the page a row is about
	scopeSearch                   // the site-search term of a page view
	scopeName                     // the event name
	scopeExit                     // the session's exit page: a dimension only
	scopeTime                     // a time bucket
	scopeProp                     // a custom property of an event (event:props:<key>)
	scopeGoal                     // a configured goal (an event name or viewed pages)
)

// dimensionInfo is everything the model knows about a dimension.
type dimensionInfo struct {
	scope scope
	// filterable is false where rows cannot be selected by the value: the
	// exit page of a session is only known when the session ends.
	filterable bool
}

var dimensions = map[Dimension]dimensionInfo{
	EventPage:      {scopePage, true},
	EventGoal:      {scopeGoal, true},
	EventName:      {scopeName, true},
	EventHostname:  {scopeSession, true},
	SearchTerm:     {scopeSearch, true},
	EntryPage:      {scopeEntry, true},
	ExitPage:       {scopeExit, false},
	Source:         {scopeSession, true},
	Referrer:       {scopeSession, true},
	UTMSource:      {scopeSession, true},
	UTMMedium:      {scopeSession, true},
	UTMCampaign:    {scopeSession, true},
	UTMContent:     {scopeSession, true},
	UTMTerm:        {scopeSession, true},
	Channel:        {scopeSession, true},
	Country:        {scopeVisitor, true},
	Region:         {scopeVisitor, true},
	City:           {scopeVisitor, true},
	CountryName:    {scopeVisitor, true},
	RegionName:     {scopeVisitor, true},
	CityName:       {scopeVisitor, true},
	Browser:        {scopeVisitor, true},
	BrowserVersion: {scopeVisitor, true},
	OS:             {scopeVisitor, true},
	OSVersion:      {scopeVisitor, true},
	Device:         {scopeVisitor, true},
	Screen:         {scopeVisitor, true},
	Language:       {scopeVisitor, true},
	TimeHour:       {scopeTime, false},
	TimeDay:        {scopeTime, false},
	TimeWeek:       {scopeTime, false},
	TimeMonth:      {scopeTime, false},
	Time:           {scopeTime, false},
}

// AllDimensions lists every dimension in documentation order.
var AllDimensions = []Dimension{
	EventGoal, EventPage, EventName, EventHostname, SearchTerm, EntryPage, ExitPage,
	Source, Referrer, UTMSource, UTMMedium, UTMCampaign, UTMContent, UTMTerm, Channel,
	Country, Region, City, CountryName, RegionName, CityName,
	Browser, BrowserVersion, OS, OSVersion, Device, Screen, Language,
	TimeHour, TimeDay, TimeWeek, TimeMonth,
}

// IsTime reports whether d is a time bucket.
func (d Dimension) IsTime() bool { return dimensions[d].scope == scopeTime }

// IsProp reports whether d is a custom property's (event:props:<key>).
func (d Dimension) IsProp() bool {
	_, ok := d.PropKey()
	return ok
}

// BlankLabel is the value a breakdown shows for rows where d is empty, as
// Plausible shows it ("Direct / None" for a visit without a referrer,
// "(not set)" for a missing UTM value or an unrecognised browser). It is
// "" for dimensions whose empty rows a breakdown leaves out (no region, no
// city, no search term). A filter ["is", d, [label]] selects the empty rows.
func (d Dimension) BlankLabel() string { return blankLabels[d] }

// The labels of empty values.
const (
	DirectNone = "Direct / None"
	NotSet     = "(not set)"
)

var blankLabels = map[Dimension]string{
	Source: DirectNone, Referrer: DirectNone,
	UTMSource: NotSet, UTMMedium: NotSet, UTMCampaign: NotSet, UTMContent: NotSet, UTMTerm: NotSet, Channel: NotSet,
	Browser: NotSet, BrowserVersion: NotSet, OS: NotSet, OSVersion: NotSet,
	Device: NotSet, Screen: NotSet, Language: NotSet,
}

// canonical maps accepted aliases to the dimension's canonical name.
func (d Dimension) canonical() Dimension {
	if d == searchTermAlias {
		return SearchTerm
	}
	return d
}
