-- Rows of this log's batches beyond the stored position: an earlier
-- attempt wrote them and failed before writing the position.
SELECT wal_up_to, count() FROM {table} WHERE wal_log = ? AND wal_up_to > ? GROUP BY wal_up_to
