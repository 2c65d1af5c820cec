UPDATE leases SET until = CAST(now() AS TIMESTAMP) WHERE name = $1 AND holder = $2
