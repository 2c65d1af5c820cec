-- Rewrites the database file so deleted rows do not linger in the WAL.
CHECKPOINT;
