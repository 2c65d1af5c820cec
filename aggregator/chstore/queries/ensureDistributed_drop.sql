-- A Distributed table keeps the columns the shard tables had when it was
-- created: it is created again when they differ.
DROP TABLE IF EXISTS events
