INSERT INTO wal_applied (log, up_to, applied_at)
