-- A table queries read on a cluster (events over events_local, rollups
-- over rollups_local): it runs each query on every shard's local table and
-- merges the partial aggregates. {cluster} and {database} are names
-- checked by Config.Validate. rand() spreads rows that a bulk load inserts
-- through it; the store itself writes each batch to one shard's table.
CREATE TABLE IF NOT EXISTS {dist} AS {local}
ENGINE = Distributed({cluster}, {database}, {local}, rand())
