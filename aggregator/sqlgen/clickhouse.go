package sqlgen

import (
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// ClickHouse is the dialect of the ClickHouse store. It stays inside what
// both ClickHouse 18.16 and current releases accept: no window functions,
// no WITH subqueries, no toStartOfWeek or toStartOfInterval.
var ClickHouse Dialect = clickHouse{}

// ClickHouseAged is the dialect for a database whose rows are merged with
// age (chstore): every row read must be visible under the database's
// commit table (Visible). database is a name checked by chstore's
// Config.Validate (letters, digits and _).
func ClickHouseAged(database string) Dialect {
	return clickHouse{commits: database + "." + AgeCommitsTable}
}

type clickHouse struct {
	// commits is the qualified commit table, "" for a store that never
	// merges rows.
	commits string
}

// AgeCommitsTable lists the merges whose result is visible (chstore).
const AgeCommitsTable = "age_commits"

// AgeOutput marks a merge's output rows in the age column: a row whose age
// is a job J below it is a source claimed by merge J, one whose age is
// J|AgeOutput an output of merge J, and 0 is neither.
const AgeOutput = 1 << 62

func (clickHouse) Name() string  { return "clickhouse" }
func (clickHouse) Table() string { return EventsTable }

// SiteColumn: the name itself; the table is ordered by it.
func (clickHouse) SiteColumn() string { return "site" }

func (clickHouse) Int64(expr string) string { return "toInt64(" + expr + ")" }

func (clickHouse) BitSet(expr, bit string) string { return "(bitAnd(" + expr + ", " + bit + ") != 0)" }

// JoinParts and Part spell rollup.JoinValue's escaping with escapes in
// string literals, which ClickHouse reads.
func (clickHouse) JoinParts(parts []string) string {
	esc := make([]string, len(parts))
	for i, p := range parts {
		esc[i] = `replaceAll(replaceAll(` + p + `, '\x1E', '\x1E0'), '\x1F', '\x1E1')`
	}
	return "concat(" + strings.Join(esc, `, '\x1F', `) + ")"
}

func (clickHouse) Part(value string, n int) string {
	return `replaceAll(replaceAll(splitByChar('\x1F', ` + value + `)[` + strconv.Itoa(n) + `], '\x1E1', '\x1F'), '\x1E0', '\x1E')`
}

// SiteArg and ByteArg: bound values reach ClickHouse as literals, which it
// compares with the column's type as they are.
func (clickHouse) SiteArg(arg string) string { return arg }
func (clickHouse) ByteArg(arg string) string { return arg }

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

// Visible hides the rows of merges in progress (chstore/ageing.go): a
// source row once its merge has committed, an output row until it has.
// The commit table is read on each shard for its own rows (a plain IN on
// a Distributed query runs the subquery on every shard).
func (c clickHouse) Visible(string) string {
	if c.commits == "" {
		return ""
	}
	return "(age = 0 OR ((age < " + strconv.FormatUint(AgeOutput, 10) + ") != (bitAnd(age, " + strconv.FormatUint(AgeOutput-1, 10) +
		") IN (SELECT job FROM " + c.commits + "))))"
}
