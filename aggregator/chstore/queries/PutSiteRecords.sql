INSERT INTO site_records (domain, config, removed, version)
