DELETE FROM api_tokens WHERE id = ?;
