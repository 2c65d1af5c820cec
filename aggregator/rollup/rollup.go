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
	"strconv"
	"strings"
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
	// only, when set, restricts the dimension to some rows (GoalViews,
	// GoalEvents, Props), and where says the same of an event row in SQL.
	only  func(*event.Row) bool
	where string
	// parts, when set, are the event columns whose values the value joins
	// (JoinValue); column is "" then.
	parts []string
}

// table lists the rollup dimensions; a Dim is its index. Never reorder or
// remove an entry: stored rows carry the numbers. Event pages and exit
// pages share the path.
var table = []dimInfo{
	Totals: {value: func(*event.Row) string { return "" }},
	1:      {dims: []query.Dimension{query.EventName}, column: "name", value: func(r *event.Row) string { return r.Name }},
	2:      {dims: []query.Dimension{query.EventPage, query.ExitPage}, column: "path", value: func(r *event.Row) string { return r.Path }},
	3:      {dims: []query.Dimension{query.EntryPage}, column: "entry_path", value: func(r *event.Row) string { return r.EntryPath }},
	4:      {dims: []query.Dimension{query.EventHostname}, column: "hostname", value: func(r *event.Row) string { return r.Hostname }},
	5:      {dims: []query.Dimension{query.Source}, column: "referrer_source", value: func(r *event.Row) string { return r.ReferrerSource }},
	6:      {dims: []query.Dimension{query.Referrer}, column: "referrer_host", value: func(r *event.Row) string { return r.ReferrerHost }},
	7:      {dims: []query.Dimension{query.UTMSource}, column: "utm_source", value: func(r *event.Row) string { return r.UTMSource }},
	8:      {dims: []query.Dimension{query.UTMMedium}, column: "utm_medium", value: func(r *event.Row) string { return r.UTMMedium }},
	9:      {dims: []query.Dimension{query.UTMCampaign}, column: "utm_campaign", value: func(r *event.Row) string { return r.UTMCampaign }},
	10:     {dims: []query.Dimension{query.UTMContent}, column: "utm_content", value: func(r *event.Row) string { return r.UTMContent }},
	11:     {dims: []query.Dimension{query.UTMTerm}, column: "utm_term", value: func(r *event.Row) string { return r.UTMTerm }},
	12:     {dims: []query.Dimension{query.Country}, column: "country", value: func(r *event.Row) string { return r.Country }},
	13:     {dims: []query.Dimension{query.Region}, column: "region", value: func(r *event.Row) string { return r.Region }},
	14:     {dims: []query.Dimension{query.City}, column: "city", value: func(r *event.Row) string { return r.City }},
	15:     {dims: []query.Dimension{query.Browser}, column: "browser", value: func(r *event.Row) string { return r.Browser }},
	16:     {dims: []query.Dimension{query.BrowserVersion}, column: "browser_version", value: func(r *event.Row) string { return r.BrowserVersion }},
	17:     {dims: []query.Dimension{query.OS}, column: "os", value: func(r *event.Row) string { return r.OS }},
	18:     {dims: []query.Dimension{query.OSVersion}, column: "os_version", value: func(r *event.Row) string { return r.OSVersion }},
	19:     {dims: []query.Dimension{query.Device}, column: "device", value: func(r *event.Row) string { return r.Device }},
	20:     {dims: []query.Dimension{query.Screen}, column: "screen", value: func(r *event.Row) string { return r.Screen }},
	21:     {dims: []query.Dimension{query.Language}, column: "language", value: func(r *event.Row) string { return r.Language }},
	22:     {dims: []query.Dimension{query.Channel}, column: "channel", value: func(r *event.Row) string { return r.Channel }},
	GoalViews: {column: "path", value: func(r *event.Row) string { return r.Path },
		only: func(r *event.Row) bool { return r.Kind == event.KindPageview }, where: "kind = " + strconv.Itoa(int(event.KindPageview))},
	GoalEvents: {column: "name", value: func(r *event.Row) string { return r.Name },
		only: func(r *event.Row) bool { return r.Kind == event.KindEvent }, where: "kind = " + strconv.Itoa(int(event.KindEvent))},
	Props: {value: func(r *event.Row) string { return JoinValue(r.Name, r.PropKey, r.PropValue) }, parts: PropParts,
		only: func(r *event.Row) bool { return r.PropKey != "" }, where: "prop_key <> ''"},
}

// GoalViews and GoalEvents are what a goal reads (query.Goal.Matcher):
// the page views by path and the custom event rows by name. They answer no
// breakdown of their own; a goal plan reads them together (EligibleGoals,
// sqlgen.Source.Goals). The property rows of page views (kind event,
// name "pageview") sit in GoalEvents without their path: they carry only
// the property counters, which EligibleGoals refuses.
const (
	GoalViews  Dim = 23
	GoalEvents Dim = 24
)

// Props holds the property rows (event.Row.PropKey set) by event name,
// property key and value, joined into one value (JoinValue, PropParts):
// it answers a breakdown by a property, alone or with a filter on the
// event name or on the same property (Eligible).
const Props Dim = 25

// PropParts are the event columns Props joins, in order.
var PropParts = []string{"name", "prop_key", "prop_value"}

// Includes reports whether rollup dimension id sums row r.
func Includes(id Dim, r *event.Row) bool { return table[id].only == nil || table[id].only(r) }

// Where returns the SQL condition on an event row that id sums it, "" for
// every row: fixed text on event columns.
func Where(id Dim) string { return table[id].where }

// Parts returns the event columns whose values id's value joins, nil for
// a dimension of one column.
func Parts(id Dim) []string { return table[id].parts }

// Value separators: JoinValue joins the parts with partSep and escapes
// both characters inside a part (escape+'0' for escape, escape+'1' for
// partSep), so that a part holding either still splits back exactly.
// Stores spell the same in SQL (sqlgen.Dialect JoinParts, Part).
const (
	partSep    = "\x1f"
	partEscape = "\x1e"
)

var escaper = strings.NewReplacer(partEscape, partEscape+"0", partSep, partEscape+"1")

// JoinValue is the value of a dimension of several columns.
func JoinValue(parts ...string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(partSep)
		}
		escaper.WriteString(&b, p) //nolint:errcheck // a strings.Builder does not fail
	}
	return b.String()
}

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
const numDims = 26

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
			if info.only != nil && !info.only(r) {
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
