package sqlgen

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// AuditTuples compiles the visitor tuples per day of a site in [from, to)
// (days of loc): grouped by day and the tuple columns (those in blank
// read as empty, as generalisation leaves them), one result row per
// grain — the coarsest grain of a tuple's rows that day — with the number
// of days, of tuples with visitors, and of those with exactly one. The
// columns are fixed names from the caller's own table, never input.
func AuditTuples(d Dialect, site any, loc *time.Location, from, to time.Time, columns, blank []string) Stmt {
	p := &query.Plan{Location: loc, From: from, To: to}
	b := &builder{d: d, plan: p, site: site}
	cols := make([]string, len(columns))
	for i, c := range columns {
		cols[i] = c
		if slices.Contains(blank, c) {
			cols[i] = "''"
		}
		cols[i] += " AS t" + strconv.Itoa(i)
	}
	day, _ := b.bucket(p, query.TimeDay)
	b.write("SELECT g, count(DISTINCT day), count(*), ", d.SumIf("1", "v = 1"), " FROM (SELECT ", day, " AS day, ",
		strings.Join(cols, ", "), ", ", d.Sum("visitors"), " AS v, max(grain) AS g")
	b.write(" FROM ", d.Table(), " WHERE ", d.SiteColumn(), " = ", d.SiteArg(b.arg(site)), " AND ts >= ", b.arg(from.UTC()), " AND ts < ", b.arg(to.UTC()))
	if vis := d.Visible(d.Table()); vis != "" {
		b.write(" AND ", vis)
	}
	b.write(" GROUP BY day")
	for i := range columns {
		b.write(", t", strconv.Itoa(i))
	}
	b.write(") AS tuples WHERE v > 0 GROUP BY g ORDER BY g")
	return b.stmt()
}
