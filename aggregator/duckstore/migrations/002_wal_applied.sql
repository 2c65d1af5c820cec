-- How far each collector's write-ahead log is stored (collector/wal). A
-- batch of rows and its log position are written in one transaction, so
-- replaying the log after a crash stores every record exactly once.
-- log is the log's random id: it names a collector's log directory, not a
-- person or a client.
CREATE TABLE wal_applied (
    log   VARCHAR NOT NULL PRIMARY KEY,
    up_to UBIGINT NOT NULL
);
