package memstore

import (
	"cmp"
	"slices"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// havingPositive keeps the groups whose listed sums are all positive.
// It also drops the groups without a page view or an event (Presence).
func havingPositive(p *query.Plan, groups []query.Group) []query.Group {
	return slices.DeleteFunc(groups, func(g query.Group) bool {
		if slices.ContainsFunc(p.HavingPositive, func(i int) bool { return g.Sums[i] <= 0 }) {
			return true
		}
		if len(p.Presence) == 0 {
			return false
		}
		var present int64
		for _, i := range p.Presence {
			present += g.Sums[i]
		}
		return present <= 0
	})
}

// sortGroups orders groups by the plan's keys: a metric by its formula
// before rounding (a count by its sum; a ratio by Σnum × scale / Σden, 0
// when Σden is 0), a dimension by its value's bytes (time buckets format
// in chronological order).
func sortGroups(p *query.Plan, groups []query.Group) {
	slices.SortStableFunc(groups, func(a, b query.Group) int {
		for _, o := range p.Order {
			var c int
			if o.Metric >= 0 {
				f := p.Formulas[o.Metric]
				c = cmp.Compare(MetricKey(f, a.Sums), MetricKey(f, b.Sums))
			} else {
				c = cmp.Compare(a.Dimensions[o.Dimension], b.Dimensions[o.Dimension])
			}
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// MetricKey is the value a store sorts a group by for formula f: the sum
// of a count, or Σnum × scale / Σden in floating point for a ratio (0 when
// Σden is 0), computed in the same order as the SQL stores compute it.
func MetricKey(f query.Formula, sums []int64) float64 {
	var num, den int64
	for _, i := range f.Num {
		num += sums[i]
	}
	if len(f.Den) == 0 {
		return float64(f.Count(sums))
	}
	for _, i := range f.Den {
		den += sums[i]
	}
	if den == 0 {
		return 0
	}
	return float64(num) * f.Scale / float64(den)
}

// paginate returns the plan's page; a Limit of 0 means no limit.
func paginate(p *query.Plan, groups []query.Group) []query.Group {
	if p.Offset >= len(groups) {
		return []query.Group{}
	}
	groups = groups[p.Offset:]
	if p.Limit > 0 && p.Limit < len(groups) {
		groups = groups[:p.Limit]
	}
	return groups
}
