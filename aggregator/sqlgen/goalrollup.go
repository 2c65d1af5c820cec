package sqlgen

import (
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/event"
)

// A goal plan read from rollup rows (Source.Goals) reads the page views
// by path (rollup.GoalViews), the custom events by name
// (rollup.GoalEvents) and, for a goal cap's bound, the totals
// (rollup.Totals) instead of the event rows: the goal paths (goalGrouped,
// goalCapped) run unchanged over rows that carry kind, name and path as
// the event rows do.

// goalSource writes the first step's FROM and WHERE of a goal plan: the
// plan's event rows under filter rest, or with goalRollup the rollup rows
// standing for them. bound, when set, is the goal cap's bound.
func (b *builder) goalSource(p *query.Plan, rest *query.Filter, bound *query.Sum) error {
	if !b.goalRollup {
		b.write(" FROM ", b.d.Table(), " WHERE ")
		return b.rows(p, rest)
	}
	// rollup.EligibleGoals admits no filter but the goals' (rest is nil).
	boundCol := ""
	if bound != nil {
		boundCol, _ = CounterColumn(bound.Counter)
	}
	b.write(" FROM (")
	b.goalBranch(p, rollup.GoalViews, b.byteArg(uint8(event.KindPageview)), b.d.Text(b.arg(event.PageviewName)), "value", boundCol)
	b.write(" UNION ALL ")
	b.goalBranch(p, rollup.GoalEvents, b.byteArg(uint8(event.KindEvent)), "value", "''", boundCol)
	if bound != nil {
		// The bound is the day's rows' sum, whichever goal they complete:
		// the Totals rows carry it (and kind 0, no name, no path: they
		// complete no goal), the goal rows carry 0 in its place.
		b.write(" UNION ALL ")
		b.goalBranch(p, rollup.Totals, b.byteArg(0), "''", "''", "")
	}
	b.write(") AS r WHERE ")
	// Only rows completing a goal of the plan add to a sum other than the
	// bound: the others are left out before the first step groups them.
	// (Each placeholder is bound where its text goes.)
	if bound != nil {
		b.write("(kind = ", b.byteArg(0), " OR ")
	}
	conds, err := b.goalPrefilter(p)
	if err != nil {
		return err
	}
	b.write(conds)
	if bound != nil {
		b.write(")")
	}
	return nil
}

// goalBranch writes one rollup dimension's rows of the plan's site and
// range as rows with kind, name and path, ts and the counters; the counter
// zeroed, when not "", reads 0.
func (b *builder) goalBranch(p *query.Plan, dim rollup.Dim, kind, name, path, zeroed string) {
	cols := []string{kind + " AS kind", name + " AS name", path + " AS path", "ts"}
	for _, c := range rollup.Counters {
		if c == zeroed {
			// c * 0 keeps the column's type, which ClickHouse requires
			// alike in every branch of a UNION ALL.
			c = c + " * 0 AS " + c
		}
		cols = append(cols, c)
	}
	b.write("SELECT ", strings.Join(cols, ", "), " FROM ", RollupsTable, " WHERE ", b.d.SiteColumn(), " = ", b.siteArg(),
		" AND dim = ", b.byteArg(uint8(dim)), " AND ts >= ", b.arg(p.From.UTC()), " AND ts < ", b.arg(p.To.UTC()))
	if f := b.d.Visible(RollupsTable); f != "" {
		b.write(" AND ", f)
	}
}

// goalPrefilter is the condition that a row completes a goal the plan
// counts: one of its grouped goals, and one of each goal filter's.
func (b *builder) goalPrefilter(p *query.Plan) (string, error) {
	_, leaves := query.SplitGoalFilters(p.Filter)
	var conds []string
	if hasGoalDimension(p) {
		conds = append(conds, b.anyGoal(p.GroupGoals))
	}
	for i := range leaves {
		cond, err := b.goalLeaf(&leaves[i])
		if err != nil {
			return "", err
		}
		conds = append(conds, cond)
	}
	if len(conds) == 0 {
		return "(1 = 1)", nil
	}
	return "(" + strings.Join(conds, " AND ") + ")", nil
}
