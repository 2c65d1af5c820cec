-- A site's own keep/scrub rules for page paths, one per line
-- (collector/urlscrub.ParseRules). DuckDB adds no NOT NULL column: Sites
-- reads a missing value as no rules.
ALTER TABLE sites ADD COLUMN scrub_rules VARCHAR DEFAULT '';
