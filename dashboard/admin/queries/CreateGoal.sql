INSERT INTO goals (domain, event_name, page_path, display_name, created_at) VALUES (?, ?, ?, ?, ?)
RETURNING id;
