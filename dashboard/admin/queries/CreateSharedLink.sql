INSERT INTO shared_links (domain, name, secret_hash, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
RETURNING id;
