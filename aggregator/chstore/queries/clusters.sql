-- The shards of a cluster as the server's remote_servers configure them.
SELECT shard_num, shard_weight, replica_num, host_name, port
FROM system.clusters
WHERE cluster = ?
ORDER BY shard_num, replica_num
