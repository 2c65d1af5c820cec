package sqlgen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// goalColumn names the goal a group counts for in a breakdown by
// event:goal (goalGrouped).
const goalColumn = "goal"

// goalCond is the condition that a row completes g (query.Goal.Matcher):
// an event of the goal's name, or a page view of the goal's path (a
// pattern for paths with "*"), property rows included.
func (b *builder) goalCond(g query.Goal) string {
	if b.goalRollup {
		return b.maskHas(g)
	}
	if !g.IsPage() {
		return "(kind = " + b.byteArg(uint8(event.KindEvent)) + " AND name = " + b.arg(g.EventName) + ")"
	}
	// Page views and their property rows (query.Goal.Matcher), not the
	// corrections of page views.
	view := "(kind <> " + b.byteArg(uint8(event.KindCorrection)) + " AND name = " + b.arg(event.PageviewName) + " AND "
	return view + b.pathTest(g, "path") + ")"
}

// pathTest is the condition that the path in column col matches page goal
// g's path.
func (b *builder) pathTest(g query.Goal, col string) string {
	switch {
	case strings.Contains(g.PagePath, "|"):
		return b.d.Matches(col, b.arg(g.PathPattern()))
	case g.Wildcard():
		// LIKE, not a regular expression: several times cheaper per row,
		// and the same answer (* and % are any run of characters).
		return b.d.Like(col, b.arg(likePattern(g.PagePath)))
	}
	return col + " = " + b.arg(g.PagePath)
}

// likePattern turns a goal path into a LIKE pattern: "*" becomes "%", and
// the characters LIKE reads specially are escaped.
func likePattern(path string) string {
	var b strings.Builder
	for _, r := range path {
		switch r {
		case '%', '_', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '*':
			b.WriteByte('%')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
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

// goalGrouped writes the aggregation of a plan with goals (an event:goal
// dimension or filter) in three steps, because deciding which goals a row
// completes costs string and pattern tests that are far cheaper on the few
// distinct (kind, name, path) than on every row:
//
//  1. the plan's rows (corrections never complete a goal) summed per kind,
//     name, path and the values of the other dimensions: p0… and g0…;
//  2. those groups that complete a goal of the plan's goal filters (and of
//     GroupGoals), one per goal each completes in a breakdown by
//     event:goal (Dialect.Expand), the goal's name in goalColumn;
//  3. summed again per dimension values: d0…, s0…, as groupedSums names
//     them.
//
// Every sum is additive, so regrouping gives the sums of the rows.
func (b *builder) goalGrouped(p *query.Plan, keep func(int) bool) error {
	if p.GoalCap != nil {
		return b.goalCapped(p, keep)
	}
	rest, goalLeaves := query.SplitGoalFilters(p.Filter)
	as := aliases(p)
	var sums []int
	for i := range p.Sums {
		if keep(i) {
			sums = append(sums, i)
		}
	}
	// 3: regroup.
	b.regroup(p, sums, func(i int) string { return "p" + strconv.Itoa(i) })
	// 2: the groups completing goals, expanded per goal.
	b.write(" FROM (SELECT ")
	var inner []string
	for i, d := range p.Dimensions {
		if d != query.EventGoal {
			inner = append(inner, "g"+strconv.Itoa(i))
		}
	}
	for _, i := range sums {
		inner = append(inner, "p"+strconv.Itoa(i))
	}
	if len(inner) > 0 {
		b.write(strings.Join(inner, ", "), ", ")
	}
	if hasGoalDimension(p) {
		items := make([]string, len(p.GroupGoals))
		for i, g := range p.GroupGoals {
			items[i] = "CASE WHEN " + b.goalCond(g) + " THEN " + b.d.Text(b.arg(g.Name)) + " ELSE '' END"
		}
		if len(items) == 0 {
			items = []string{"''"}
		}
		b.write(b.d.Expand(strings.Join(items, ", ")), " AS ", goalColumn)
	} else {
		b.write("1 AS one")
	}
	// 1: the rows summed per kind, name, path and dimension values.
	b.write(" FROM (SELECT ", b.goalKey())
	if err := b.goalRowColumns(p, sums); err != nil {
		return err
	}
	if err := b.goalSource(p, rest, nil); err != nil {
		return err
	}
	b.write(" AND kind <> ", b.byteArg(uint8(event.KindCorrection)))
	b.keepNonEmpty(p.Dimensions)
	b.write(" GROUP BY ", b.goalKey())
	for i, d := range p.Dimensions {
		if d != query.EventGoal {
			b.write(", g", strconv.Itoa(i))
		}
	}
	b.write(") WHERE 1 = 1")
	for i := range goalLeaves {
		cond, err := b.goalLeaf(&goalLeaves[i])
		if err != nil {
			return err
		}
		b.write(" AND ", cond)
	}
	if hasGoalDimension(p) {
		b.write(" AND ", b.anyGoal(p.GroupGoals))
	}
	b.write(")")
	if len(p.Dimensions) > 0 {
		b.write(" GROUP BY ", strings.Join(as[:len(p.Dimensions)], ", "))
	}
	return nil
}

// hasGoalDimension reports whether p breaks down by event:goal.
func hasGoalDimension(p *query.Plan) bool { return slices.Contains(p.Dimensions, query.EventGoal) }

// regroup writes the outer SELECT of the goal paths: the dimensions from
// g0… (goalColumn for event:goal) as d0…, and the sums of value(i) as s0…
// for each of sums.
func (b *builder) regroup(p *query.Plan, sums []int, value func(int) string) {
	as := aliases(p)
	b.write("SELECT ")
	for i, d := range p.Dimensions {
		col := "g" + strconv.Itoa(i)
		if d == query.EventGoal {
			col = goalColumn
		}
		b.write(col, " AS ", as[i], ", ")
	}
	if len(sums) == 0 {
		b.write("count(*) AS n")
	}
	for k, i := range sums {
		if k > 0 {
			b.write(", ")
		}
		b.write(b.d.Sum(value(i)), " AS s", strconv.Itoa(i))
	}
}

// goalRowColumns writes the columns of a goal plan's first step after kind,
// name and path: each dimension's value but event:goal's (decided later, on
// the pre-aggregated rows) as g<i>, and each of sums as p<i>.
func (b *builder) goalRowColumns(p *query.Plan, sums []int) error {
	for i, d := range p.Dimensions {
		if d == query.EventGoal {
			continue
		}
		expr, err := b.dimension(p, d)
		if err != nil {
			return err
		}
		b.write(", ", expr, " AS g", strconv.Itoa(i))
	}
	for _, i := range sums {
		b.write(", ", b.sum(p.Sums[i]), " AS p", strconv.Itoa(i))
	}
	return nil
}
