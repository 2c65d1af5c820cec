UPDATE users SET instance_owner = ? WHERE id = ?;
