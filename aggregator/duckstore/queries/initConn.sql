-- Each pooled connection reads TIMESTAMP values as UTC, whatever the host's
-- time zone.
SET TimeZone = 'UTC';
