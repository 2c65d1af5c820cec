-- Goals added in the dashboard or through /api/v1/sites/goals (goals of a
-- -goal flag are not stored). An event goal has an event name, a page goal
-- a page path; display names are unique per site.
CREATE SEQUENCE goals_id START 1;
CREATE TABLE goals (
    id           BIGINT    PRIMARY KEY DEFAULT nextval('goals_id'),
    domain       VARCHAR   NOT NULL,
    event_name   VARCHAR   NOT NULL DEFAULT '',
    page_path    VARCHAR   NOT NULL DEFAULT '',
    display_name VARCHAR   NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (domain, display_name)
);
