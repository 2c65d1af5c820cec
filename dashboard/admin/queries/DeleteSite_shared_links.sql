DELETE FROM shared_links WHERE domain = ?;
