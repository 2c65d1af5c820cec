package rollup

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Eligible reports whether rollup rows answer p exactly, and from which
// rollup dimension: p groups by at most one non-time dimension and one
// time dimension, every filter compares that same dimension (or, without
// one, a single dimension), it asks for no custom property's rows, and
// every sum is a counter of all rows or the
// page visitors of page view rows. Whether the rollup rows' buckets fit
// p's range and time buckets is ageing.RollupFits.
func Eligible(p *query.Plan) (Dim, bool) {
	var dim query.Dimension
	times := 0
	for _, d := range p.Dimensions {
		switch {
		case d.IsTime():
			times++
		case dim != "":
			return 0, false
		default:
			dim = d
		}
	}
	// A property's rows and goals' conversions are not in rollup rows (a
	// filter on event:goal names no rollup dimension, below); the rollup
	// queries do not apply a goal cap.
	if times > 1 || p.PropKey != "" || len(p.GroupGoals) > 0 || p.GoalCap != nil {
		return 0, false
	}
	ok := true
	walkLeaves(p.Filter, func(f *query.Filter) {
		switch {
		case dim == "":
			dim = f.Dimension
		case !sameDim(dim, f.Dimension):
			ok = false
		}
	})
	if !ok {
		return 0, false
	}
	for _, s := range p.Sums {
		if s.OnlyKind != 0 && (s.Counter != query.CounterPageVisitors || s.OnlyKind != event.KindPageview) {
			return 0, false
		}
	}
	if dim == "" {
		return Totals, true
	}
	return DimOf(dim)
}

// sameDim reports whether a and b read the same rollup dimension.
func sameDim(a, b query.Dimension) bool {
	x, ok1 := DimOf(a)
	y, ok2 := DimOf(b)
	return ok1 && ok2 && x == y
}

// walkLeaves calls fn on every leaf of a filter tree.
func walkLeaves(f *query.Filter, fn func(*query.Filter)) {
	if f == nil {
		return
	}
	if len(f.Clauses) == 0 {
		fn(f)
		return
	}
	for i := range f.Clauses {
		walkLeaves(&f.Clauses[i], fn)
	}
}
