-- TIMESTAMP values are UTC whatever the host's time zone.
SET TimeZone = 'UTC';
