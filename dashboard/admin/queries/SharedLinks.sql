SELECT id, domain, name, secret_hash, password_hash, created_at FROM shared_links WHERE domain = ? ORDER BY id;
