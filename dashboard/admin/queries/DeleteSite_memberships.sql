DELETE FROM memberships WHERE domain = ?;
