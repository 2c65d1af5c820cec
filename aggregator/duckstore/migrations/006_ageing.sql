-- Coarser with age (DESIGN §1.6, docs/ageing.md). grain is the time
-- resolution of an event row: 0 minute, 1 hour, 2 day, 3 day without the
-- generalised columns.
ALTER TABLE events ADD COLUMN grain UTINYINT DEFAULT 0;

-- Rollup rows (aggregator/rollup): per site, time bucket, dimension and
-- value, the sums of the event rows holding that value. Written in the
-- transaction that appends the event rows; grain 0 is a quarter of an
-- hour in UTC, 2 a day of the site's zone. The sums are 64-bit: a day of
-- a large site's totals outgrows the event rows' 32-bit counters. A
-- counter added to the events later is added here by the store itself,
-- which then derives the rollup rows again (rollups.go).
CREATE TABLE rollups (
    site_id         UINTEGER  NOT NULL,
    ts              TIMESTAMP NOT NULL,
    grain           UTINYINT  NOT NULL,
    dim             UTINYINT  NOT NULL,
    value           VARCHAR   NOT NULL,
    pageviews       BIGINT    NOT NULL,
    events          BIGINT    NOT NULL,
    visitors        BIGINT    NOT NULL,
    page_visitors   BIGINT    NOT NULL,
    source_visitors BIGINT    NOT NULL,
    event_visitors  BIGINT    NOT NULL,
    entry_visitors  BIGINT    NOT NULL,
    visits          BIGINT    NOT NULL,
    bounces         BIGINT    NOT NULL,
    duration        BIGINT    NOT NULL,
    exits           BIGINT    NOT NULL,
    time_on_page    BIGINT    NOT NULL,
    timed_views     BIGINT    NOT NULL,
    public_page_visitors   BIGINT NOT NULL,
    public_source_visitors BIGINT NOT NULL,
    prop_events            BIGINT NOT NULL,
    prop_visitors          BIGINT NOT NULL,
    public_search_visitors BIGINT NOT NULL,
    pageview_page_visitors BIGINT NOT NULL
);

-- What the store has promised about each site's rows (ageing.State): the
-- zone of its hours and days and the boundary of each step. A promise is
-- written before the rows are merged, so queries are refused first.
CREATE TABLE ageing (
    site_id           UINTEGER  NOT NULL PRIMARY KEY,
    location          VARCHAR   NOT NULL,
    hour_before       TIMESTAMP,
    day_before        TIMESTAMP,
    general_before    TIMESTAMP,
    rollup_day_before TIMESTAMP
);

-- Whether the rollup rows of the rows stored before this migration have
-- been built (the store builds them on its first start).
CREATE TABLE rollups_built (built BOOLEAN NOT NULL);
