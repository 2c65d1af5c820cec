package sqlgen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// goalCapped is goalGrouped for a plan whose goal visitors are capped per
// day (query.GoalCap). Capping needs the day's visitors of every row the
// plan selects without its goal filters, not only of the rows completing
// a goal, so the goal decides a 0/1 hit instead of filtering:
//
//  1. the plan's rows without the goal filters summed per kind, name,
//     path, local day (gday) and the other dimensions' values: p0…, and
//     the bound's counter as pb;
//  2. in a breakdown by event:goal, each group repeated for every goal
//     listed (Dialect.Expand), the goal's name in goalColumn; then hit, 1
//     when the group completes the goal (and the goal filters);
//  3. summed per day, goal and dimension values: q0… the sums of the
//     hits, qb all the day's visitors;
//  4. the capped sums (query.Capped, in SQL) summed over the days: s0….
//
// Correction rows never complete a goal (goalCond); they are read with the
// rest for the bound. Groups with no hit have zero sums and are left out by the Presence
// condition of the caller, as goalGrouped never forms them.
func (b *builder) goalCapped(p *query.Plan, keep func(int) bool) error {
	rest, goalLeaves := query.SplitGoalFilters(p.Filter)
	as := aliases(p)
	capped := slices.ContainsFunc(p.GoalCap.Sums, keep)
	var sums []int
	for i := range p.Sums {
		if keep(i) || (capped && slices.Contains(p.GoalCap.Sums, i)) {
			sums = append(sums, i)
		}
	}
	var others []string // the other dimensions' columns
	for i, d := range p.Dimensions {
		if d != query.EventGoal {
			others = append(others, "g"+strconv.Itoa(i))
		}
	}
	perDay := append([]string{"gday"}, others...)
	if hasGoalDimension(p) {
		perDay = append(perDay, goalColumn)
	}

	// 4: the capped sums over the days.
	b.regroup(p, sums, func(i int) string { return cappedSum(p.GoalCap.Sums, i) })
	// 3: per day.
	b.write(" FROM (SELECT ", strings.Join(perDay, ", "))
	for _, i := range sums {
		n := strconv.Itoa(i)
		b.write(", ", b.d.Sum("p"+n+" * hit"), " AS q", n)
	}
	b.write(", ", b.d.Sum("pb"), " AS qb")
	// 2: the hits.
	b.write(" FROM (SELECT *, CASE WHEN ")
	var conds []string
	for i := range goalLeaves {
		cond, err := b.goalLeaf(&goalLeaves[i])
		if err != nil {
			return err
		}
		conds = append(conds, cond)
	}
	if hasGoalDimension(p) {
		whens := make([]string, len(p.GroupGoals))
		for i, g := range p.GroupGoals {
			whens[i] = "WHEN " + goalColumn + " = " + b.d.Text(b.arg(g.Name)) + " THEN " + b.goalCond(g)
		}
		conds = append(conds, "(CASE "+strings.Join(whens, " ")+" ELSE 1 = 0 END)")
		if len(p.GroupGoals) == 0 {
			conds[len(conds)-1] = "(1 = 0)"
		}
	}
	if len(conds) == 0 {
		conds = []string{"(1 = 1)"}
	}
	b.write(strings.Join(conds, " AND "), " THEN 1 ELSE 0 END AS hit FROM (")
	if hasGoalDimension(p) {
		items := make([]string, len(p.GroupGoals))
		for i, g := range p.GroupGoals {
			items[i] = b.d.Text(b.arg(g.Name))
		}
		if len(items) == 0 {
			items = []string{"''"}
		}
		b.write("SELECT *, ", b.d.Expand(strings.Join(items, ", ")), " AS ", goalColumn, " FROM (")
	}
	// 1: the rows per kind, name, path, day and dimension values.
	day, err := b.bucket(p, query.TimeDay)
	if err != nil {
		return err
	}
	b.write("SELECT ", b.goalKey(), ", ", day, " AS gday")
	if err := b.goalRowColumns(p, sums); err != nil {
		return err
	}
	b.write(", ", b.sum(p.GoalCap.Bound), " AS pb")
	if err := b.goalSource(p, rest, &p.GoalCap.Bound); err != nil {
		return err
	}
	b.keepNonEmpty(p.Dimensions)
	b.write(" GROUP BY ", b.goalKey(), ", gday")
	for _, g := range others {
		b.write(", ", g)
	}
	b.write(")")
	if hasGoalDimension(p) {
		b.write(")")
	}
	b.write(") GROUP BY ", strings.Join(perDay, ", "), ")")
	if len(p.Dimensions) > 0 {
		b.write(" GROUP BY ", strings.Join(as[:len(p.Dimensions)], ", "))
	}
	return nil
}

// cappedSum is the day's value of sum i: for the capped sums, what is left
// of the bound qb after the capped sums before it (query.Capped), so that
// together they are min(Σ, qb); the others as summed.
func cappedSum(capSums []int, i int) string {
	q := "q" + strconv.Itoa(i)
	k := slices.Index(capSums, i)
	if k < 0 {
		return q
	}
	left := "qb"
	for _, j := range capSums[:k] {
		left += " - q" + strconv.Itoa(j)
	}
	return "least(" + q + ", greatest(" + left + ", 0))"
}
