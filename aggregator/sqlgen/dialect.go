// Package sqlgen compiles a query.Plan to SQL for the stores' databases.
// The plan's semantics (which rows, which buckets, which order) live here
// once; a Dialect only spells the few functions that differ between
// databases.
//
// Only fixed identifiers and fixed SQL text from this package's own tables
// are ever concatenated into a statement. Every value that comes from a
// plan — the site, instants, filter values, UTC offsets, scales, limits —
// reaches the database as a bound argument (a "?" placeholder), so a
// hostile filter value can change what a query matches but never what it
// does.
package sqlgen

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Dialect spells the database-specific parts of a statement. Each method
// receives SQL expressions built by this package (which may hold "?"
// placeholders) and must use every one of them exactly once, in the order
// given, so that the bound arguments stay in step with the placeholders.
type Dialect interface {
	// Name names the dialect in errors and golden files.
	Name() string
	// Table is the events table.
	Table() string
	// SiteColumn is the events column that keys the site: the site's name,
	// or an integer the store assigns to each name (comparing an integer
	// is several times cheaper than comparing a string on every row).
	SiteColumn() string
	// Contains is a boolean expression: needle occurs in haystack as a
	// plain substring (no wildcards); an empty needle always occurs.
	Contains(haystack, needle string) string
	// Lower lower-cases a string expression, Unicode-aware.
	Lower(expr string) string
	// Matches is a boolean expression: the RE2 pattern (as accepted by
	// query.CheckPattern) matches somewhere in haystack, "." matching any
	// character including a newline.
	Matches(haystack, pattern string) string
	// Like is a boolean expression: haystack matches the LIKE pattern, in
	// which "%" is any run of characters and a backslash escapes "%", "_"
	// and itself.
	Like(haystack, pattern string) string
	// Lookup maps expr through two parallel string arrays: the value at
	// the position of expr in keys, or '' when expr is not a key.
	Lookup(expr, keys, values string) string
	// Expand turns each row into one row per non-empty string of items (a
	// comma-separated list of string expressions), none for a row whose
	// items are all empty; used in a SELECT list, as a column.
	Expand(items string) string
	// Text types a bound argument as a string where the database cannot
	// infer it (inside a CASE in a list).
	Text(arg string) string
	// AddSeconds shifts the timestamp ts by secs, an integer expression,
	// giving a wall time in the dialect's own representation: Truncate is
	// its only consumer.
	AddSeconds(ts, secs string) string
	// Truncate returns a key for the time bucket d holding the wall time
	// (as AddSeconds returns it): equal within a bucket, ordered as the
	// buckets are. Weeks start on Monday.
	Truncate(d query.Dimension, wall string) string
	// BucketStart turns a bucket key into a timestamp whose UTC reading is
	// the bucket's start.
	BucketStart(d query.Dimension, key string) string
	// Sum is the 64-bit integer sum of expr over a group, 0 when the
	// group is empty.
	Sum(expr string) string
	// SumIf is Sum over the rows where cond holds.
	SumIf(expr, cond string) string
	// KindColumn names a column the store fills with counter's value on
	// rows of kind and 0 on the others, or returns "" if it keeps none; a
	// sum restricted to that kind then reads it instead of testing the kind
	// of every row.
	KindColumn(counter string, kind event.Kind) string
	// Float converts a numeric expression to a 64-bit float.
	Float(expr string) string
	// SiteArg types a bound argument compared with SiteColumn as the
	// column is stored, and ByteArg one compared with an unsigned 8-bit
	// column (kind, dim). A database that binds every Go integer as a
	// 64-bit one would otherwise widen the column on every row instead,
	// and a widened column no longer lets it skip blocks of rows by their
	// stored minimum and maximum.
	SiteArg(arg string) string
	ByteArg(arg string) string
	// Int64 converts an integer expression to a signed 64-bit integer.
	Int64(expr string) string
	// BitSet is the condition that the integer expr has the bits of the
	// integer bit set.
	BitSet(expr, bit string) string
	// JoinParts joins string expressions as rollup.JoinValue does in Go,
	// and Part returns the n-th (from 1) part of such a value: the rollup
	// rows of several columns (rollup.Props) are built and read with them.
	JoinParts(parts []string) string
	Part(value string, n int) string
	// Visible is a condition every row read from table must meet, or ""
	// for none: a store that merges aged rows without transactions hides
	// the rows of an unfinished merge with it (chstore).
	Visible(table string) string
}

// EventsTable is the events table in every dialect.
const EventsTable = "events"
