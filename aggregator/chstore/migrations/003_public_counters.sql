-- The public counters (event.Counters): the visitors counted in published
-- statistics, bounded per visitor and day in the collector so that the
-- noise's assumed sensitivity holds (docs/publishing.md). Rows stored
-- before this migration never count in public.
ALTER TABLE {table} ADD COLUMN public_page_visitors Int32 DEFAULT 0;
ALTER TABLE {table} ADD COLUMN public_source_visitors Int32 DEFAULT 0;
