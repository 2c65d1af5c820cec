package opendata

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/site"
)

// Querier runs a plan through a store's query path (aggregator.Store
// implements it). Public reports read nothing else.
type Querier interface {
	Query(ctx context.Context, p *query.Plan) (*query.Result, error)
}

// weekCells are the exact atomic counts of one week.
type weekCells struct {
	// days holds the totals of each day: visitors, visits, page views.
	days [][]int64
	// cells holds each family's values, sorted by key. Tied families
	// include the value-less cell, so that they add up to the totals.
	cells map[string][]disclosure.Cell
	// termDays counts the days each search term was searched on, useDays
	// the days each value of another term-like family was used on.
	termDays map[string]int64
	useDays  map[string]map[string]int64
}

// fetcher reads one site's cells.
type fetcher struct {
	q    Querier
	site *site.Site
}

func (f *fetcher) week(ctx context.Context, w disclosure.Period) (*weekCells, error) {
	days, err := f.days(ctx, w)
	if err != nil {
		return nil, err
	}
	out := &weekCells{days: days, cells: map[string][]disclosure.Cell{}, useDays: map[string]map[string]int64{}}
	total := make([]int64, len(totalsMetrics))
	for _, d := range days {
		for i, v := range d {
			total[i] += v
		}
	}
	empty := !slices.ContainsFunc(total, func(v int64) bool { return v != 0 })
	for i := range families {
		fam := &families[i]
		if empty {
			// No event in the week (before the site was counted, most
			// often: the monthly report reaches back a year): every
			// breakdown is empty, as the queries would return, without
			// asking the store a dozen times for nothing.
			out.setEmpty(fam)
			continue
		}
		if err := f.family(ctx, fam, w, out, total); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// family reads one family's cells of the week into out.
func (f *fetcher) family(ctx context.Context, fam *family, w disclosure.Period, out *weekCells, total []int64) error {
	var err error
	switch {
	case fam.name == searchTerms:
		out.cells[fam.name], out.termDays, err = f.terms(ctx, w, fam, fam.dim, "")
	case fam.perKey:
		out.cells[fam.name], out.useDays[fam.name], err = f.keyTerms(ctx, w, fam)
	case fam.termLike:
		out.cells[fam.name], out.useDays[fam.name], err = f.terms(ctx, w, fam, fam.dim, "")
	default:
		out.cells[fam.name], err = f.breakdown(ctx, fam, w, out.days, total)
	}
	return err
}

// setEmpty gives a family the cells its queries give a week without events.
func (c *weekCells) setEmpty(fam *family) {
	c.cells[fam.name] = nil
	if fam.name == searchTerms || fam.termLike || fam.perKey {
		c.cells[fam.name] = []disclosure.Cell{}
		if fam.name == searchTerms {
			c.termDays = map[string]int64{}
		} else {
			c.useDays[fam.name] = map[string]int64{}
		}
	}
}

// days reads the totals of each day of the period.
func (f *fetcher) days(ctx context.Context, w disclosure.Period) ([][]int64, error) {
	groups, err := f.run(ctx, w, totalsMetrics, []query.Dimension{query.TimeDay})
	if err != nil {
		return nil, err
	}
	out := make([][]int64, int(w.Kind))
	for i := range out {
		out[i] = make([]int64, len(totalsMetrics))
	}
	for _, g := range groups {
		d, err := disclosure.ParseDay(g.Dimensions[0])
		if err != nil || !w.Contains(d) {
			return nil, fmt.Errorf("opendata: unexpected day %q in %s", g.Dimensions[0], w)
		}
		copy(out[d-w.Start], g.Sums)
	}
	return out, nil
}

// breakdown reads a family's values, day by day: each value's counts
// over the week and its visitors on each day (for the people bound,
// disclosure/people.go). The value-less cell of a tied family is the
// total minus the values, which the store leaves out of breakdowns.
func (f *fetcher) breakdown(ctx context.Context, fam *family, w disclosure.Period, days [][]int64, total []int64) ([]disclosure.Cell, error) {
	groups, err := f.run(ctx, w, fam.metrics, []query.Dimension{query.TimeDay, fam.dim})
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	var cells []disclosure.Cell
	for _, g := range groups {
		d, err := disclosure.ParseDay(g.Dimensions[0])
		if err != nil || !w.Contains(d) {
			return nil, fmt.Errorf("opendata: unexpected day %q in %s", g.Dimensions[0], w)
		}
		i, ok := index[g.Dimensions[1]]
		if !ok {
			i = len(cells)
			index[g.Dimensions[1]] = i
			cells = append(cells, disclosure.Cell{Key: g.Dimensions[1], Counts: make([]int64, len(fam.metrics)), Days: make([]int64, w.Kind)})
		}
		c := &cells[i]
		for i, v := range g.Sums {
			c.Counts[i] += v
		}
		c.Days[d-w.Start] += g.Sums[0]
	}
	if rest, ok := restCell(fam, w, cells, days, total); ok {
		cells = append(cells, rest)
	}
	sortCells(cells)
	return cells, nil
}

// restCell is a tied family's value-less cell: the totals minus the
// values, in each measure tied to a total, and day by day for visitors.
func restCell(fam *family, w disclosure.Period, cells []disclosure.Cell, days [][]int64, total []int64) (disclosure.Cell, bool) {
	rest := disclosure.Cell{Key: "", Counts: make([]int64, len(fam.metrics)), Days: make([]int64, w.Kind)}
	for i, t := range fam.tied {
		if t >= 0 {
			rest.Counts[i] = total[t]
		}
	}
	if t := fam.tied[0]; t >= 0 {
		for d := range rest.Days {
			rest.Days[d] = days[d][t]
		}
	}
	for _, c := range cells {
		for i, t := range fam.tied {
			if t >= 0 {
				rest.Counts[i] -= c.Counts[i]
			}
		}
		if fam.tied[0] >= 0 {
			for d, v := range c.Days {
				rest.Days[d] -= v
			}
		}
	}
	if !fam.isTied() || !slices.ContainsFunc(rest.Counts, func(v int64) bool { return v != 0 }) {
		return disclosure.Cell{}, false
	}
	return rest, true
}

// keyTerms reads a per-key family: the terms of each property key the
// site allowlists, named "key=value". A key holding "=" would make the
// name ambiguous and is left out of public reports.
func (f *fetcher) keyTerms(ctx context.Context, w disclosure.Period, fam *family) ([]disclosure.Cell, map[string]int64, error) {
	cells, days := []disclosure.Cell{}, map[string]int64{}
	for _, key := range f.site.PropKeys {
		if key == site.URLProp || strings.Contains(key, "=") {
			continue
		}
		cs, ds, err := f.terms(ctx, w, fam, query.PropDimension(key), key+"=")
		if err != nil {
			return nil, nil, err
		}
		cells = append(cells, cs...)
		maps.Copy(days, ds)
	}
	sortCells(cells)
	return cells, days, nil
}

// terms reads, for a term-like family, the uses of each value of dim
// (searches of a term, downloads of a file), the days it was used on and
// its users on each day (the people bound). prefix goes before each value.
func (f *fetcher) terms(ctx context.Context, w disclosure.Period, fam *family, dim query.Dimension, prefix string) ([]disclosure.Cell, map[string]int64, error) {
	groups, err := f.run(ctx, w, []query.Metric{fam.metrics[0], query.Visitors}, []query.Dimension{dim, query.TimeDay})
	if err != nil {
		return nil, nil, err
	}
	byKey, days := map[string]*disclosure.Cell{}, map[string]int64{}
	var keys []string
	for _, g := range groups {
		d, err := disclosure.ParseDay(g.Dimensions[1])
		if err != nil || !w.Contains(d) {
			return nil, nil, fmt.Errorf("opendata: unexpected day %q in %s", g.Dimensions[1], w)
		}
		if g.Sums[0] <= 0 {
			continue
		}
		c := byKey[prefix+g.Dimensions[0]]
		if c == nil {
			c = &disclosure.Cell{Key: prefix + g.Dimensions[0], Counts: []int64{0}, Days: make([]int64, w.Kind)}
			byKey[c.Key] = c
			keys = append(keys, c.Key)
		}
		c.Counts[0] += g.Sums[0]
		c.Days[d-w.Start] += g.Sums[1]
		days[c.Key]++
	}
	cells := make([]disclosure.Cell, 0, len(keys))
	for _, k := range keys {
		cells = append(cells, *byKey[k])
	}
	sortCells(cells)
	return cells, days, nil
}

// group is one row of a breakdown: dimension values and metric counts.
type group struct {
	Dimensions []string
	Sums       []int64 // parallel to the metrics asked for
}

// run pages through a breakdown of the period, in dimension order.
func (f *fetcher) run(ctx context.Context, w disclosure.Period, metrics []query.Metric, dims []query.Dimension) ([]group, error) {
	from, to := periodRange(w)
	pq := publicQuery(f.site.Domain, metrics, dims, from, to)
	q := &pq
	var out []group
	for {
		plan, err := query.Build(q, w.End().Start(f.site.Location), f.site.Location, time.Time{})
		if err != nil {
			return nil, fmt.Errorf("opendata: plan %s: %w", w, err)
		}
		res, err := f.q.Query(ctx, plan)
		if err != nil {
			return nil, fmt.Errorf("opendata: query %s: %w", w, err)
		}
		for _, g := range res.Groups {
			out = append(out, group{Dimensions: g.Dimensions, Sums: metricCounts(plan, g.Sums)})
		}
		if len(res.Groups) < query.MaxLimit {
			return out, nil
		}
		q.Pagination.Offset += query.MaxLimit
	}
}

// metricCounts turns a group's sums into the plan's metric counts (every
// public metric is a plain sum of counters).
func metricCounts(p *query.Plan, sums []int64) []int64 {
	out := make([]int64, len(p.Formulas))
	for i, f := range p.Formulas {
		for _, j := range f.Num {
			out[i] += sums[j]
		}
	}
	return out
}

func sortCells(cells []disclosure.Cell) {
	slices.SortFunc(cells, func(a, b disclosure.Cell) int { return strings.Compare(a.Key, b.Key) })
}
