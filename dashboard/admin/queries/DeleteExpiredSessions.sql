DELETE FROM sessions WHERE last_seen < ? OR created_at < ?;
