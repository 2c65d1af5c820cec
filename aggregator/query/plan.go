package query

import (
	"slices"
	"strings"
	"time"
)

// Plan is a validated query resolved for one site: the instants of the date
// range, the sums to compute and how each metric derives from them. Stores
// compile a Plan to SQL; every user-supplied value in it (site, filter
// values, instants) must reach SQL as a bound argument only.
type Plan struct {
	Site     string
	Location *time.Location
	// From and To bound the rows' ts, half-open [From, To).
	From, To time.Time

	Dimensions []Dimension
	// Filter selects the rows; nil selects all rows of the site and range.
	Filter *Filter

	Sums     []Sum
	Metrics  []Metric
	Formulas []Formula // parallel to Metrics

	Order         []PlanOrder
	Limit, Offset int
	// CountGroups asks the store for the number of groups before pagination.
	CountGroups bool
	// HavingPositive lists sums that must be > 0 for a group to be returned
	// (the exit page breakdown keeps only pages where visits ended).
	HavingPositive []int
	// Presence lists sums whose total must be > 0 for a group to be
	// returned: a group exists when it holds a page view or an event, not
	// when only corrections of earlier rows fall into it.
	Presence []int
	// PropKey, when set, selects only the property rows of that key
	// (event.Row.PropKey): the query breaks down or filters by
	// event:props:<PropKey>, whose value is the rows' prop_value.
	PropKey string

	// Goals are the site's goals: a filter on event:goal selects the rows
	// that complete the goals it names (GoalsFor).
	Goals []Goal
	// GroupGoals are the goals a breakdown by event:goal lists, in order:
	// those every top-level goal filter selects. A row counts in the group
	// of each goal it completes.
	GroupGoals []Goal
	// GoalCap, when set, bounds the visitors of goals per day (GoalCap).
	GoalCap *GoalCap
}

// GoalCap bounds goal visitors by what the rows can tell. Rows carry no
// visitor identity, so the goal visitors of a day are a sum of per-path
// (or per-name) daily uniques: a visitor who viewed three pages matching
// a wildcard goal counts three times. The visitors who completed a goal
// on a day (in a group of the other dimensions) are never more than all
// visitors of that day in that group under the same filters without the
// goal: a store sums Sums jointly, per local day and group, capped at the
// sum of Bound over the rows of that day and group that the plan selects
// without its goal filters, and only then sums the days.
type GoalCap struct {
	// Sums are indices into Plan.Sums that count goal visitors; their
	// total per day is capped, each keeping what fits in order.
	Sums []int
	// Bound is the counter of the day's visitors without the goal: the
	// one the conversion rate's total sums.
	Bound Sum
}

// Capped returns the capped values of sums (the day's sums of
// GoalCap.Sums, in order) under bound: each keeps what remains of the
// bound after the ones before it, so that their total is
// min(Σ sums, bound).
func Capped(sums []int64, bound int64) []int64 {
	out := make([]int64, len(sums))
	left := max(bound, 0)
	for i, v := range sums {
		out[i] = min(v, left)
		left -= out[i]
	}
	return out
}

// PlanOrder sorts groups by a metric (Metric ≥ 0) or a dimension
// (Dimension ≥ 0).
type PlanOrder struct {
	Metric    int
	Dimension int
	Desc      bool
}

// Build validates q and resolves it into a Plan. now is the current time, loc
// the site's time zone and earliest the time of the site's first row (zero
// if none), used by the "all" range.
func Build(q *Query, now time.Time, loc *time.Location, earliest time.Time) (*Plan, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := q.validateGoalFilters(q.Goals, true); err != nil {
		return nil, err
	}
	from, to := q.DateRange.Resolve(now, loc, earliest)
	q.resolveTime(from, to)
	p := &Plan{
		Site:       q.SiteID,
		Location:   loc,
		From:       from.UTC(),
		To:         to.UTC(),
		Dimensions: q.Dimensions,
		Metrics:    q.Metrics,
		Limit:      DefaultLimit,
	}
	if q.Pagination != nil {
		p.Limit, p.Offset = q.Pagination.Limit, q.Pagination.Offset
	}
	p.CountGroups = q.Include.TotalRows
	p.Filter = planFilter(q.Filters)
	p.PropKey, _ = q.propKey() // Validate checked it
	if q.hasGoal() {
		p.Goals = q.Goals
		var err error
		if p.GroupGoals, err = q.groupGoals(); err != nil {
			return nil, err
		}
	}
	s := q.scopes()
	for _, m := range q.Metrics {
		p.Formulas = append(p.Formulas, p.formula(m, s, q.Public))
	}
	// A group exists when it holds a page view or an event (of the
	// property, on property rows).
	present := []Sum{{Counter: CounterPageviews}, {Counter: CounterEvents}}
	if p.PropKey != "" {
		present = []Sum{{Counter: CounterPropEvents}}
	}
	presence := func() []int {
		idx := make([]int, len(present))
		for i, sum := range present {
			idx[i] = p.sumIndex(sum)
		}
		return idx
	}
	if len(q.Dimensions) > 0 {
		p.Presence = presence()
	}
	for i, m := range q.Metrics {
		// Public plans never floor: a group whose bounded public counter is
		// 0 must stay 0, or a visitor-day past its contribution bound would
		// add 1 to every further page it viewed (DESIGN §1.7).
		if (m == Visitors || formulas[m].share != NoShare) && !q.Public {
			p.Formulas[i].Floor = presence()
		}
	}
	p.GoalCap = goalCap(p, s, q.Public, loc)
	if s[scopeExit] {
		p.HavingPositive = []int{p.sumIndex(Sum{Counter: CounterExits})}
	}
	p.Order = q.planOrder()
	return p, nil
}

