SELECT domain, origin, timezone, allowed_hostnames, respect_gpc, public, min_cell_size, epsilon, round_to, retention_months, created_at, COALESCE(scrub_rules, ''), COALESCE(prop_keys, '')
FROM sites ORDER BY domain;
