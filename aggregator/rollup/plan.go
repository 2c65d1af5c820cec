package rollup

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Eligible reports whether rollup rows answer p exactly, and from which
// rollup dimension: p groups by at most one non-time dimension and one
// time dimension, every filter compares that same dimension (or, without
// one, a single dimension), and every sum is a counter of all rows or the
// page visitors of page view rows. A plan of a custom property's rows is
// answered from Props when eligibleProps says so. Whether the rollup rows' buckets fit
// p's range and time buckets is ageing.RollupFits.
func Eligible(p *query.Plan) (Dim, bool) {
	if p.PropKey != "" {
		return Props, eligibleProps(p)
	}
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

// MaxGoals is the most goals a plan read from the goal rollup rows may
// list: the statement marks the goals a row completes with the bits of a
// 64-bit integer (sqlgen). A site with more reads the rows.
const MaxGoals = 62

// EligibleGoals reports whether the GoalViews, GoalEvents and Totals
// rollup rows answer p, a plan with goals (an event:goal dimension or
// filter), exactly: p groups by event:goal and at most one time dimension,
// filters on event:goal only, asks for no custom property, and sums only
// counters that the property rows of page views leave at zero (they sit in
// GoalEvents without their path), each over every row or over page views
// (page visitors) or custom events (event visitors) as goal plans do.
// A goal cap's bound is summed from the Totals rows, so it must be a
// counter of every row that no other sum reads. Whether the rollup rows'
// buckets fit p's range, its time buckets and, with a cap, its days is
// ageing.RollupFits.
func EligibleGoals(p *query.Plan) bool {
	if len(p.Goals) == 0 || len(p.Goals) > MaxGoals || p.PropKey != "" {
		return false
	}
	rest, goalLeaves := query.SplitGoalFilters(p.Filter)
	hasGoalDim := false
	times := 0
	for _, d := range p.Dimensions {
		switch {
		case d == query.EventGoal:
			hasGoalDim = true
		case d.IsTime():
			times++
		default:
			return false
		}
	}
	if rest != nil || times > 1 || !hasGoalDim && len(goalLeaves) == 0 {
		return false
	}
	for _, s := range p.Sums {
		if s.Counter == query.CounterPropEvents || s.Counter == query.CounterPropVisitors {
			return false
		}
		switch {
		case s.OnlyKind == 0:
		case s.OnlyKind == event.KindPageview && s.Counter == query.CounterPageVisitors:
		case s.OnlyKind == event.KindEvent && s.Counter == query.CounterEventVisitors:
		default:
			return false
		}
	}
	if c := p.GoalCap; c != nil {
		if c.Bound.OnlyKind != 0 {
			return false
		}
		for _, s := range p.Sums {
			if s.Counter == c.Bound.Counter {
				return false
			}
		}
	}
	return true
}

// eligibleProps reports whether the Props rows answer p, a plan of the
// property rows of p.PropKey: p groups by that property and at most one
// time dimension, filters on the event name or that property only (no
// goal), and sums counters of every row.
func eligibleProps(p *query.Plan) bool {
	if len(p.GroupGoals) > 0 || p.GoalCap != nil {
		return false
	}
	sameProp := func(d query.Dimension) bool {
		key, ok := d.PropKey()
		return ok && key == p.PropKey
	}
	times := 0
	for _, d := range p.Dimensions {
		switch {
		case d.IsTime():
			times++
		case !sameProp(d):
			return false
		}
	}
	ok := times <= 1
	walkLeaves(p.Filter, func(f *query.Filter) {
		if f.Dimension != query.EventName && !sameProp(f.Dimension) {
			ok = false
		}
	})
	for _, s := range p.Sums {
		if s.OnlyKind != 0 {
			return false
		}
	}
	return ok
}