// resolveTime replaces the time dimension "time" (in dimensions and
// order_by) with the bucket Plausible picks for the range: hours up to 48
// hours, days up to 40 days, weeks up to 52 weeks, months beyond.
func (q *Query) resolveTime(from, to time.Time) {
	if q.dimensionIndex(Time) < 0 {
		return
	}
	span := to.Add(-time.Second).Sub(from)
	days := int(span / (24 * time.Hour))
	d := TimeMonth
	switch {
	case int(span/time.Hour) <= 48:
		d = TimeHour
	case days <= 40:
		d = TimeDay
	case days/7 <= 52:
		d = TimeWeek
	}
	for i := range q.Dimensions {
		if q.Dimensions[i] == Time {
			q.Dimensions[i] = d
		}
	}
	for i := range q.OrderBy {
		if Dimension(q.OrderBy[i].By) == Time {
			q.OrderBy[i].By = string(d)
		}
	}
}

// formula resolves a metric's shape into indices of p.Sums.
func (p *Plan) formula(m Metric, s scopes, public bool) Formula {
	shape := formulas[m]
	resolve := func(sums []Sum) []int {
		idx := make([]int, 0, len(sums))
		for _, sum := range sums {
			switch {
			case sum == visitorsPlaceholder:
				for _, v := range s.visitorSums(public) {
					idx = append(idx, p.sumIndex(v))
				}
				continue
			case sum.Counter == CounterVisits && s[scopeExit]:
				// A visit's exit is the −1/+1 exits counter.
				sum = Sum{Counter: CounterExits}
			case m == Events && s[scopeProp]:
				// Property rows count their events in prop_events only
				// (once, for both the page views and the events).
				sum = Sum{Counter: CounterPropEvents}
			}
			if i := p.sumIndex(sum); !slices.Contains(idx, i) {
				idx = append(idx, i)
			}
		}
		return idx
	}
	return Formula{
		Num:            resolve(shape.num),
		Den:            resolve(shape.den),
		Scale:          shape.scale,
		Decimals:       shape.decimals,
		NullWithoutDen: shape.nullWithoutDen,
		Share:          shape.share,
	}
}

func (p *Plan) sumIndex(s Sum) int {
	for i, x := range p.Sums {
		if x == s {
			return i
		}
	}
	p.Sums = append(p.Sums, s)
	return len(p.Sums) - 1
}

// planOrder resolves order_by, defaulting to time ascending when a time
// dimension is present, else the first metric descending; ties are broken by
// the dimensions ascending so pages are stable.
func (q *Query) planOrder() []PlanOrder {
	var out []PlanOrder
	for _, o := range q.OrderBy {
		if i := q.metricIndex(Metric(o.By)); i >= 0 {
			out = append(out, PlanOrder{Metric: i, Dimension: -1, Desc: o.Desc})
			continue
		}
		out = append(out, PlanOrder{Metric: -1, Dimension: q.dimensionIndex(Dimension(o.By).canonical()), Desc: o.Desc})
	}
	if len(out) == 0 {
		if t := q.timeDimension(); t != "" {
			out = append(out, PlanOrder{Metric: -1, Dimension: q.dimensionIndex(t)})
		} else {
			out = append(out, PlanOrder{Metric: 0, Dimension: -1, Desc: true})
		}
	}
	for i := range q.Dimensions {
		out = append(out, PlanOrder{Metric: -1, Dimension: i})
	}
	return out
}

