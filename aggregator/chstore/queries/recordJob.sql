INSERT INTO age_jobs (job, stage, chunks, at)
