SELECT domain, role FROM memberships WHERE user_id = ?;
