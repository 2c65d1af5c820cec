package sqlgen

import (
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// having keeps the groups whose listed sums are positive (the exit page
// breakdown keeps only pages where visits ended).
func (b *builder) having(p *query.Plan) {
	var conds []string
	for _, s := range p.HavingPositive {
		conds = append(conds, "s"+strconv.Itoa(s)+" > 0")
	}
	// A group exists when it holds a page view or an event (Presence).
	if len(p.Presence) > 0 {
		conds = append(conds, sumOf(p.Presence)+" > 0")
	}
	if len(conds) > 0 {
		b.write(" WHERE ", strings.Join(conds, " AND "))
	}
}

// orderBy sorts by the plan's keys. A metric sorts by its formula before
// rounding: a count by its sum, a ratio by Σnum × scale / Σden in floating
// point, 0 when Σden is 0 (also for metrics that are null then).
func (b *builder) orderBy(p *query.Plan) {
	if len(p.Order) == 0 {
		return
	}
	b.write(" ORDER BY ")
	seen := map[query.PlanOrder]bool{}
	for _, o := range p.Order {
		// A key repeated later (the plan appends every dimension as a
		// tie-breaker) cannot change the order.
		key := query.PlanOrder{Metric: o.Metric, Dimension: o.Dimension}
		if seen[key] {
			continue
		}
		if len(seen) > 0 {
			b.write(", ")
		}
		seen[key] = true
		if o.Metric >= 0 {
			b.write(b.metricKey(p.Formulas[o.Metric]))
		} else {
			b.write("d", strconv.Itoa(o.Dimension))
		}
		if o.Desc {
			b.write(" DESC")
		} else {
			b.write(" ASC")
		}
	}
}

func (b *builder) metricKey(f query.Formula) string {
	num := sumOf(f.Num)
	if len(f.Den) == 0 {
		if len(f.Floor) > 0 {
			// The count's floor (query.Formula.Floor): at least 1 in a
			// group that holds a page view or an event.
			return "CASE WHEN " + num + " < 1 AND " + sumOf(f.Floor) + " > 0 THEN 1 ELSE " + num + " END"
		}
		return num
	}
	den := sumOf(f.Den)
	return "CASE WHEN " + den + " = 0 THEN 0 ELSE " +
		b.d.Float(num) + " * " + b.d.Float(b.arg(f.Scale)) + " / " + b.d.Float(den) + " END"
}

// sumOf adds the listed sum columns.
func sumOf(idx []int) string {
	parts := make([]string, len(idx))
	for i, s := range idx {
		parts[i] = "s" + strconv.Itoa(s)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " + ") + ")"
}
