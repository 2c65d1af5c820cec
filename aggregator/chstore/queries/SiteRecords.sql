SELECT domain, argMax(config, version), argMax(removed, version), max(version) FROM site_records GROUP BY domain ORDER BY domain
