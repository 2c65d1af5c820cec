SELECT t.id, t.user_id, u.username, t.name, t.hash, t.hint, t.sites, t.created_at, t.last_used
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.hash = ?;
