package sqlgen

import (
	"fmt"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// Check reports whether p is well-formed enough to compile: known
// dimensions and counters, and indices that point into the plan. Plans
// from query.Build always pass; the check guards against hand-built ones.
func Check(p *query.Plan) error {
	if p == nil {
		return fmt.Errorf("sqlgen: nil plan")
	}
	if len(p.Sums) == 0 {
		return fmt.Errorf("sqlgen: plan has no sums")
	}
	for _, d := range p.Dimensions {
		if _, ok := DimensionColumn(d); !ok && !d.IsTime() && d != query.EventGoal {
			return fmt.Errorf("sqlgen: unknown dimension %q", d)
		}
	}
	for _, s := range p.Sums {
		if _, ok := CounterColumn(s.Counter); !ok {
			return fmt.Errorf("sqlgen: unknown counter %d", s.Counter)
		}
		if s.OnlyKind != 0 && !s.OnlyKind.Known() {
			return fmt.Errorf("sqlgen: unknown kind %d", s.OnlyKind)
		}
	}
	for _, f := range p.Formulas {
		if err := checkIndices(len(p.Sums), f.Num, f.Den); err != nil {
			return err
		}
	}
	for _, f := range p.Formulas {
		if err := checkIndices(len(p.Sums), f.Floor); err != nil {
			return err
		}
	}
	if err := checkIndices(len(p.Sums), p.HavingPositive, p.Presence); err != nil {
		return err
	}
	return checkOrder(p)
}

func checkIndices(n int, lists ...[]int) error {
	for _, l := range lists {
		for _, i := range l {
			if i < 0 || i >= n {
				return fmt.Errorf("sqlgen: sum index %d out of range", i)
			}
		}
	}
	return nil
}

func checkOrder(p *query.Plan) error {
	for _, o := range p.Order {
		switch {
		case o.Metric >= 0 && o.Metric < len(p.Formulas):
		case o.Metric < 0 && o.Dimension >= 0 && o.Dimension < len(p.Dimensions):
		default:
			return fmt.Errorf("sqlgen: order %+v out of range", o)
		}
	}
	if p.Limit < 0 || p.Offset < 0 {
		return fmt.Errorf("sqlgen: negative limit or offset")
	}
	return nil
}
