// Package chstore is the aggregator.Store on ClickHouse, for sites that
// outgrow one machine: a single server, or a cluster of shards. It speaks
// the native protocol through clickhouse-go and stays inside what both
// ClickHouse 18.16 (the test server) and current releases accept.
//
// # Schema
//
// Numbered migrations (migrations/NNN_name.sql) run in order on every
// server and are recorded in each server's schema_migrations; a server
// recorded at a version newer than the binary knows is refused before any
// server is changed. ClickHouse has no transactional DDL, so statements
// are written to be safe to repeat.
//
// On a single server the rows are in the MergeTree table "events". On a
// cluster (Config.Cluster) every shard has its own MergeTree table
// "events_local" and a Distributed table "events" over all of them, both
// created by the store on each shard (ON CLUSTER would need ZooKeeper).
// sqlgen's queries read "events" either way.
//
// The table is partitioned by month (retention drops whole months) and
// sorted by (site, ts): every query reads one site over one date range,
// which the primary index narrows to the granules needed. Sorting by
// (site, hour, path, ts), for better compression of the path columns, was
// measured beside it on 10 million rows: as fast for 30 days, slower for
// a day, six months and all time. Columns with few distinct values per
// site — the site, names, sources, places, clients — are
// LowCardinality(String): two thirds of the bytes of String and 55–70 %
// of its query time over 30 days or more (docs/clickhouse.md, Figures).
// Servers before 19.1 create such columns only with a setting that later
// servers reject; the store sends it to those servers only.
//
// # Writes
//
// Append checks every row, then sends the whole batch as one block of one
// INSERT with an explicit column list (never INSERT … VALUES text, which
// would carry the values in the statement) to one shard, the shards taking
// batches in turn as often as their weights in the cluster's
// configuration. Batches are not inserted through the Distributed table:
// it would split each one between shards, and a shard failing after
// another stored its part would leave half a batch stored and make the
// retry count the other half twice. Each statement, inserts included, has
// a deadline (Config.QueryTimeout).
//
// # Queries
//
// Queries are compiled by sqlgen's ClickHouse dialect with every plan value
// bound client-side by the driver (escaped into the text as literals,
// never spliced by this package). Instants outside DateTime's range are
// clamped to it, since DateTime wraps silently.
//
// # Privacy
//
// No column can hold an identifier (DESIGN §1.1), and the rows reach the
// server as binary column data, not in the INSERT's text, so they do not
// appear in a server's query log. DumpText writes every decoded value of
// every table on every shard for the canary test. The driver's logger is
// left off: it would log statements.
package chstore
