package ageing

import (
	"fmt"
	"slices"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// GeneralisedColumns are the event columns emptied on rows merged to days
// when the site generalises (DESIGN §1.6): the most identifying detail and
// the least used over long ranges. Families stay (browser, OS, country,
// region); versions, city and screen class go.
var GeneralisedColumns = []string{"browser_version", "os_version", "city", "screen"}

// Generalised lists the dimensions stored in GeneralisedColumns.
var Generalised = []query.Dimension{query.BrowserVersion, query.OSVersion, query.City, query.Screen}

// IsGeneralised reports whether d reads a generalised column (the city's
// name reads the city, too).
func IsGeneralised(d query.Dimension) bool {
	col, ok := sqlgen.DimensionColumn(d)
	return ok && slices.Contains(GeneralisedColumns, col)
}

// Check refuses a plan the site's aged rows cannot answer exactly: one
// whose range starts or ends inside an hour or a day that rows are merged
// to, whose time buckets split such an hour or day, or that groups or
// filters by a generalised column over a generalised period. The error is
// a *query.Error (the client asked for something the stored rows no
// longer hold), naming the boundary and the policy.
func Check(p *query.Plan, s State) error {
	if s.IsZero() || s.Location == nil {
		return nil
	}
	if p.From.Before(s.GeneralBefore) {
		for i, d := range p.Dimensions {
			if IsGeneralised(d) {
				return generalisedErr(fmt.Sprintf("dimensions[%d]", i), d, p, s)
			}
		}
		var bad query.Dimension
		walkLeaves(p.Filter, func(f *query.Filter) {
			if bad == "" && IsGeneralised(f.Dimension) {
				bad = f.Dimension
			}
		})
		if bad != "" {
			return generalisedErr("filters", bad, p, s)
		}
	}
	return checkSpans(p, s.Location, s.DayBefore, s.HourBefore, func(field string, g Grain, until time.Time) error {
		return grainErr(field, g, until, p, s)
	})
}

// RollupFits reports whether the rollup rows of a site answer the plan
// exactly: days before s.RollupDayBefore and quarters of an hour after it
// fall wholly inside or outside the range and inside one time bucket.
// Callers first pass Check and rollup.Eligible.
func RollupFits(p *query.Plan, s State) bool {
	for _, d := range p.Dimensions {
		if d.IsTime() && !knownTime(d) {
			return false
		}
	}
	if !IsQuarterStart(ceilMinute(p.From)) || !IsQuarterStart(ceilMinute(p.To)) {
		return false
	}
	if s.Location == nil || s.RollupDayBefore.IsZero() {
		return true
	}
	return checkSpans(p, s.Location, s.RollupDayBefore, time.Time{}, func(string, Grain, time.Time) error {
		return errMisfit
	}) == nil
}

var errMisfit = fmt.Errorf("misfit")

// Source picks the rows that answer p under the promise s: one rollup
// dimension's rows (rollup.Eligible) or the goal rollup rows
// (rollup.EligibleGoals) when they answer it exactly and their buckets fit
// (RollupFits; with a goal cap, its days too), the event rows otherwise
// and whenever rollups is false.
func Source(p *query.Plan, s State, rollups bool) sqlgen.Source {
	if !rollups {
		return sqlgen.Source{}
	}
	if dim, ok := rollup.Eligible(p); ok && RollupFits(p, s) {
		return sqlgen.Source{Rollup: &dim}
	}
	if !rollup.EligibleGoals(p) {
		return sqlgen.Source{}
	}
	fit := p
	if p.GoalCap != nil {
		// The cap sums each local day on its own: a day must not split a
		// rollup row either.
		q := *p
		q.Dimensions = append(slices.Clone(p.Dimensions), query.TimeDay)
		fit = &q
	}
	if !RollupFits(fit, s) {
		return sqlgen.Source{}
	}
	return sqlgen.Source{Goals: true}
}

// checkSpans walks the stored spans that overlap the plan's range — days
// of loc before dayBefore, hours of loc from there to hourBefore — and
// calls fail for the first one that the range's bounds or a time bucket
// would split. Spans from hourBefore on are minutes (or quarters) that
// every bound and bucket respects.
func checkSpans(p *query.Plan, loc *time.Location, dayBefore, hourBefore time.Time, fail func(field string, g Grain, until time.Time) error) error {
	from, to := ceilMinute(p.From), ceilMinute(p.To)
	if !from.Before(hourBefore) && !from.Before(dayBefore) {
		return nil
	}
	visit := func(start, end time.Time, g Grain, until time.Time) error {
		if start.Before(from) && end.After(from) {
			return fail("date_range", g, until)
		}
		if start.Before(to) && end.After(to) {
			return fail("date_range", g, until)
		}
		if !start.Before(from) && !end.After(to) {
			for i, d := range p.Dimensions {
				if d.IsTime() && !sameBucket(d, p.Location, start, end.Add(-time.Minute)) {
					return fail(fmt.Sprintf("dimensions[%d]", i), g, until)
				}
			}
		}
		return nil
	}
	// Days first, then hours; neither walk goes past the range.
	t := StartOfDay(minTime(from, dayBefore), loc)
	for t.Before(dayBefore) && t.Before(to) {
		next := StartOfDay(t.Add(36*time.Hour), loc)
		if err := visit(t, next, Day, dayBefore); err != nil {
			return err
		}
		t = next
	}
	t = latest(dayBefore, StartOfHour(from, loc))
	for t.Before(hourBefore) && t.Before(to) {
		next := StartOfHour(t.Add(90*time.Minute), loc)
		if err := visit(t, next, Hour, hourBefore); err != nil {
			return err
		}
		t = next
	}
	return nil
}

// sameBucket reports whether instants a and b fall in the same bucket of
// the time dimension d in loc. A time dimension finer than an hour (or one
// this package does not know) never spans a stored hour.
func sameBucket(d query.Dimension, loc *time.Location, a, b time.Time) bool {
	if !knownTime(d) {
		return false
	}
	if loc == nil {
		loc = time.UTC
	}
	return query.TruncateWall(d, wall(a.In(loc))).Equal(query.TruncateWall(d, wall(b.In(loc))))
}

// knownTime reports whether d is a time dimension of an hour or coarser.
func knownTime(d query.Dimension) bool {
	switch d {
	case query.TimeHour, query.TimeDay, query.TimeWeek, query.TimeMonth:
		return true
	}
	return false
}

// wall reads t's wall clock as a UTC time, as query.TruncateWall expects.
func wall(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, time.UTC)
}

