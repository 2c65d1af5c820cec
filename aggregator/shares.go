package aggregator

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// Percentage metrics (percentage, conversion_rate, group_conversion_rate)
// divide a group's visitors by a total that another plan counts, as
// Plausible defines them:
//
//   - percentage: all visitors of the query, without its dimensions;
//   - conversion_rate: all visitors without the goal filters and the
//     dimensions;
//   - group_conversion_rate: the visitors of the group (the same values of
//     the dimensions other than event:goal) without the goal filters.
//
// Each is rounded to two decimals; percentage is null and the conversion
// rates are 0 when the total is 0.

// totals holds the denominators a response needs.
type totals struct {
	all, allWithoutGoals int64
	// groups maps a group's key (groupKey) to its visitors without the
	// goal filters.
	groups   map[string]int64
	groupDim []int // the plan's dimensions in a group's key
}

// planner builds the plans of totals the same way as the query's own.
type planner struct {
	now      time.Time
	loc      *time.Location
	earliest time.Time
	store    Store
}

// run plans and runs a totals query: visitors only, no order, no page.
func (pl planner) run(ctx context.Context, q query.Query, restrict func(*query.Plan)) (*query.Plan, *query.Result, error) {
	q.Metrics = []query.Metric{query.Visitors}
	q.OrderBy = nil
	q.Pagination = nil
	q.Include = query.Include{}
	p, err := query.Build(&q, pl.now, pl.loc, pl.earliest)
	if err != nil {
		return nil, nil, err
	}
	p.Limit = 0
	if restrict != nil {
		restrict(p)
	}
	res, err := pl.store.Query(ctx, p)
	return p, res, err
}

// computeTotals runs the totals the plan's percentage metrics need.
func (pl planner) computeTotals(ctx context.Context, q *query.Query, p *query.Plan, res *query.Result) (*totals, error) {
	need := map[query.Share]bool{}
	for _, f := range p.Formulas {
		need[f.Share] = true
	}
	t := &totals{}
	base := *q
	base.Dimensions = nil
	if need[query.ShareOfAll] {
		tp, tr, err := pl.run(ctx, base, nil)
		if err != nil {
			return nil, err
		}
		t.all = countOf(tp, tr)
	}
	noGoals := base
	noGoals.Filters = withoutGoalFilters(q.Filters)
	if need[query.ShareOfAllWithoutGoals] {
		tp, tr, err := pl.run(ctx, noGoals, nil)
		if err != nil {
			return nil, err
		}
		t.allWithoutGoals = countOf(tp, tr)
	}
	if need[query.ShareOfGroupWithoutGoals] {
		if err := pl.groupTotals(ctx, q, p, res, noGoals, t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// groupTotals counts, for each group of the page, the visitors of its
// dimension values (all but the goal) without the goal filters. The plan
// is narrowed to the page's values of each dimension that is not a time
// bucket, so a large breakdown's page costs a page, not the breakdown.
func (pl planner) groupTotals(ctx context.Context, q *query.Query, p *query.Plan, res *query.Result, noGoals query.Query, t *totals) error {
	var dims []query.Dimension
	for i, d := range p.Dimensions {
		if d != query.EventGoal {
			dims = append(dims, d)
			t.groupDim = append(t.groupDim, i)
		}
	}
	noGoals.Dimensions = dims
	restrict := func(tp *query.Plan) {
		allKindsOnPages(tp)
		var leaves []query.Filter
		for k, i := range t.groupDim {
			if dims[k].IsTime() {
				continue
			}
			var values []string
			for _, g := range res.Groups {
				if !slices.Contains(values, g.Dimensions[i]) {
					values = append(values, g.Dimensions[i])
				}
			}
			if len(values) == 0 {
				values = []string{""}
			}
			leaf := query.Filter{Op: query.OpIs, Dimension: dims[k], Values: values}
			if label := dims[k].BlankLabel(); label != "" && slices.Contains(values, label) {
				leaf.Values = append(leaf.Values, "")
			}
			leaves = append(leaves, leaf)
		}
		if len(leaves) == 0 {
			return
		}
		if tp.Filter != nil {
			leaves = append(leaves, *tp.Filter)
		}
		tp.Filter = &query.Filter{Op: query.OpAnd, Clauses: leaves}
	}
	tp, tr, err := pl.run(ctx, noGoals, restrict)
	if err != nil {
		return err
	}
	t.groups = make(map[string]int64, len(tr.Groups))
	all := make([]int, len(dims))
	for i := range all {
		all[i] = i
	}
	for _, g := range tr.Groups {
		t.groups[groupKey(g.Dimensions, all)] = tp.Formulas[0].Count(g.Sums)
	}
	return nil
}

// allKindsOnPages makes a group's page visitors count the visitors of
// every event on the page, not of its page views only: Plausible's
// divisor of a group conversion rate by page is everyone who sent
// anything there, so that those who only fired the goal's event count
// (without it, a page's signups could exceed its viewers: rates over
// 100%). A visitor who both viewed the page and fired an event there is
// counted twice (page visitors are per event name and path), so the rate
// is a lower bound then; it never exceeds 100%, as the goal's visitors
// are a part of the same sum.
func allKindsOnPages(p *query.Plan) {
	for i, s := range p.Sums {
		if s.Counter == query.CounterPageVisitors && s.OnlyKind == event.KindPageview {
			p.Sums[i].OnlyKind = 0
		}
	}
}

// withoutGoalFilters drops the top-level event:goal filters (the only
// place they can be) and the top-level property filters, as Plausible
// computes the divisor of a conversion rate.
func withoutGoalFilters(fs []query.Filter) []query.Filter {
	return slices.DeleteFunc(slices.Clone(fs), func(f query.Filter) bool {
		_, prop := f.Dimension.PropKey()
		return f.IsLeaf() && (f.Dimension == query.EventGoal || prop)
	})
}

func countOf(p *query.Plan, res *query.Result) int64 {
	if len(res.Groups) == 0 {
		return 0
	}
	return p.Formulas[0].Count(res.Groups[0].Sums)
}

// groupKey joins the values at positions idx, length-prefixed so that no
// two groups share a key.
func groupKey(values []string, idx []int) string {
	var b strings.Builder
	for _, i := range idx {
		b.WriteString(strconv.Itoa(len(values[i])))
		b.WriteByte(':')
		b.WriteString(values[i])
	}
	return b.String()
}

// shareValue is a percentage metric's value for a group.
func (t *totals) shareValue(f query.Formula, g query.Group) any {
	visitors := f.Count(g.Sums)
	var total int64
	switch f.Share {
	case query.ShareOfAll:
		if t.all == 0 {
			return nil
		}
		total = t.all
	case query.ShareOfAllWithoutGoals:
		total = t.allWithoutGoals
	case query.ShareOfGroupWithoutGoals:
		if t.groups == nil {
			total = t.allWithoutGoals
		} else {
			total = t.groups[groupKey(g.Dimensions, t.groupDim)]
		}
	}
	if total <= 0 {
		return 0.0
	}
	return math.Round(float64(visitors)/float64(total)*100*100) / 100
}

// goalsOf converts a site's goals for the query model.
func goalsOf(s *site.Site) []query.Goal {
	out := make([]query.Goal, len(s.Goals))
	for i, g := range s.Goals {
		out[i] = query.Goal{Name: g.Name(), EventName: g.EventName, PagePath: g.PagePath}
	}
	return out
}
