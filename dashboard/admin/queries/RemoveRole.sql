DELETE FROM memberships WHERE user_id = ? AND domain = ?;
