INSERT INTO sessions (id_hash, user_id, csrf, stage, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?);
