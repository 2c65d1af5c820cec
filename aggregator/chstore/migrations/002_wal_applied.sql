-- How far each collector's write-ahead log is stored (collector/wal,
-- docs/reliability.md). A batch's position is written after its rows; the
-- rows carry the log's id and the batch's position (wal_log, wal_up_to,
-- added by the store itself because ALTER … ADD COLUMN IF NOT EXISTS is
-- not available on every server version), so a batch whose position was
-- not written is found and replaced instead of stored twice. log is the
-- log's random id: it names a collector's log directory, not a person.
-- The position only grows: readers take max(up_to).
CREATE TABLE IF NOT EXISTS wal_applied (
    log        String,
    up_to      UInt64,
    applied_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(up_to)
ORDER BY log;
