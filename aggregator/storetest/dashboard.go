package storetest

import "github.com/shukei-analytics/shukei/aggregator/query"

// DashboardQuery is one query the dashboard sends for a date range. The
// benchmarks of every store run this set, so their figures compare.
type DashboardQuery struct {
	Name      string
	Metrics   []query.Metric
	Dimension query.Dimension // "" for totals
}

var breakdown = []query.Metric{query.Visitors}

// Dashboard is the set of queries behind one dashboard page.
var Dashboard = []DashboardQuery{
	{"totals", []query.Metric{query.Visitors, query.Visits, query.Pageviews, query.ViewsPerVisit, query.BounceRate, query.VisitDuration}, ""},
	{"timeseries", []query.Metric{query.Visitors, query.Pageviews}, query.TimeDay},
	{"pages", []query.Metric{query.Visitors, query.Pageviews, query.TimeOnPage}, query.EventPage},
	{"entry_pages", []query.Metric{query.Visitors, query.Visits}, query.EntryPage},
	{"exit_pages", []query.Metric{query.Visits}, query.ExitPage},
	{"sources", breakdown, query.Source},
	{"referrers", breakdown, query.Referrer},
	{"utm_campaigns", breakdown, query.UTMCampaign},
	{"countries", breakdown, query.Country},
	{"regions", breakdown, query.Region},
	{"browsers", breakdown, query.Browser},
	{"os", breakdown, query.OS},
	{"devices", breakdown, query.Device},
	{"screens", breakdown, query.Screen},
	{"languages", breakdown, query.Language},
	{"event_names", []query.Metric{query.Visitors, query.Events}, query.EventName},
	{"goals", []query.Metric{query.Visitors, query.Events}, query.EventGoal},
	{"props_plan", []query.Metric{query.Visitors, query.Events}, query.PropDimension("plan")},
}

// DashboardGoals are the goals of the Goals panel's query, on
// GenerateRows' event names and paths: two event goals, two wildcard page
// goals.
var DashboardGoals = []query.Goal{
	{Name: "Signup", EventName: "Signup"},
	{Name: "File Download", EventName: "File Download"},
	{Name: "Visit /blog/*", PagePath: "/blog/*"},
	{Name: "Visit /docs/*", PagePath: "/docs/*"},
}

// Query is the dashboard's query for a site and a date range preset: the
// time series by hour for a day, by day otherwise; breakdowns limited to
// their top 10.
func (d DashboardQuery) Query(site, preset string) query.Query {
	q := query.Query{SiteID: site, Metrics: d.Metrics, DateRange: query.DateRange{Preset: preset}}
	if d.Dimension == "" {
		return q
	}
	q.Dimensions = []query.Dimension{d.Dimension}
	if d.Dimension == query.EventGoal {
		q.Goals = DashboardGoals
	}
	if d.Dimension == query.TimeDay && preset == query.RangeDay {
		q.Dimensions = []query.Dimension{query.TimeHour}
	}
	if !d.Dimension.IsTime() {
		q.Pagination = &query.Pagination{Limit: 10}
	}
	return q
}
