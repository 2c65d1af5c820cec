UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?;
