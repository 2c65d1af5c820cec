INSERT INTO site_records (domain, config, removed, version) VALUES ($1, $2, $3, $4)
ON CONFLICT (domain) DO UPDATE SET config = excluded.config, removed = excluded.removed, version = excluded.version
WHERE excluded.version > site_records.version
