SELECT domain, config, removed, version FROM site_records ORDER BY domain
