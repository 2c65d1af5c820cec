package sqlgen

import (
	"slices"
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
	// What each branch's rows hold decides most of a goal's condition
	// already (query.Goal.Matcher): a page view row completes the page
	// goals its path matches, a custom event row the event goals of its
	// name and, as a property row of a page view (name "pageview", no
	// path here), the page goals an empty path matches.
	b.goalBranch(p, rollup.GoalViews, b.byteArg(uint8(event.KindPageview)), b.d.Text(b.arg(event.PageviewName)), "value", boundCol,
		func(g query.Goal) string {
			if !g.IsPage() {
				return ""
			}
			return b.pathTest(g, "value")
		})
	b.write(" UNION ALL ")
	b.goalBranch(p, rollup.GoalEvents, b.byteArg(uint8(event.KindEvent)), "value", "''", boundCol,
		func(g query.Goal) string {
			switch {
			case !g.IsPage():
				return "value = " + b.arg(g.EventName)
			case g.Matcher()(event.KindEvent, event.PageviewName, ""):
				return "value = " + b.arg(event.PageviewName)
			}
			return ""
		})
	if bound != nil {
		// The bound is the day's rows' sum, whichever goal they complete:
		// the Totals rows carry it (and kind 0, no name, no path: they
		// complete no goal), the goal rows carry 0 in its place.
		b.write(" UNION ALL ")
		b.goalBranch(p, rollup.Totals, b.byteArg(0), "''", "''", "", func(query.Goal) string { return "" })
	}
	b.write(") AS r WHERE 1 = 1")
	return nil
}

// goalBranch writes one rollup dimension's rows of the plan's site and
// range as rows with kind, name and path, the goal mask gm, ts and the
// counters; the counter zeroed, when not "", reads 0. cond(g) is the
// condition that a row of the branch completes goal g, "" for never.
//
// Rollup rows are nearly distinct in kind, name and path already (a path a
// day), so that the goal statement's first step would group about as many
// groups as rows by them: it groups by gm instead (goalKey), an integer
// whose bit i is set when the row completes the plan's goal i (maskHas
// reads it in the later steps; an integer, as a string of flags costs
// several times more to build).
func (b *builder) goalBranch(p *query.Plan, dim rollup.Dim, kind, name, path, zeroed string, cond func(query.Goal) string) {
	mask := []string{"0"}
	for i, g := range p.Goals {
		if c := cond(g); c != "" {
			mask = append(mask, "CASE WHEN "+c+" THEN "+b.arg(int64(1)<<i)+" ELSE 0 END")
		}
	}
	// The same type in every branch, as ClickHouse requires of a UNION ALL.
	cols := []string{kind + " AS kind", name + " AS name", path + " AS path", b.d.Int64(strings.Join(mask, " + ")) + " AS gm", "ts"}
	for _, c := range rollup.Counters {
		if c == zeroed {
			// c * 0 keeps the column's type, which ClickHouse requires
			// alike in every branch of a UNION ALL.
			c = c + " * 0 AS " + c
		}
		cols = append(cols, c)
	}
	b.write("SELECT ", strings.Join(cols, ", "))
	b.rollupRows(dim, p)
}

// goalKey is the first step's key of a goal plan: the columns a goal's
// condition reads, kind, name and path of the event rows, which take far
// fewer distinct values than there are rows; the goal mask of rollup rows
// (goalBranch).
func (b *builder) goalKey() string {
	if !b.goalRollup {
		return "kind, name, path"
	}
	return "gm"
}

// maskHas is the condition that a group of the goal rollup rows completes
// g: its bit of gm is set. A goal the plan does not list completes
// nothing.
func (b *builder) maskHas(g query.Goal) string {
	i := slices.Index(b.plan.Goals, g)
	if i < 0 {
		return "(1 = 0)"
	}
	return b.d.BitSet("gm", b.arg(int64(1)<<i))
}
