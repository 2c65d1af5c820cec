-- Coarser with age (DESIGN §1.6, docs/ageing.md). The events table's
-- grain and age columns are added by the store itself (ageing.go), since
-- ADD COLUMN IF NOT EXISTS is not available on every server version.
--
-- Rollup rows (aggregator/rollup): per site, time bucket, dimension and
-- value, the sums of the event rows holding that value, written with the
-- batch they derive from and carrying its log position (wal.go), and
-- merged with age like event rows. {rollups} is "rollups" on a single
-- server, "rollups_local" on each shard of a cluster. Sorted by site and
-- dimension, so a breakdown reads only its dimension's rows.
CREATE TABLE IF NOT EXISTS {rollups} (
    site        LowCardinality(String),
    ts          DateTime('UTC'),
    grain       UInt8,
    dim         UInt8,
    value       String,
    pageviews              Int64,
    events                 Int64,
    visitors               Int64,
    page_visitors          Int64,
    source_visitors        Int64,
    event_visitors         Int64,
    entry_visitors         Int64,
    visits                 Int64,
    bounces                Int64,
    duration               Int64,
    exits                  Int64,
    time_on_page           Int64,
    timed_views            Int64,
    public_page_visitors   Int64,
    public_source_visitors Int64,
    prop_events            Int64,
    prop_visitors          Int64,
    public_search_visitors Int64,
    pageview_page_visitors Int64,
    wal_log     String,
    wal_up_to   UInt64,
    age         UInt64
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site, dim, ts)
SETTINGS {parts_settings};

-- The merges whose result is visible, per shard: queries read a merge's
-- output rows, and stop reading its source rows, once its job is here.
CREATE TABLE IF NOT EXISTS age_commits (
    job          UInt64,
    committed_at DateTime('UTC')
) ENGINE = MergeTree
ORDER BY job;

-- Merges started on this shard, with their chunks, so that one cut short
-- is finished (or undone) by the next pass.
CREATE TABLE IF NOT EXISTS age_jobs (
    job     UInt64,
    stage   UInt8,
    chunks  String,
    at      DateTime('UTC')
) ENGINE = ReplacingMergeTree(stage)
ORDER BY job;

-- What the store has promised about each site's rows (ageing.State), read
-- and written on the first shard. 0 (1970) stands for no boundary.
CREATE TABLE IF NOT EXISTS ageing_state (
    site              String,
    location          String,
    hour_before       DateTime('UTC'),
    day_before        DateTime('UTC'),
    general_before    DateTime('UTC'),
    rollup_day_before DateTime('UTC'),
    version           UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY site;

-- Whether the rollup rows of the rows stored before rollups existed (or
-- by a bulk load) have been built; the store builds them when not.
CREATE TABLE IF NOT EXISTS rollups_built (
    built   UInt8,
    version UInt64
) ENGINE = MergeTree
ORDER BY version;
