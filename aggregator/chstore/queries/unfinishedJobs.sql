-- Merges this shard started and did not finish (agejob.go).
SELECT job, argMax(chunks, stage) FROM age_jobs GROUP BY job HAVING max(stage) < ?
