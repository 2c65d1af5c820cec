package sqlgen

import (
	"slices"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// goalColumn names the goal a row counts for in a breakdown by
// event:goal: the inner statement of such a breakdown (goalSource) turns
// each row into one row per goal it completes.
const goalColumn = "goal"

// goalCond is the condition that a row completes g (query.Goal.Matcher):
// an event of the goal's name, or a page view of the goal's path (a
// pattern for paths with "*"), property rows included.
func (b *builder) goalCond(g query.Goal) string {
	if !g.IsPage() {
		return "(kind = " + b.arg(uint8(event.KindEvent)) + " AND name = " + b.arg(g.EventName) + ")"
	}
	// Page views and their property rows (query.Goal.Matcher), not the
	// corrections of page views.
	view := "(kind <> " + b.arg(uint8(event.KindCorrection)) + " AND name = " + b.arg(event.PageviewName) + " AND "
	if !g.Wildcard() && !strings.Contains(g.PagePath, "|") {
		return view + "path = " + b.arg(g.PagePath) + ")"
	}
	return view + b.d.Matches("path", b.arg(g.PathPattern())) + ")"
}

// anyGoal is the condition that a row completes one of goals; false for
// none.
func (b *builder) anyGoal(goals []query.Goal) string {
	if len(goals) == 0 {
		return "(1 = 0)"
	}
	parts := make([]string, len(goals))
	for i, g := range goals {
		parts[i] = b.goalCond(g)
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// goalLeaf compiles a filter on event:goal: the row completes one of the
// goals whose display name the filter selects.
func (b *builder) goalLeaf(f *query.Filter) (string, error) {
	goals, err := query.GoalsFor(f, b.plan.Goals)
	if err != nil {
		return "", err
	}
	return b.anyGoal(goals), nil
}

// goalSource writes the FROM of a breakdown by event:goal: a statement
// reading the plan's rows with the columns the grouping needs and one row
// per (row, goal it completes), the goal's display name in goalColumn.
// Rows that complete none of the plan's GroupGoals are left out before
// they are expanded.
func (b *builder) goalSource(p *query.Plan, rows func()) {
	b.write("(SELECT ", strings.Join(b.goalInnerColumns(p), ", "), ", ")
	items := make([]string, len(p.GroupGoals))
	for i, g := range p.GroupGoals {
		items[i] = "CASE WHEN " + b.goalCond(g) + " THEN " + b.d.Text(b.arg(g.Name)) + " ELSE '' END"
	}
	if len(items) == 0 {
		items = []string{"''"}
	}
	b.write(b.d.Expand(strings.Join(items, ", ")), " AS ", goalColumn, " FROM ", b.d.Table(), " WHERE ")
	rows()
	b.write(" AND ", b.anyGoal(p.GroupGoals), ")")
}

// goalInnerColumns lists the columns the outer grouping of a goal
// breakdown reads: the minute and kind, the counters of the sums, the
// columns of the other dimensions.
func (b *builder) goalInnerColumns(p *query.Plan) []string {
	cols := []string{"ts", "kind"}
	add := func(c string) {
		if c != "" && !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, s := range p.Sums {
		col, _ := CounterColumn(s.Counter)
		add(col)
		if s.OnlyKind != 0 {
			add(b.d.KindColumn(col, s.OnlyKind))
		}
	}
	for _, d := range p.Dimensions {
		if col, ok := DimensionColumn(d); ok {
			add(col)
		}
	}
	return cols
}

// hasGoalDimension reports whether p breaks down by event:goal.
func hasGoalDimension(p *query.Plan) bool { return slices.Contains(p.Dimensions, query.EventGoal) }
