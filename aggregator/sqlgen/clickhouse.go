package sqlgen

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// ClickHouse is the dialect of the ClickHouse store. It stays inside what
// both ClickHouse 18.16 and current releases accept: no window functions,
// no WITH subqueries, no toStartOfWeek or toStartOfInterval.
var ClickHouse Dialect = clickHouse{}

type clickHouse struct{}

func (clickHouse) Name() string  { return "clickhouse" }
func (clickHouse) Table() string { return EventsTable }

// SiteColumn: the name itself; the table is ordered by it.
func (clickHouse) SiteColumn() string { return "site" }

// Contains uses positionUTF8, which has no wildcards; it returns 1 for an
// empty needle.
func (clickHouse) Contains(haystack, needle string) string {
	return "(positionUTF8(" + haystack + ", " + needle + ") > 0)"
}

func (clickHouse) Lower(expr string) string { return "lowerUTF8(" + expr + ")" }

// Matches uses match(): RE2, unanchored, "." matching a newline too.
func (clickHouse) Matches(haystack, pattern string) string {
	return "match(" + haystack + ", " + pattern + ")"
}

// Expand uses arrayJoin, which repeats the row once per element.
func (clickHouse) Expand(items string) string {
	return "arrayJoin(arrayFilter(x -> x != '', [" + items + "]))"
}

func (clickHouse) Text(arg string) string { return arg }

// Like: a backslash escapes in ClickHouse's LIKE patterns.
func (clickHouse) Like(haystack, pattern string) string {
	return "(" + haystack + " LIKE " + pattern + ")"
}

func (clickHouse) Lookup(expr, keys, values string) string {
	return "transform(" + expr + ", " + keys + ", " + values + ", '')"
}

func (clickHouse) AddSeconds(ts, secs string) string {
	return "addSeconds(" + ts + ", " + secs + ")"
}

// Truncate passes 'UTC' explicitly: the wall time is read as UTC, whatever
// the server's or the column's time zone.
func (clickHouse) Truncate(d query.Dimension, wall string) string {
	switch d {
	case query.TimeHour:
		return "toStartOfHour(" + wall + ", 'UTC')"
	case query.TimeWeek:
		return "toDateTime(toMonday(" + wall + ", 'UTC'), 'UTC')"
	case query.TimeMonth:
		return "toDateTime(toStartOfMonth(" + wall + ", 'UTC'), 'UTC')"
	}
	return "toStartOfDay(" + wall + ", 'UTC')"
}

// BucketStart has nothing to do: Truncate returns a DateTime already.
func (clickHouse) BucketStart(_ query.Dimension, key string) string { return key }

func (clickHouse) Sum(expr string) string { return "toInt64(sum(" + expr + "))" }

func (clickHouse) SumIf(expr, cond string) string {
	return "toInt64(sumIf(" + expr + ", " + cond + "))"
}

// KindColumn: sumIf is cheap enough in ClickHouse.
func (clickHouse) KindColumn(string, event.Kind) string { return "" }

func (clickHouse) Float(expr string) string { return "toFloat64(" + expr + ")" }

// Visible: no condition.
func (clickHouse) Visible(string) string { return "" }
