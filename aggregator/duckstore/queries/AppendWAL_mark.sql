INSERT INTO wal_applied (log, up_to) VALUES (?, ?)
ON CONFLICT (log) DO UPDATE SET up_to = excluded.up_to;
