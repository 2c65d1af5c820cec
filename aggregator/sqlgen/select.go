package sqlgen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// Select compiles the plan's groups: one result row per group with the
// dimensions as d0… (time buckets as timestamps to format with
// query.FormatBucket, the others as strings) and then the sums as s0…
// (64-bit integers), in the plan's order and page.
//
// site is the value of the dialect's SiteColumn for p.Site: the name, or
// the id the store assigned it.
//
// A plan without dimensions yields exactly one row, whatever matches, and
// ignores HavingPositive, Limit and Offset. A Limit of 0 means no limit.
func Select(d Dialect, p *query.Plan, site any) (Stmt, error) {
	return selectGroups(&builder{d: d, plan: p, site: site}, p)
}

func selectGroups(b *builder, p *query.Plan) (Stmt, error) {
	if err := Check(p); err != nil {
		return Stmt{}, err
	}
	if len(p.Dimensions) == 0 {
		if err := b.grouped(p); err != nil {
			return Stmt{}, err
		}
		return b.stmt(), nil
	}
	b.write("SELECT ", strings.Join(b.outer(p), ", "), " FROM (")
	if err := b.grouped(p); err != nil {
		return Stmt{}, err
	}
	b.write(")")
	b.having(p)
	b.orderBy(p)
	if p.Limit > 0 {
		b.write(" LIMIT ", b.arg(int64(p.Limit)))
	}
	if p.Offset > 0 {
		b.write(" OFFSET ", b.arg(int64(p.Offset)))
	}
	return b.stmt(), nil
}

// CountGroups compiles the number of groups before pagination (one column,
// an integer). Dialects without window functions need it as a statement
// of its own. site is as for Select.
func CountGroups(d Dialect, p *query.Plan, site any) (Stmt, error) {
	return countGroups(&builder{d: d, plan: p, site: site}, p)
}

func countGroups(b *builder, p *query.Plan) (Stmt, error) {
	if err := Check(p); err != nil {
		return Stmt{}, err
	}
	b.write("SELECT count(*) FROM (")
	// Only the sums the having clause tests are computed.
	keep := func(i int) bool { return slices.Contains(p.HavingPositive, i) || slices.Contains(p.Presence, i) }
	if err := b.groupedSums(p, keep); err != nil {
		return Stmt{}, err
	}
	b.write(")")
	if len(p.Dimensions) > 0 {
		b.having(p)
	}
	return b.stmt(), nil
}

// KnownTotal returns the number of groups before pagination when the page
// of returned groups already tells it, sparing the count statement.
func KnownTotal(p *query.Plan, returned int) (int64, bool) {
	switch {
	case len(p.Dimensions) == 0:
		return 1, true
	case returned == 0 && p.Offset > 0:
		return 0, false // the page may lie beyond the last group
	case p.Limit <= 0 || returned < p.Limit:
		return int64(p.Offset + returned), true
	}
	return 0, false
}

// Earliest compiles the number of the site's rows and their oldest ts (the
// count tells "no rows" apart from a dialect's default minimum). site is as
// for Select.
func Earliest(d Dialect, site any) Stmt {
	b := &builder{d: d}
	b.write("SELECT count(*), min(ts) FROM ", d.Table(), " WHERE ", d.SiteColumn(), " = ", d.SiteArg(b.arg(site)))
	return b.stmt()
}

// grouped writes the aggregation: dimensions, sums, the row selection and
// the grouping.
func (b *builder) grouped(p *query.Plan) error {
	return b.groupedSums(p, func(int) bool { return true })
}

