-- The UTC hours holding rollup rows finer than promised: quarters of a
-- day that is over, or a generalised dimension before generalisation.
SELECT DISTINCT date_trunc('hour', ts) FROM rollups
WHERE site_id = ? AND ts < ?
  AND (grain < 2 OR (ts < ? AND dim IN ({generalised})))
ORDER BY 1;
