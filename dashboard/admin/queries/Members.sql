SELECT m.user_id, u.username, m.role
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.domain = ?
ORDER BY u.username;
