-- The UTC hours holding event rows finer than promised: before the hour
-- step's boundary, a grain below the one promised at the row's time.
SELECT DISTINCT toStartOfHour(ts, 'UTC') AS h FROM events
WHERE site = ? AND ts < ?
  AND grain < multiIf(ts < ?, 3, ts < ?, 2, 1)
  AND {visible}
ORDER BY h
