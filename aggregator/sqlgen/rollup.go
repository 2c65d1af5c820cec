package sqlgen

import (
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
)

// RollupsTable holds the rollup rows (aggregator/rollup) in every dialect:
// the site column, ts, grain, dim, value, then rollup.Counters.
const RollupsTable = "rollups"

// Rollup rows sum page visitors on page view rows into the column the
// DuckDB store keeps on its event rows (PageviewPageVisitors).

// Source says which rows a statement reads instead of the event rows:
// one rollup dimension's rows, or a goal plan's goal rollup rows
// (goalrollup.go). The zero Source reads the event rows. The caller has
// checked that the rows it names answer the plan exactly (rollup.Eligible
// or rollup.EligibleGoals, and ageing.RollupFits: ageing.Source does
// both); the groups, their order and their sums are then those Select
// computes.
type Source struct {
	Rollup *rollup.Dim
	Goals  bool
}

// SelectFrom is Select over the rows src names.
func SelectFrom(d Dialect, p *query.Plan, site any, src Source) (Stmt, error) {
	return selectGroups(&builder{d: d, plan: p, site: site, rollup: src.Rollup, goalRollup: src.Goals}, p)
}

// CountGroupsFrom is CountGroups over the rows src names.
func CountGroupsFrom(d Dialect, p *query.Plan, site any, src Source) (Stmt, error) {
	return countGroups(&builder{d: d, plan: p, site: site, rollup: src.Rollup, goalRollup: src.Goals}, p)
}

// rollupSource writes the FROM clause over the rollup rows and the
// site's and dimension's condition, leaving the WHERE open for more. The
// rows are read through a subquery that names their value after the event
// column it stands for, so that every expression this package builds on
// event rows (values, labels, filters, buckets) reads them unchanged.
func (b *builder) rollupSource(p *query.Plan) {
	cols := []string{"ts"}
	if col := rollup.Column(*b.rollup); col != "" {
		cols = append(cols, "value AS "+col)
	}
	for i, col := range rollup.Parts(*b.rollup) {
		cols = append(cols, b.d.Part("value", i+1)+" AS "+col)
	}
	cols = append(cols, rollup.Counters...)
	b.write(" FROM (SELECT ", strings.Join(cols, ", "))
	b.rollupRows(*b.rollup, p)
	b.write(") AS r WHERE 1 = 1")
}

// RollupValue is the SQL expression of rollup dimension id's value on an
// event row, as rollup.ValueOf computes it in Go: its column, its parts
// joined (Dialect.JoinParts), or the empty string for the totals. text
// wraps each column the value reads.
func RollupValue(d Dialect, id rollup.Dim, text func(string) string) string {
	if col := rollup.Column(id); col != "" {
		return text(col)
	}
	parts := rollup.Parts(id)
	if parts == nil {
		return "''"
	}
	cols := make([]string, len(parts))
	for i, col := range parts {
		cols[i] = text(col)
	}
	return d.JoinParts(cols)
}

// rollupRows writes the FROM and WHERE selecting the site's visible
// rollup rows of dim, within p's range when p is set.
func (b *builder) rollupRows(dim rollup.Dim, p *query.Plan) {
	b.write(" FROM ", RollupsTable, " WHERE ", b.d.SiteColumn(), " = ", b.siteArg(), " AND dim = ", b.byteArg(uint8(dim)))
	if p != nil {
		b.write(" AND ts >= ", b.arg(p.From.UTC()), " AND ts < ", b.arg(p.To.UTC()))
	}
	if f := b.d.Visible(RollupsTable); f != "" {
		b.write(" AND ", f)
	}
}
