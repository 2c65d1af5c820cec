SELECT id, domain, event_name, page_path, display_name, created_at FROM goals ORDER BY domain, id;
