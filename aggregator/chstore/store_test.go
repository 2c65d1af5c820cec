package chstore

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/cluster/clustertest"
)

var (
	_ storetest.Store      = (*Store)(nil)
	_ storetest.TextDumper = (*Store)(nil)
	_ storetest.Deleter    = (*Store)(nil)
)

// openSingle opens a store in a fresh database of the single test server.
func openSingle(t *testing.T) *Store {
	t.Helper()
	addr := chtest.Single(t)
	return openStore(t, Config{Addr: addr, Database: chtest.Database(t, addr)})
}

// openCluster opens a store in a fresh database of the two-shard test
// cluster.
func openCluster(t *testing.T) *Store {
	t.Helper()
	addr, name := chtest.Cluster(t)
	db := chtest.Database(t, chtest.Shards(t, addr, name)...)
	return openStore(t, Config{Addr: addr, Database: db, Cluster: name})
}

func openStore(t *testing.T, cfg Config) *Store {
	t.Helper()
	// The suite's queries and ageing passes run one after the other: no
	// query of another server can be planned under an earlier promise.
	if cfg.AgeingGrace == 0 {
		cfg.AgeingGrace = time.Millisecond
	}
	s, err := Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

// The suites run in parallel with each other: each test has databases of
// its own, and most of their time is spent waiting for a server.

func TestSuite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return openSingle(t) })
}

func TestSuiteCluster(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return openCluster(t) })
}

func TestClusterSuite(t *testing.T) {
	t.Parallel()
	clustertest.Run(t, func(t *testing.T) clustertest.Store { return closeAfter(t, openSingle(t)) })
}

// TestClusterSuiteOnCluster: on a two-shard cluster the shared records
// and the lease live on the first shard, which every node asks.
func TestClusterSuiteOnCluster(t *testing.T) {
	t.Parallel()
	clustertest.Run(t, func(t *testing.T) clustertest.Store { return closeAfter(t, openCluster(t)) })
}

func closeAfter(t *testing.T, s *Store) *Store {
	t.Cleanup(func() { _ = s.Close() })
	return s
}