// groupedSums is grouped computing only the sums keep selects.
func (b *builder) groupedSums(p *query.Plan, keep func(int) bool) error {
	// A breakdown by event:goal goes there even when the site has no
	// goals: it has no groups then.
	if len(p.Goals) > 0 || hasGoalDimension(p) {
		return b.goalGrouped(p, keep)
	}
	b.write("SELECT ")
	as := aliases(p)
	for i, dim := range p.Dimensions {
		expr, err := b.dimension(p, dim)
		if err != nil {
			return err
		}
		b.write(expr, " AS ", as[i], ", ")
	}
	n := 0
	for i, s := range p.Sums {
		if !keep(i) {
			continue
		}
		if n > 0 {
			b.write(", ")
		}
		b.write(b.sum(s), " AS s", strconv.Itoa(i))
		n++
	}
	if n == 0 {
		b.write("count(*) AS n")
	}
	if b.rollup != nil {
		// rollup.Eligible admits no goal and no property key.
		b.rollupSource(p)
		b.write(" AND ts >= ", b.arg(p.From.UTC()), " AND ts < ", b.arg(p.To.UTC()))
		if p.PropKey != "" {
			b.write(" AND prop_key = ", b.arg(p.PropKey))
		}
		if p.Filter != nil {
			cond, err := b.filter(p.Filter, 0)
			if err != nil {
				return err
			}
			b.write(" AND ", cond)
		}
	} else {
		b.write(" FROM ", b.d.Table(), " WHERE ")
		if err := b.rows(p, p.Filter); err != nil {
			return err
		}
	}
	b.keepNonEmpty(p.Dimensions)
	if len(p.Dimensions) > 0 {
		b.write(" GROUP BY ", strings.Join(as[:len(p.Dimensions)], ", "))
	}
	return nil
}

// rows writes the condition selecting the plan's rows: the site, the
// range, the property key and filter f.
func (b *builder) rows(p *query.Plan, f *query.Filter) error {
	b.write(b.d.SiteColumn(), " = ", b.siteArg(), " AND ts >= ", b.arg(p.From.UTC()), " AND ts < ", b.arg(p.To.UTC()))
	if vis := b.d.Visible(b.d.Table()); vis != "" {
		b.write(" AND ", vis)
	}
	if p.PropKey != "" {
		b.write(" AND prop_key = ", b.arg(p.PropKey))
	}
	if f != nil {
		cond, err := b.filter(f, 0)
		if err != nil {
			return err
		}
		b.write(" AND ", cond)
	}
	return nil
}

// keepNonEmpty leaves out the rows without a value of a dimension that
// has no blank label (no region, no search term), as a breakdown does;
// filters do not.
func (b *builder) keepNonEmpty(dims []query.Dimension) {
	for _, dim := range dims {
		if keep := b.keepExpr(dim); keep != "" {
			b.write(" AND ", keep)
		}
	}
}

// outer lists the result columns: time bucket keys turned into
// timestamps, the rest as the aggregation named them.
func (b *builder) outer(p *query.Plan) []string {
	cols := aliases(p)
	for i, d := range p.Dimensions {
		if d.IsTime() {
			cols[i] = b.d.BucketStart(d, cols[i])
		}
	}
	return cols
}

// aliases names the result columns: d0… for dimensions, s0… for sums.
func aliases(p *query.Plan) []string {
	out := make([]string, 0, len(p.Dimensions)+len(p.Sums))
	for i := range p.Dimensions {
		out = append(out, "d"+strconv.Itoa(i))
	}
	for i := range p.Sums {
		out = append(out, "s"+strconv.Itoa(i))
	}
	return out
}

func (b *builder) dimension(p *query.Plan, d query.Dimension) (string, error) {
	if d.IsTime() {
		return b.bucket(p, d)
	}
	if d == query.EventGoal {
		return goalColumn, nil
	}
	return b.groupExpr(d), nil
}

func (b *builder) sum(s query.Sum) string {
	col, _ := CounterColumn(s.Counter)
	if s.OnlyKind == 0 {
		return b.d.Sum(col)
	}
	if b.rollup != nil {
		// Rollup rows keep the one kind-restricted sum plans use
		// (rollup.Eligible admits no other).
		return b.d.Sum(PageviewPageVisitors)
	}
	if kc := b.d.KindColumn(col, s.OnlyKind); kc != "" {
		return b.d.Sum(kc)
	}
	return b.d.SumIf(col, "kind = "+b.byteArg(uint8(s.OnlyKind)))
}
