package storetest

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// queryGen draws random valid Stats API queries over a set of rows, with
// filter values taken from the rows (whole, as substrings, re-cased) or
// made up.
type queryGen struct {
	r      *rand.Rand
	sites  []string
	values map[query.Dimension][]string
	locs   []*time.Location
}

func newQueryGen(r *rand.Rand, rows []event.Row) *queryGen {
	g := &queryGen{r: r, values: map[query.Dimension][]string{}}
	seen := map[string]bool{}
	perSite := map[string]int{}
	for i := range rows {
		if perSite[rows[i].Site]++; perSite[rows[i].Site] == 1 {
			g.sites = append(g.sites, rows[i].Site)
		}
		for _, d := range filterable() {
			if v := memstore.Value(d, &rows[i]); !seen[string(d)+"\x00"+v] {
				seen[string(d)+"\x00"+v] = true
				g.values[d] = append(g.values[d], v)
			}
		}
	}
	for _, goal := range diffGoals {
		g.values[query.EventGoal] = append(g.values[query.EventGoal], goal.Name)
	}
	// The site with the most rows first.
	slices.SortStableFunc(g.sites, func(a, b string) int { return perSite[b] - perSite[a] })
	for _, name := range []string{"UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err == nil {
			g.locs = append(g.locs, loc)
		}
	}
	return g
}

// propDims are the custom properties the generator keeps (propRows).
var propDims = []query.Dimension{query.PropDimension("url"), query.PropDimension("plan")}

// usesProp reports whether q breaks down or filters by a property.
func usesProp(q *query.Query) bool {
	used := slices.ContainsFunc(q.Dimensions, query.Dimension.IsProp)
	for _, f := range q.Filters {
		used = used || filterUses(&f, query.Dimension.IsProp)
	}
	return used
}

func filterUses(f *query.Filter, pred func(query.Dimension) bool) bool {
	if f.IsLeaf() {
		return pred(f.Dimension)
	}
	return slices.ContainsFunc(f.Clauses, func(c query.Filter) bool { return filterUses(&c, pred) })
}

// filterable lists the dimensions a filter may use.
func filterable() []query.Dimension {
	return append(slices.DeleteFunc(slices.Clone(query.AllDimensions), func(d query.Dimension) bool {
		return d.IsTime() || d == query.ExitPage
	}), propDims...)
}

// query draws queries until one validates (some metric and dimension
// combinations are rejected by design).
func (g *queryGen) query() (query.Query, *time.Location) {
	for {
		site := g.sites[0] // the large site, most of the time
		if g.r.IntN(3) == 0 {
			site = g.sites[g.r.IntN(len(g.sites))]
		}
		q := query.Query{
			SiteID:     site,
			Metrics:    g.metrics(),
			DateRange:  g.dateRange(),
			Dimensions: g.dimensions(),
			Goals:      diffGoals,
		}
		for range max(0, g.r.IntN(4)-1) {
			q.Filters = append(q.Filters, g.filter(0))
		}
		if usesProp(&q) {
			// Properties count visitors and events only.
			q.Metrics = [][]query.Metric{{query.Visitors}, {query.Events}, {query.Events, query.Visitors}}[g.r.IntN(3)]
		}
		q.OrderBy = g.orderBy(q)
		if g.r.IntN(3) == 0 {
			q.Pagination = &query.Pagination{Limit: 1 + g.r.IntN(15), Offset: g.r.IntN(8)}
		}
		q.Include.TotalRows = g.r.IntN(2) == 0
		if len(q.Filters) == 0 && g.r.IntN(3) == 0 {
			// A publisher's query, where its dimensions allow one.
			q.Public = true
			if q.Validate() != nil {
				q.Public = false
			}
		}
		// Build checks what Validate cannot: goal names against the goals.
		if _, err := query.Build(clone(q), diffNow, time.UTC, time.Time{}); err == nil {
			return q, g.locs[g.r.IntN(len(g.locs))]
		}
	}
}

// clone copies what Build rewrites (the time dimension), so a draw is
// checked without changing it.
func clone(q query.Query) *query.Query {
	q.Dimensions = slices.Clone(q.Dimensions)
	q.OrderBy = slices.Clone(q.OrderBy)
	return &q
}

// diffGoals are the goals of the differential test's sites: event goals,
// exact and wildcard page goals, alternatives, and one nothing completes.
var diffGoals = []query.Goal{
	{Name: "Signup", EventName: "Signup"},
	{Name: "File Download", EventName: "File Download"},
	{Name: "Visit /blog*", PagePath: "/blog*"},
	{Name: "Visit /docs/*", PagePath: "/docs/*"},
	{Name: "Pricing page", PagePath: "/pricing"},
	{Name: "Visit /about|/search", PagePath: "/about|/search"},
	{Name: "Visit /nowhere", PagePath: "/nowhere"},
	{Name: "Purchase", EventName: "Purchase"},
	// The generator's odd path endings: "%", "_" and "\\" are literal.
	{Name: "Free", PagePath: "*/100%"},
	{Name: "A_B", PagePath: "/*a_b"},
	{Name: "Backslash", PagePath: "*back\\slash"},
}

