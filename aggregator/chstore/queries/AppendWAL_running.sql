-- Inserts of a log's batches still running on this server (walfence.go).
SELECT count() FROM system.processes WHERE query_id LIKE ?
