-- Writers are serialised, so MAX(id) + 1 is free.
INSERT INTO sites (id, name) SELECT COALESCE(MAX(id), 0) + 1, ? FROM sites RETURNING id;
