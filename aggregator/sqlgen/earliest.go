package sqlgen

import (
	"time"

	"github.com/shukei-analytics/shukei/aggregator/rollup"
)

// Finding the site's oldest row with Earliest reads the ts of every row
// of the site, on every request for the whole range. The rollup rows
// narrow it down: they are written in the transaction of their event
// rows, every event row adds to the Totals row of its bucket, and a
// bucket starts at most a day before its rows. The oldest Totals row
// therefore tells within a few days where the oldest event row is, and
// the exact answer is then the oldest row within those days: a scan the
// ts column's block minima and maxima bound to a few blocks.

// Margins of EarliestWindow. The Totals row of a row's original bucket
// starts no later than the row's original ts. Ageing moves the row's ts
// back to the start of its hour, then of its day (at most 25 hours, on a
// day that leaves daylight saving time), and once more by up to a day if
// the site's zone changed between the steps: no event row lies more than
// 51 hours before its Totals row; a store that reads the Totals row and
// the event rows in two snapshots (ClickHouse) may see a merge committed
// in between move rows back by another day. The rows of a Totals row lie
// less than a day (25 hours) after its start.
const (
	earliestBefore = 96 * time.Hour
	earliestAfter  = 26 * time.Hour
)

// EarliestWindow returns the range [from, to) that holds the site's oldest
// event row when bucket is the ts of its oldest Totals rollup row and the
// site has event rows in that range. No event row of the site is older
// than from, so the oldest row in the range is the site's oldest; when the
// range has none (its rows were deleted), Earliest over every row answers.
func EarliestWindow(bucket time.Time) (from, to time.Time) {
	return bucket.Add(-earliestBefore), bucket.Add(earliestAfter)
}

// EarliestBucket compiles the number of the site's Totals rollup rows and
// their oldest ts. site is as for Select.
func EarliestBucket(d Dialect, site any) Stmt {
	b := &builder{d: d, site: site}
	b.write("SELECT count(*), min(ts)")
	b.rollupRows(rollup.Totals, nil)
	return b.stmt()
}

// EarliestWithin is Earliest over the site's rows with from ≤ ts < to.
func EarliestWithin(d Dialect, site any, from, to time.Time) Stmt {
	b := &builder{d: d, site: site}
	b.write("SELECT count(*), min(ts) FROM ", d.Table(), " WHERE ", d.SiteColumn(), " = ", b.siteArg(),
		" AND ts >= ", b.arg(from.UTC()), " AND ts < ", b.arg(to.UTC()))
	return b.stmt()
}
