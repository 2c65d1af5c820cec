-- The identifier-free rows (DESIGN §3). No column can hold an IP address,
-- a User-Agent string, a raw URL or a visitor or session identifier.
--
-- {table} is "events" on a single server, "events_local" on each shard of
-- a cluster (the Distributed table "events" reads them all).
--
-- Partitions are months: retention drops whole ones where it can. The
-- sorting key puts a site's rows together in time order, so the primary
-- index narrows every query (one site, one date range) to the granules
-- it needs; see doc.go for the orders measured.
--
-- Columns with few distinct values are LowCardinality (a dictionary per
-- part): two thirds of the bytes and 55-70 % of the query time of String
-- on 10 million rows (docs/clickhouse.md). Paths, search terms and the free-form UTM content and term
-- stay String, since a site can have very many of them.
--
-- {parts_settings} keeps replaced parts (and with them deleted rows) on
-- disk for the store's old_parts_lifetime only (Config.OldPartsLifetime).
CREATE TABLE IF NOT EXISTS {table} (
    site            LowCardinality(String),
    ts              DateTime('UTC'),
    kind            UInt8,
    name            LowCardinality(String),
    hostname        LowCardinality(String),
    path            String,
    entry_path      String,
    referrer_source LowCardinality(String),
    referrer_host   LowCardinality(String),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_content     String,
    utm_term        String,
    search_term     String,
    country         LowCardinality(String),
    region          LowCardinality(String),
    city            LowCardinality(String),
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device          LowCardinality(String),
    screen          LowCardinality(String),
    language        LowCardinality(String),
    pageviews       Int32,
    events          Int32,
    visitors        Int32,
    page_visitors   Int32,
    source_visitors Int32,
    event_visitors  Int32,
    entry_visitors  Int32,
    visits          Int32,
    bounces         Int32,
    duration        Int32,
    exits           Int32,
    time_on_page    Int32,
    timed_views     Int32
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site, ts)
SETTINGS {parts_settings};
