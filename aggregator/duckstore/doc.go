// Package duckstore is the embedded aggregator.Store on DuckDB: one file,
// columnar and vectorised, written in batches through DuckDB's Appender and
// queried with SQL compiled by sqlgen, every plan value a bound argument.
//
// # Schema
//
// Numbered migrations (migrations/NNN_name.sql) run in order, each in a
// transaction, and are recorded in schema_migrations; a database recorded
// at a version newer than the binary knows is refused. The events table
// holds the columns of event.Row with two changes, both for speed:
//
//   - The site is a UINTEGER site_id, keyed by the sites table. Every query
//     compares it on every row of its range; an integer compares several
//     times faster than a string (about 20 ms of CPU per query on 8.5
//     million rows). Ids are assigned inside the appending transaction and
//     cached in memory once committed; a site without rows has no id and
//     its queries match nothing.
//   - pageview_page_visitors repeats page_visitors on page view rows (0 on
//     the others). Visitors by page sum it instead of testing every row's
//     kind, which took a fifth of that query's time.
//
// # Physical order
//
// Rows are stored in the order they are appended, which is time order for
// a collector, so the min/max statistics DuckDB keeps per row group let a
// date range skip the groups outside it. Sorting the table by (site, ts)
// was measured on 10 million rows: it gains nothing for a site that owns
// most rows, because DuckDB still evaluates the site filter on every row
// of a row group whose statistics prove it true; it would make a small
// site's queries on a shared database cheaper (its "all" queries take
// 20–50 ms unsorted, a few ms sorted). Keeping the table sorted needs a
// periodic rewrite (about a minute for 10 million rows on two cores),
// left for when many sites share one database.
//
// The layout of row groups matters too: a batch that ends inside a row
// group of 122,880 rows leaves a short one behind, and those scan about a
// fifth slower. Small batches do not (checkpoints merge them); bulk loads
// should append whole row groups.
//
// # Writes
//
// Append checks every row (sqlgen.CheckRow), then writes the batch in one
// transaction on a dedicated connection through the Appender. A failure
// anywhere — a constraint, a cancelled context — rolls the whole batch
// back, new site ids included. Appends and deletes are serialised; queries
// run concurrently on pooled connections and see committed batches only.
//
// # Queries
//
// Time buckets are integer arithmetic on microseconds since the epoch
// rather than INTERVAL addition and date_trunc, which go through calendar
// arithmetic on every row; the UTC offsets come from the plan's location
// (query.OffsetSegments), never from DuckDB's time zone functions. The
// number of groups is counted by a second statement only when the page of
// groups does not already tell it.
//
// # Privacy
//
// No column can hold an identifier (DESIGN §1.1). DumpText writes every
// decoded value of every table for the canary test, since DuckDB
// compresses strings and a byte search of the file can miss a leak.
// DeleteBefore checkpoints after deleting so that deleted rows leave the
// write-ahead log; DuckDB may keep the bytes of deleted rows in free blocks
// of the file until they are reused. SQL cannot read or write other files
// (enable_external_access is off) and extensions are never fetched.
package duckstore
