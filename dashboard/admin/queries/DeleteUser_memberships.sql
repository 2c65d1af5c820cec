DELETE FROM memberships WHERE user_id = ?;
