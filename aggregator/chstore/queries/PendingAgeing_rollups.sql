-- The UTC hours holding rollup rows finer than promised: quarters of a
-- day that is over, or a generalised dimension before generalisation.
SELECT DISTINCT toStartOfHour(ts, 'UTC') AS h FROM rollups
WHERE site = ? AND ts < ?
  AND (grain < 2 OR (ts < ? AND dim IN ({generalised})))
  AND {visible}
ORDER BY h
