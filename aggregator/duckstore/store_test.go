package duckstore

import (
	"context"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/cluster/clustertest"
)

var (
	_ storetest.Store      = (*Store)(nil)
	_ storetest.TextDumper = (*Store)(nil)
	_ storetest.Deleter    = (*Store)(nil)
)

// openMemory opens an in-memory store for one test.
func openMemory(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Threads: 2}, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return openMemory(t) })
}

func TestClusterSuite(t *testing.T) {
	clustertest.Run(t, func(t *testing.T) clustertest.Store {
		s := openMemory(t)
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}
