INSERT INTO memberships (user_id, domain, role) VALUES (?, ?, ?)
ON CONFLICT (user_id, domain) DO UPDATE SET role = excluded.role;
