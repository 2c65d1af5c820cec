SELECT holder, until, CAST(now() AS TIMESTAMP) FROM leases WHERE name = $1
