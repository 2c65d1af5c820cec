UPDATE sessions SET last_seen = ? WHERE id_hash = ?;
