package memstore

import (
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/placenames"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// Value returns the row's value of a non-time dimension; "" for unknown
// ones (check rejects them first). The shared store tests read rows with it
// too, so the oracle and the test generator agree on what a value is. The
// column of each dimension is the SQL stores' (sqlgen.DimensionColumn), so
// a new column needs no case here.
func Value(d query.Dimension, r *event.Row) string {
	if d.IsProp() {
		return r.PropValue // of the plan's key: rows of other keys are not selected
	}
	i, ok := dimensionIndex[d]
	if !ok {
		return ""
	}
	v := *r.Strings()[i]
	switch d {
	case query.CountryName:
		return placenames.Country(v)
	case query.RegionName:
		return placenames.Region(v)
	}
	return v
}

// dimensionIndex maps each non-time dimension to its position in
// event.StringColumns.
var dimensionIndex = func() map[query.Dimension]int {
	out := map[query.Dimension]int{}
	for _, d := range query.AllDimensions {
		if col, ok := sqlgen.DimensionColumn(d); ok {
			if i := event.StringIndex(col); i >= 0 {
				out[d] = i
			}
		}
	}
	return out
}()

// known reports whether d is a dimension this store can group by.
func known(d query.Dimension) bool {
	if d.IsProp() {
		return true
	}
	for _, k := range query.AllDimensions {
		if d == k {
			return true
		}
	}
	return false
}

func timeUTC(y, m, d, h, mi int) time.Time {
	return time.Date(y, time.Month(m), d, h, mi, 0, 0, time.UTC)
}

// check rejects plans that point outside themselves, as the SQL stores do.
func check(p *query.Plan) error {
	if p == nil {
		return fmt.Errorf("memstore: nil plan")
	}
	if len(p.Sums) == 0 {
		return fmt.Errorf("memstore: plan has no sums")
	}
	for _, d := range p.Dimensions {
		if !known(d) {
			return fmt.Errorf("memstore: unknown dimension %q", d)
		}
		if d.IsTime() && p.Location == nil {
			return fmt.Errorf("memstore: %q needs the plan's location", d)
		}
	}
	for _, s := range p.Sums {
		if !s.Counter.Valid() {
			return fmt.Errorf("memstore: unknown counter %d", s.Counter)
		}
		if s.OnlyKind != 0 && !s.OnlyKind.Known() {
			return fmt.Errorf("memstore: unknown kind %d", s.OnlyKind)
		}
	}
	n := len(p.Sums)
	for _, f := range p.Formulas {
		if !inRange(n, f.Num) || !inRange(n, f.Den) {
			return fmt.Errorf("memstore: formula sum index out of range")
		}
	}
	for _, f := range p.Formulas {
		if !inRange(n, f.Floor) {
			return fmt.Errorf("memstore: formula floor index out of range")
		}
	}
	if !inRange(n, p.HavingPositive) || !inRange(n, p.Presence) {
		return fmt.Errorf("memstore: having sum index out of range")
	}
	for _, o := range p.Order {
		if (o.Metric < 0 || o.Metric >= len(p.Formulas)) && (o.Metric >= 0 || o.Dimension < 0 || o.Dimension >= len(p.Dimensions)) {
			return fmt.Errorf("memstore: order %+v out of range", o)
		}
	}
	if p.Limit < 0 || p.Offset < 0 {
		return fmt.Errorf("memstore: negative limit or offset")
	}
	return nil
}

func inRange(n int, idx []int) bool {
	for _, i := range idx {
		if i < 0 || i >= n {
			return false
		}
	}
	return true
}
