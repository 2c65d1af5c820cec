SELECT up_to FROM wal_applied WHERE log = ?;
