package memstore

import (
	"slices"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// capCell is one local day of one group: the sums of the rows completing
// the goal and the day's visitors of every row of the group (bound).
type capCell struct {
	dims  []string
	sums  []int64
	bound int64
	hit   bool
}

// aggregateCapped is aggregate for a plan whose goal visitors are capped
// per day (query.GoalCap): every row the plan selects without its goal
// filters adds to its day's bound, the rows completing the goal to its
// sums; each day's goal visitors are capped before the days are summed.
// The caller holds the lock.
func (s *Store) aggregateCapped(p *query.Plan) ([]query.Group, error) {
	rest, leaves := query.SplitGoalFilters(p.Filter)
	match, err := compile(rest, p.Goals, 0)
	if err != nil {
		return nil, err
	}
	var goalsMatch matcher = func(*event.Row) bool { return true }
	if len(leaves) > 0 {
		and := query.Filter{Op: query.OpAnd, Clauses: leaves}
		if goalsMatch, err = compile(&and, p.Goals, 0); err != nil {
			return nil, err
		}
	}
	goalDim := slices.Index(p.Dimensions, query.EventGoal)
	completes := goalMatchers(p.GroupGoals)
	cells := grouper{p: p, index: map[string]int{}} // only its index of cells
	var byCell []capCell
	dims := make([]string, len(p.Dimensions))
	add := func(r *event.Row, day string, hit bool) {
		before := len(cells.groups)
		gi := cells.slot(append([]string{day}, dims...))
		if len(cells.groups) > before {
			byCell = append(byCell, capCell{dims: append([]string{}, dims...), sums: make([]int64, len(p.Sums))})
		}
		c := &byCell[gi]
		c.bound += int64(counter(r, p.GoalCap.Bound))
		if hit {
			c.hit = true
			for j, sum := range p.Sums {
				c.sums[j] += int64(counter(r, sum))
			}
		}
	}
	for i := range s.sites[p.Site] {
		r := &s.sites[p.Site][i]
		if r.TS.Before(p.From) || !r.TS.Before(p.To) || (p.PropKey != "" && r.PropKey != p.PropKey) ||
			!match(r) || !dimensionValues(p, r, dims) {
			continue
		}
		day := r.TS.In(p.Location).Format("2006-01-02")
		hit := goalsMatch(r)
		if goalDim < 0 {
			add(r, day, hit)
			continue
		}
		for gi, m := range completes {
			dims[goalDim] = p.GroupGoals[gi].Name
			add(r, day, hit && m(r.Kind, r.Name, r.Path))
		}
	}
	// Sum the capped days per group.
	out := grouper{p: p, index: map[string]int{}}
	for _, c := range byCell {
		if !c.hit {
			continue
		}
		capSums := make([]int64, len(p.GoalCap.Sums))
		for k, i := range p.GoalCap.Sums {
			capSums[k] = c.sums[i]
		}
		for k, v := range query.Capped(capSums, c.bound) {
			c.sums[p.GoalCap.Sums[k]] = v
		}
		out.addSums(c.dims, c.sums)
	}
	return out.groups, nil
}
