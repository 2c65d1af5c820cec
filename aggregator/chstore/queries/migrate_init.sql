-- The schema version of this server's tables: one row per applied
-- migration. Each shard of a cluster keeps its own.
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    UInt32,
    name       String,
    applied_at DateTime('UTC')
) ENGINE = MergeTree
ORDER BY version
