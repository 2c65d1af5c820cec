-- The log columns the shard's table already has.
SELECT name FROM system.columns WHERE database = ? AND table = ? AND name IN ('wal_log', 'wal_up_to')
