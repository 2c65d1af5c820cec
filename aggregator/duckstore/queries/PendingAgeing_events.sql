-- The UTC hours holding event rows finer than promised: before the hour
-- step's boundary, a grain below the one promised at the row's time.
SELECT DISTINCT date_trunc('hour', ts) FROM events
WHERE site_id = ? AND ts < ?
  AND grain < CASE WHEN ts < ? THEN 3 WHEN ts < ? THEN 2 ELSE 1 END
ORDER BY 1;
