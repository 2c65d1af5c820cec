-- Asks the server to cancel the inserts of a log's batches that an
-- earlier attempt left running (walfence.go).
KILL QUERY WHERE query_id LIKE ? ASYNC
