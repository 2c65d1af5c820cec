-- The table queries read on a cluster: it runs each query on every shard's
-- events_local and merges the partial aggregates. {cluster} and
-- {database} are names checked by Config.Validate. rand() spreads rows
-- that a bulk load inserts through this table; the store itself writes
-- each batch to one shard's events_local.
CREATE TABLE IF NOT EXISTS events AS events_local
ENGINE = Distributed({cluster}, {database}, events_local, rand())
