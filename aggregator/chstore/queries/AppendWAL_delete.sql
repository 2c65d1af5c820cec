ALTER TABLE {table} DELETE WHERE wal_log = ? AND wal_up_to > ?
