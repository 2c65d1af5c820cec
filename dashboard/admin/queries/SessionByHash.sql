SELECT id_hash, user_id, csrf, stage, created_at, last_seen FROM sessions WHERE id_hash = ?;