// Value computes the formula's value from a group's sums. ok is false when
// the value is null.
func (f Formula) Value(sums []int64) (v float64, ok bool) {
	var num, den int64
	for _, i := range f.Num {
		num += sums[i]
	}
	if len(f.Den) == 0 {
		return float64(f.floor(num, sums)), true
	}
	for _, i := range f.Den {
		den += sums[i]
	}
	if den == 0 {
		return 0, !f.NullWithoutDen
	}
	return round(float64(num)/float64(den)*f.Scale, f.Decimals), true
}

// floor applies Floor to a count.
func (f Formula) floor(n int64, sums []int64) int64 {
	if n >= 1 || len(f.Floor) == 0 {
		return n
	}
	var present int64
	for _, i := range f.Floor {
		present += sums[i]
	}
	if present > 0 {
		return 1
	}
	return n
}

// Count is the value of a count formula (no denominator) with its floor.
func (f Formula) Count(sums []int64) int64 {
	var num int64
	for _, i := range f.Num {
		num += sums[i]
	}
	return f.floor(num, sums)
}

// planFilter copies the query's filters into one tree for the stores,
// adding the empty value wherever a filter names a dimension's blank
// label (["is", "visit:utm_source", ["(not set)"]] selects the rows
// without a UTM source).
func planFilter(filters []Filter) *Filter {
	switch len(filters) {
	case 0:
		return nil
	case 1:
		f := copyFilter(&filters[0])
		return &f
	}
	root := Filter{Op: OpAnd, Clauses: make([]Filter, len(filters))}
	for i := range filters {
		root.Clauses[i] = copyFilter(&filters[i])
	}
	return &root
}

func copyFilter(f *Filter) Filter {
	out := *f
	if !f.IsLeaf() {
		out.Clauses = make([]Filter, len(f.Clauses))
		for i := range f.Clauses {
			out.Clauses[i] = copyFilter(&f.Clauses[i])
		}
		return out
	}
	out.Values = append([]string(nil), f.Values...)
	if label := f.Dimension.BlankLabel(); label != "" && (f.Op == OpIs || f.Op == OpIsNot) {
		for _, v := range f.Values {
			if v == label || (f.CaseInsensitive && strings.EqualFold(v, label)) {
				out.Values = append(out.Values, "")
				break
			}
		}
	}
	return out
}

func round(v float64, decimals int) float64 {
	scale := 1.0
	for range decimals {
		scale *= 10
	}
	if v < 0 {
		return -float64(int64(-v*scale+0.5)) / scale
	}
	return float64(int64(v*scale+0.5)) / scale
}

// goalCap says how a plan's goal visitors are capped per day, or nil when
// they need no cap or the rows cannot bound them: public plans and property
// rows count other counters; an hourly bucket splits a day, whose visitors
// are counted once in its first hour; a range starting after midnight
// misses the first rows of the day that bound the rest.
func goalCap(p *Plan, s scopes, public bool, loc *time.Location) *GoalCap {
	if !s[scopeGoal] || public || s[scopeProp] || slices.Contains(p.Dimensions, TimeHour) || loc == nil {
		return nil
	}
	if from := p.From.In(loc); from.Hour() != 0 || from.Minute() != 0 || from.Second() != 0 || from.Nanosecond() != 0 {
		return nil
	}
	var idx []int
	for _, v := range s.visitorSums(false) {
		if i := slices.Index(p.Sums, v); i >= 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	rest := scopes{}
	for k, v := range s {
		if k != scopeGoal {
			rest[k] = v
		}
	}
	bound := rest.visitorSum(false)
	if rest[scopePage] {
		// A page's visitors of every kind: one who only sent an event
		// there is a visitor of the page too (the page's viewers alone
		// would cut them).
		bound = Sum{Counter: CounterPageVisitors}
	}
	return &GoalCap{Sums: idx, Bound: bound}
}

// SplitGoalFilters separates the top-level event:goal leaves (the only
// place they can be) from the rest of a plan's filter.
func SplitGoalFilters(f *Filter) (rest *Filter, goals []Filter) {
	if f == nil {
		return nil, nil
	}
	if f.IsLeaf() {
		if f.Dimension == EventGoal {
			return nil, []Filter{*f}
		}
		return f, nil
	}
	if f.Op != OpAnd {
		return f, nil
	}
	var others []Filter
	for _, c := range f.Clauses {
		if c.IsLeaf() && c.Dimension == EventGoal {
			goals = append(goals, c)
		} else {
			others = append(others, c)
		}
	}
	switch len(others) {
	case 0:
		return nil, goals
	case 1:
		return &others[0], goals
	}
	return &Filter{Op: OpAnd, Clauses: others}, goals
}
