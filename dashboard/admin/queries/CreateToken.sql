INSERT INTO api_tokens (user_id, name, hash, hint, sites, created_at) VALUES (?, ?, ?, ?, ?, ?)
RETURNING id;
