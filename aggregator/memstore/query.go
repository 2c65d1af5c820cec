package memstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Query evaluates the plan over the site's rows in [From, To).
func (s *Store) Query(ctx context.Context, p *query.Plan) (*query.Result, error) {
	if err := check(p); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: query: %w", err)
	}
	match, err := compile(p.Filter, p.Goals, 0)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, errClosed
	}
	var groups []query.Group
	if p.GoalCap != nil {
		groups, err = s.aggregateCapped(p)
	} else {
		groups = s.aggregate(p, match)
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}

	if len(p.Dimensions) == 0 {
		// Exactly one group, whatever matched.
		g := query.Group{Dimensions: []string{}, Sums: make([]int64, len(p.Sums))}
		if len(groups) == 1 {
			g = groups[0]
		}
		return &query.Result{Groups: []query.Group{g}, TotalGroups: countIf(p, 1)}, nil
	}
	groups = havingPositive(p, groups)
	sortGroups(p, groups)
	total := countIf(p, int64(len(groups)))
	return &query.Result{Groups: paginate(p, groups), TotalGroups: total}, nil
}

// aggregate sums the matching rows per group; the caller holds the lock.
func (s *Store) aggregate(p *query.Plan, match func(*event.Row) bool) []query.Group {
	g := grouper{p: p, index: map[string]int{}}
	dims := make([]string, len(p.Dimensions))
	goalDim := slices.Index(p.Dimensions, query.EventGoal)
	completes := goalMatchers(p.GroupGoals)
	rows := s.sites[p.Site]
	for i := range rows {
		r := &rows[i]
		if r.TS.Before(p.From) || !r.TS.Before(p.To) || (p.PropKey != "" && r.PropKey != p.PropKey) ||
			!match(r) || !dimensionValues(p, r, dims) {
			continue
		}
		if goalDim < 0 {
			g.add(r, dims)
			continue
		}
		// A row counts in the group of every goal it completes.
		for gi, m := range completes {
			if m(r.Kind, r.Name, r.Path) {
				dims[goalDim] = p.GroupGoals[gi].Name
				g.add(r, dims)
			}
		}
	}
	return g.groups
}

// grouper sums rows into the groups of their dimension values.
type grouper struct {
	p      *query.Plan
	index  map[string]int
	groups []query.Group
	key    strings.Builder
}

func (g *grouper) add(r *event.Row, dims []string) {
	gi := g.slot(dims)
	for j, sum := range g.p.Sums {
		g.groups[gi].Sums[j] += int64(counter(r, sum))
	}
}

// addSums adds sums (parallel to the plan's) to the group of dims.
func (g *grouper) addSums(dims []string, sums []int64) {
	gi := g.slot(dims)
	for j, v := range sums {
		g.groups[gi].Sums[j] += v
	}
}

// slot returns the index of the group of dims, creating it when new.
func (g *grouper) slot(dims []string) int {
	g.key.Reset()
	for _, d := range dims {
		// Length-prefixed, so values holding any byte cannot collide.
		g.key.WriteString(strconv.Itoa(len(d)))
		g.key.WriteByte(':')
		g.key.WriteString(d)
	}
	gi, ok := g.index[g.key.String()]
	if !ok {
		gi = len(g.groups)
		g.index[g.key.String()] = gi
		g.groups = append(g.groups, query.Group{
			Dimensions: append([]string{}, dims...),
			Sums:       make([]int64, len(g.p.Sums)),
		})
	}
	return gi
}

// dimensionValues fills dims with r's value of each plan dimension. An
// empty value shows as the dimension's blank label; it returns false when
// a dimension without one is empty: a breakdown leaves such rows out (no
// region, no search term).
func dimensionValues(p *query.Plan, r *event.Row, dims []string) bool {
	for i, d := range p.Dimensions {
		if d.IsTime() {
			local := r.TS.In(p.Location)
			y, m, day := local.Date()
			wall := timeUTC(y, int(m), day, local.Hour(), local.Minute())
			dims[i] = query.FormatBucket(d, query.TruncateWall(d, wall))
			continue
		}
		if d == query.EventGoal {
			continue // set per goal by aggregate
		}
		v := Value(d, r)
		if v == "" {
			if v = d.BlankLabel(); v == "" {
				return false
			}
		}
		dims[i] = v
	}
	return true
}

// counter returns the row's value of a sum's counter, 0 when the sum is
// restricted to another kind.
func counter(r *event.Row, s query.Sum) int32 {
	if s.OnlyKind != 0 && r.Kind != s.OnlyKind {
		return 0
	}
	return s.Counter.Of(&r.Counters)
}

func countIf(p *query.Plan, n int64) int64 {
	if p.CountGroups {
		return n
	}
	return 0
}
