-- The acquisition channel of the session (Plausible's channel rules) and
-- the kept custom properties: a property row (kind 2, prop_key set)
-- carries one kept property of an event, its key and its scrubbed value,
-- with the event's other dimensions, and counts only in prop_events and
-- prop_visitors
-- (docs/plausible.md). Rows stored before this migration have no channel
-- and no property.
ALTER TABLE events ADD COLUMN channel VARCHAR DEFAULT '';
ALTER TABLE events ADD COLUMN prop_key VARCHAR DEFAULT '';
ALTER TABLE events ADD COLUMN prop_value VARCHAR DEFAULT '';
ALTER TABLE events ADD COLUMN prop_events INTEGER DEFAULT 0;
ALTER TABLE events ADD COLUMN prop_visitors INTEGER DEFAULT 0;
