INSERT INTO users (username, password_hash, instance_owner, must_change_password, created_at)
VALUES (?, ?, ?, ?, ?)
RETURNING id;
