-- Months that hold nothing but rows of the site from before the cut-off: their
-- partitions can be dropped whole instead of rewritten by a mutation.
SELECT toYYYYMM(ts) AS month
FROM {table}
WHERE toYYYYMM(ts) <= toYYYYMM(?)
GROUP BY month
HAVING count() = countIf(site = ? AND ts < ?)
ORDER BY month
