INSERT INTO age_commits (job, committed_at)