func (g *queryGen) metrics() []query.Metric {
	ms := slices.Clone(query.AllMetrics)
	g.r.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	return ms[:1+g.r.IntN(3)]
}

func (g *queryGen) dimensions() []query.Dimension {
	ds := append(append(slices.Clone(query.AllDimensions), query.Time), propDims...)
	g.r.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
	return ds[:g.r.IntN(3)]
}

func (g *queryGen) dateRange() query.DateRange {
	switch g.r.IntN(4) {
	case 0:
		presets := []string{query.RangeAll, query.Range7d, query.Range30d, query.RangeMonth, query.Range12mo}
		return query.DateRange{Preset: presets[g.r.IntN(len(presets))]}
	case 1:
		from := diffStart.Add(time.Duration(g.r.IntN(21*24*60)) * time.Minute)
		to := from.Add(time.Duration(g.r.IntN(5*24*60)) * time.Minute)
		return query.DateRange{From: from.Format(time.RFC3339), To: to.Format(time.RFC3339)}
	}
	from := diffStart.AddDate(0, 0, g.r.IntN(24)-2)
	to := from.AddDate(0, 0, g.r.IntN(10))
	return query.DateRange{From: from.Format("2006-01-02"), To: to.Format("2006-01-02")}
}

func (g *queryGen) filter(depth int) query.Filter {
	if depth < 2 && g.r.IntN(4) == 0 {
		ops := []query.Op{query.OpAnd, query.OpOr, query.OpNot}
		f := query.Filter{Op: ops[g.r.IntN(len(ops))]}
		n := 1 + g.r.IntN(3)
		if f.Op == query.OpNot {
			n = 1
		}
		for range n {
			f.Clauses = append(f.Clauses, g.filter(depth+1))
		}
		return f
	}
	ops := []query.Op{query.OpIs, query.OpIsNot, query.OpContains, query.OpContainsNot, query.OpMatches, query.OpMatchesNot}
	ds := filterable()
	f := query.Filter{Op: ops[g.r.IntN(len(ops))], Dimension: ds[g.r.IntN(len(ds))], CaseInsensitive: g.r.IntN(3) == 0}
	if f.Op == query.OpMatches || f.Op == query.OpMatchesNot {
		f.CaseInsensitive = false
		for range 1 + g.r.IntN(2) {
			f.Values = append(f.Values, g.pattern(f.Dimension))
		}
		return f
	}
	for range 1 + g.r.IntN(3) {
		f.Values = append(f.Values, g.value(f.Dimension))
	}
	return f
}

// pattern draws a matches pattern: anchored pieces of stored values, or
// shapes whose answer depends on how an engine reads characters (".{3}"
// on "Größe", classes, alternation, word boundaries).
func (g *queryGen) pattern(d query.Dimension) string {
	v := g.value(d)
	switch g.r.IntN(5) {
	case 0:
		return "^" + regexp.QuoteMeta(v)
	case 1:
		return regexp.QuoteMeta(v) + "$"
	case 2:
		return regexp.QuoteMeta(v)
	}
	shapes := []string{
		"^.$", "^.{2}$", "^.{3,5}$", "^/.{1,6}$", "[^a-z/]", `\d+`, `^[A-Z][a-z]+$`, "^(J|U)", "a|é|日",
		`\bS`, `\s`, "^$", "[[:upper:]]{2}", "(?m)^x", `^/blog/.*`, "ß", "^[^/]*$", `\.`, "(?U)a+",
	}
	return shapes[g.r.IntN(len(shapes))]
}

// value draws a filter value: a stored one, a piece of one, re-cased, or
// one that matches nothing.
func (g *queryGen) value(d query.Dimension) string {
	vs := g.values[d]
	v := vs[g.r.IntN(len(vs))]
	if d == query.EventGoal && g.r.IntN(2) == 0 {
		return v // a configured name: "is" refuses others
	}
	switch g.r.IntN(6) {
	case 0:
		if len(v) > 1 {
			i := g.r.IntN(len(v))
			v = strings.ToValidUTF8(v[i:i+1+g.r.IntN(len(v)-i)], "")
		}
	case 1:
		v = strings.ToUpper(v)
	case 2:
		return []string{"", "%", "_", "zz-none", "'", "É"}[g.r.IntN(6)]
	}
	return v
}

func (g *queryGen) orderBy(q query.Query) []query.Order {
	var by []string
	for _, m := range q.Metrics {
		by = append(by, string(m))
	}
	for _, d := range q.Dimensions {
		by = append(by, string(d))
	}
	var out []query.Order
	for range g.r.IntN(3) {
		out = append(out, query.Order{By: by[g.r.IntN(len(by))], Desc: g.r.IntN(2) == 0})
	}
	return out
}
