package chstore

import (
	"context"
	"fmt"
	"net"
	"strconv"
)

// shardInfo is one shard of a cluster as system.clusters lists it.
type shardInfo struct {
	num    int
	weight int
	addr   string
}

// clusterRow is one row of system.clusters.
type clusterRow struct {
	shard, weight, replica uint32
	host                   string
	port                   uint16
}

// topology reads the configured cluster's shards from the server at
// cfg.Addr.
func (s *Store) topology(ctx context.Context) ([]shardInfo, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := s.conn.Query(ctx, fixed("clusters"), s.cfg.Cluster)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: read cluster %q from %s: %w", s.cfg.Cluster, s.cfg.Addr, err)
	}
	defer rows.Close()
	var list []clusterRow
	for rows.Next() {
		var r clusterRow
		if err := rows.Scan(&r.shard, &r.weight, &r.replica, &r.host, &r.port); err != nil {
			return nil, fmt.Errorf("clickhouse: read cluster %q: %w", s.cfg.Cluster, err)
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("clickhouse: read cluster %q: %w", s.cfg.Cluster, err)
	}
	return shardsOf(s.cfg.Cluster, s.cfg.Addr, list)
}

// shardsOf checks a cluster's rows and returns its shards. A shard with
// several replicas is refused: the store writes each batch to one server,
// so plain MergeTree replicas would hold different rows, and a query
// reading either would be wrong (replication needs ReplicatedMergeTree
// and ZooKeeper, which the store does not set up).
func shardsOf(cluster, addr string, rows []clusterRow) ([]shardInfo, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("clickhouse: cluster %q is not configured on %s: add it to the remote_servers of every server (docs/clickhouse.md)", cluster, addr)
	}
	var out []shardInfo
	for _, r := range rows {
		if r.replica > 1 {
			return nil, fmt.Errorf("clickhouse: cluster %q: shard %d has more than one replica; the store needs one server per shard (docs/clickhouse.md)", cluster, r.shard)
		}
		if r.host == "" || r.port == 0 {
			return nil, fmt.Errorf("clickhouse: cluster %q: shard %d has no host or port", cluster, r.shard)
		}
		out = append(out, shardInfo{
			num:    int(r.shard),
			weight: int(min(r.weight, maxWeight)),
			addr:   net.JoinHostPort(r.host, strconv.Itoa(int(r.port))),
		})
	}
	return out, nil
}

// maxWeight bounds a shard's weight, which sets how often it appears in
// the store's rotation.
const maxWeight = 1000

// pick returns the shard the next batch goes to: each shard in turn, as
// often as its weight. A whole batch goes to one shard, in one INSERT, so
// that it is stored completely or not at all. An Append retried after a
// failure goes to the next shard; AppendWAL's retries wait for every
// shard instead (wal.go).
func (s *Store) pick() *shard {
	i := s.next.Add(1) - 1
	return s.shards[s.writeTo[i%uint64(len(s.writeTo))]]
}
