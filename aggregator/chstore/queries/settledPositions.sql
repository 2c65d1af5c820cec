-- How far each log's batches are stored (wal.go).
SELECT log, max(up_to) FROM wal_applied GROUP BY log
