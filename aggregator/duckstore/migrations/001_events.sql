-- The sites, each keyed by a small integer: every query filters the events
-- of one site, and comparing an integer on every row is several times
-- cheaper than comparing the name.
CREATE TABLE sites (
    id   UINTEGER PRIMARY KEY,
    name VARCHAR  NOT NULL UNIQUE
);

-- The identifier-free rows (DESIGN §3). No column can hold an IP address,
-- a User-Agent string, a raw URL or a visitor or session identifier.
--
-- Rows arrive in time order, so DuckDB's per-row-group min/max statistics
-- on ts let a date range skip the row groups outside it.
CREATE TABLE events (
    site_id         UINTEGER  NOT NULL, -- sites.id (no FOREIGN KEY: it would check every appended row)
    ts              TIMESTAMP NOT NULL,
    kind            UTINYINT  NOT NULL CHECK (kind BETWEEN 1 AND 3),
    name            VARCHAR   NOT NULL DEFAULT '',
    hostname        VARCHAR   NOT NULL DEFAULT '',
    path            VARCHAR   NOT NULL DEFAULT '',
    entry_path      VARCHAR   NOT NULL DEFAULT '',
    referrer_source VARCHAR   NOT NULL DEFAULT '',
    referrer_host   VARCHAR   NOT NULL DEFAULT '',
    utm_source      VARCHAR   NOT NULL DEFAULT '',
    utm_medium      VARCHAR   NOT NULL DEFAULT '',
    utm_campaign    VARCHAR   NOT NULL DEFAULT '',
    utm_content     VARCHAR   NOT NULL DEFAULT '',
    utm_term        VARCHAR   NOT NULL DEFAULT '',
    search_term     VARCHAR   NOT NULL DEFAULT '',
    country         VARCHAR   NOT NULL DEFAULT '',
    region          VARCHAR   NOT NULL DEFAULT '',
    city            VARCHAR   NOT NULL DEFAULT '',
    browser         VARCHAR   NOT NULL DEFAULT '',
    browser_version VARCHAR   NOT NULL DEFAULT '',
    os              VARCHAR   NOT NULL DEFAULT '',
    os_version      VARCHAR   NOT NULL DEFAULT '',
    device          VARCHAR   NOT NULL DEFAULT '',
    screen          VARCHAR   NOT NULL DEFAULT '',
    language        VARCHAR   NOT NULL DEFAULT '',
    pageviews       INTEGER   NOT NULL DEFAULT 0,
    events          INTEGER   NOT NULL DEFAULT 0,
    visitors        INTEGER   NOT NULL DEFAULT 0,
    page_visitors   INTEGER   NOT NULL DEFAULT 0,
    source_visitors INTEGER   NOT NULL DEFAULT 0,
    event_visitors  INTEGER   NOT NULL DEFAULT 0,
    entry_visitors  INTEGER   NOT NULL DEFAULT 0,
    visits          INTEGER   NOT NULL DEFAULT 0,
    bounces         INTEGER   NOT NULL DEFAULT 0,
    duration        INTEGER   NOT NULL DEFAULT 0,
    exits           INTEGER   NOT NULL DEFAULT 0,
    time_on_page    INTEGER   NOT NULL DEFAULT 0,
    timed_views     INTEGER   NOT NULL DEFAULT 0,
    -- page_visitors on page view rows, 0 on the others, filled by Append:
    -- visitors by page sum it instead of testing every row's kind.
    pageview_page_visitors INTEGER NOT NULL DEFAULT 0
);
