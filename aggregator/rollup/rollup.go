// Package rollup defines the pre-aggregated rows that answer the
// dashboard's single-dimension breakdowns without reading every event row:
// for each site, time bucket, dimension and value, the sums of the
// counters of the event rows that hold that value. A breakdown by one
// dimension (or a total) with no filter on another dimension is the sum of
// those rows, exactly, so a store may answer it from them (Eligible says
// which plans qualify) and falls back to the event rows otherwise.
//
// Stores write rollup rows in the same transaction as the event rows they
// derive from (Derive) and merge them with age like event rows
// (aggregator/ageing): a quarter of an hour in UTC for recent rows, a day
// of the site's zone once the day is over.
package rollup

import (
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Dim identifies a rollup dimension in the dim column. Totals is the
// site's totals: every event row adds to its one row per bucket.
type Dim uint8

// Totals is the dimension of the site's totals (value "").
const Totals Dim = 0

// dimInfo is one rollup dimension: the query dimensions it answers, the
// row field it reads, and which rows it sums.
type dimInfo struct {
	dims []query.Dimension
	// column is the event column holding the value ("" for Totals).
	column string
	value  func(*event.Row) string
	// kind, when set, restricts the dimension to the rows of that kind
	// (GoalViews, GoalEvents); 0 sums every row.
	kind event.Kind
}

// table lists the rollup dimensions; a Dim is its index. Never reorder or
// remove an entry: stored rows carry the numbers. Event pages and exit
// pages share the path.
var table = []dimInfo{
	Totals:     {nil, "", func(*event.Row) string { return "" }, 0},
	1:          {[]query.Dimension{query.EventName}, "name", func(r *event.Row) string { return r.Name }, 0},
	2:          {[]query.Dimension{query.EventPage, query.ExitPage}, "path", func(r *event.Row) string { return r.Path }, 0},
	3:          {[]query.Dimension{query.EntryPage}, "entry_path", func(r *event.Row) string { return r.EntryPath }, 0},
	4:          {[]query.Dimension{query.EventHostname}, "hostname", func(r *event.Row) string { return r.Hostname }, 0},
	5:          {[]query.Dimension{query.Source}, "referrer_source", func(r *event.Row) string { return r.ReferrerSource }, 0},
	6:          {[]query.Dimension{query.Referrer}, "referrer_host", func(r *event.Row) string { return r.ReferrerHost }, 0},
	7:          {[]query.Dimension{query.UTMSource}, "utm_source", func(r *event.Row) string { return r.UTMSource }, 0},
	8:          {[]query.Dimension{query.UTMMedium}, "utm_medium", func(r *event.Row) string { return r.UTMMedium }, 0},
	9:          {[]query.Dimension{query.UTMCampaign}, "utm_campaign", func(r *event.Row) string { return r.UTMCampaign }, 0},
	10:         {[]query.Dimension{query.UTMContent}, "utm_content", func(r *event.Row) string { return r.UTMContent }, 0},
	11:         {[]query.Dimension{query.UTMTerm}, "utm_term", func(r *event.Row) string { return r.UTMTerm }, 0},
	12:         {[]query.Dimension{query.Country}, "country", func(r *event.Row) string { return r.Country }, 0},
	13:         {[]query.Dimension{query.Region}, "region", func(r *event.Row) string { return r.Region }, 0},
	14:         {[]query.Dimension{query.City}, "city", func(r *event.Row) string { return r.City }, 0},
	15:         {[]query.Dimension{query.Browser}, "browser", func(r *event.Row) string { return r.Browser }, 0},
	16:         {[]query.Dimension{query.BrowserVersion}, "browser_version", func(r *event.Row) string { return r.BrowserVersion }, 0},
	17:         {[]query.Dimension{query.OS}, "os", func(r *event.Row) string { return r.OS }, 0},
	18:         {[]query.Dimension{query.OSVersion}, "os_version", func(r *event.Row) string { return r.OSVersion }, 0},
	19:         {[]query.Dimension{query.Device}, "device", func(r *event.Row) string { return r.Device }, 0},
	20:         {[]query.Dimension{query.Screen}, "screen", func(r *event.Row) string { return r.Screen }, 0},
	21:         {[]query.Dimension{query.Language}, "language", func(r *event.Row) string { return r.Language }, 0},
	22:         {[]query.Dimension{query.Channel}, "channel", func(r *event.Row) string { return r.Channel }, 0},
	GoalViews:  {nil, "path", func(r *event.Row) string { return r.Path }, event.KindPageview},
	GoalEvents: {nil, "name", func(r *event.Row) string { return r.Name }, event.KindEvent},
}

// GoalViews and GoalEvents are what a goal reads (query.Goal.Matcher):
// the page views by path and the custom event rows by name. They answer no
// breakdown of their own; a goal plan reads them together (EligibleGoals,
// sqlgen.SelectGoalRollup). The property rows of page views (kind event,
// name "pageview") sit in GoalEvents without their path: they carry only
// the property counters, which EligibleGoals refuses.
const (
	GoalViews  Dim = 23
	GoalEvents Dim = 24
)

// Kind returns the kind of rows id sums, 0 for every row.
func Kind(id Dim) event.Kind { return table[id].kind }

// NumDims is the number of rollup dimensions, Totals included.
const NumDims = numDims

// DimOf returns the rollup dimension answering d.
func DimOf(d query.Dimension) (Dim, bool) {
	for i, info := range table {
		for _, x := range info.dims {
			if x == d {
				return Dim(i), true
			}
		}
	}
	return 0, false
}

// Column returns the event column holding id's values, "" for Totals.
func Column(id Dim) string { return table[id].column }

// ValueOf returns a row's value of rollup dimension id.
func ValueOf(id Dim, r *event.Row) string { return table[id].value(r) }

// Dims lists the query dimensions rollup dimension id answers.
func Dims(id Dim) []query.Dimension { return table[id].dims }

// Quarter is the bucket of rollup rows as written: a quarter of an hour in
// UTC. Every zone's hours start on one, so a rollup row never straddles
// an hour of any site.
const Quarter = 15 * time.Minute

// Counters names the rollup rows' sums in order: the event counters
// (event.CounterColumns), then the page visitors of page view rows only
// (what visitors by page count).
var Counters = append(event.CounterColumns[:], "pageview_page_visitors")

// NumCounters is len(Counters).
const NumCounters = event.NumCounters + 1

// Row is one rollup row: 64-bit sums, since a day of a large site's
// totals outgrows the event rows' 32-bit counters.
type Row struct {
	Site  string
	TS    time.Time
	Dim   Dim
	Value string
	Sums  [NumCounters]int64
}

// bucket is one site's quarter of a batch: the index of each dimension's
// values' rows.
type bucket struct {
	idx [numDims]map[string]int
}

// numDims is NumDims as a constant, for arrays.
const numDims = 25

// Derive returns the rollup rows of a batch of event rows, merged: one
// row per site, quarter, dimension and value.
func Derive(rows []event.Row) []Row {
	type siteQuarter struct {
		site string
		ts   int64
	}
	buckets := map[siteQuarter]*bucket{}
	var out []Row
	for i := range rows {
		r := &rows[i]
		ts := r.TS.UTC().Truncate(Quarter)
		sq := siteQuarter{r.Site, ts.Unix()}
		b := buckets[sq]
		if b == nil {
			b = &bucket{}
			for d := range b.idx {
				b.idx[d] = map[string]int{}
			}
			buckets[sq] = b
		}
		sums := SumsOf(r)
		for d, info := range table {
			if info.kind != 0 && info.kind != r.Kind {
				continue
			}
			v := info.value(r)
			j, ok := b.idx[d][v]
			if !ok {
				j = len(out)
				b.idx[d][v] = j
				out = append(out, Row{Site: r.Site, TS: ts, Dim: Dim(d), Value: v})
			}
			o := &out[j].Sums
			for c, x := range sums {
				o[c] += x
			}
		}
	}
	return out
}

// SumsOf returns a row's counters in Counters order.
func SumsOf(r *event.Row) [NumCounters]int64 {
	var s [NumCounters]int64
	for i, p := range r.Counters.Fields() {
		s[i] = int64(*p)
	}
	if r.Kind == event.KindPageview {
		s[NumCounters-1] = int64(r.PageVisitors)
	}
	return s
}