// ceilMinute rounds t up to the minute: rows are stamped to the minute, so
// a range ending at 10:59:01 (an inclusive date-time) selects the same
// rows as one ending at 11:00.
func ceilMinute(t time.Time) time.Time {
	if c := t.Truncate(time.Minute); !c.Equal(t) {
		return c.Add(time.Minute)
	}
	return t
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// walkLeaves calls fn on every leaf of a filter tree.
func walkLeaves(f *query.Filter, fn func(*query.Filter)) {
	if f == nil {
		return
	}
	if len(f.Clauses) == 0 {
		fn(f)
		return
	}
	for i := range f.Clauses {
		walkLeaves(&f.Clauses[i], fn)
	}
}

func grainErr(field string, g Grain, until time.Time, p *query.Plan, s State) error {
	unit := "hour"
	if g != Hour {
		unit = "day"
	}
	what := "the date range must start and end on a whole " + unit
	if field != "date_range" {
		what = fmt.Sprintf("%s buckets would split them", p.Dimensions[dimIndex(field)])
	}
	return &query.Error{Field: field, Message: fmt.Sprintf(
		"rows before %s are kept per %s (zone %s) by the site's ageing policy, and %s; choose a coarser time dimension or a range from %s on",
		formatInstant(until, p.Location), unit, s.Location, what, formatInstant(until, p.Location))}
}

func generalisedErr(field string, d query.Dimension, p *query.Plan, s State) error {
	return &query.Error{Field: field, Message: fmt.Sprintf(
		"%s is not kept for rows before %s: the site's ageing policy keeps browser and OS families, country and region on rows older than that, but not versions, city or screen class; choose a range from %s on",
		d, formatInstant(s.GeneralBefore, p.Location), formatInstant(s.GeneralBefore, p.Location))}
}

func dimIndex(field string) int {
	var i int
	_, _ = fmt.Sscanf(field, "dimensions[%d]", &i)
	return i
}

func formatInstant(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	if l.Hour() == 0 && l.Minute() == 0 {
		return l.Format("2006-01-02")
	}
	return l.Format("2006-01-02T15:04:05-07:00")
}
