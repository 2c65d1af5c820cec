-- The per-day searchers of a site-search term (event.Counters), from which
-- the publisher bounds the people behind a published term's searches
-- (docs/publishing.md). Rows stored before this migration count 0.
ALTER TABLE events ADD COLUMN public_search_visitors INTEGER DEFAULT 0;
