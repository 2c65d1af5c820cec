-- The acquisition channel of the session (Plausible's channel rules) and
-- the kept custom properties: a property row (kind 2, prop_key set)
-- carries one kept property of an event, its key and its scrubbed value,
-- with the event's other dimensions, and counts only in prop_events and
-- prop_visitors
-- (docs/plausible.md). Rows stored before this migration have no channel
-- and no property. The channel and the key take few values
-- (LowCardinality); property values, like paths, can be many (String).
ALTER TABLE {table} ADD COLUMN channel LowCardinality(String) DEFAULT '';
ALTER TABLE {table} ADD COLUMN prop_key LowCardinality(String) DEFAULT '';
ALTER TABLE {table} ADD COLUMN prop_value String DEFAULT '';
ALTER TABLE {table} ADD COLUMN prop_events Int32 DEFAULT 0;
ALTER TABLE {table} ADD COLUMN prop_visitors Int32 DEFAULT 0;
