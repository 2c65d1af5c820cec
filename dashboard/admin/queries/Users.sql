SELECT id, username, password_hash, instance_owner, must_change_password, totp_secret, totp_last_step, created_at
FROM users ORDER BY username;
