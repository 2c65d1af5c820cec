UPDATE api_tokens SET last_used = ? WHERE id = ?;
