INSERT INTO sites (domain, origin, timezone, allowed_hostnames, respect_gpc, public, min_cell_size, epsilon, round_to, retention_months, created_at, scrub_rules, prop_keys)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (domain) DO UPDATE SET
    origin = excluded.origin, timezone = excluded.timezone,
    allowed_hostnames = excluded.allowed_hostnames, respect_gpc = excluded.respect_gpc,
    public = excluded.public, min_cell_size = excluded.min_cell_size, epsilon = excluded.epsilon,
    round_to = excluded.round_to, retention_months = excluded.retention_months,
    scrub_rules = excluded.scrub_rules, prop_keys = excluded.prop_keys;
