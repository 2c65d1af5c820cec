package chstore

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// TestEarliestNearRollups checks Earliest against every row on one server
// and on two shards (storetest.CheckEarliestAged).
func TestEarliestNearRollups(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(*testing.T) *Store{"single": openSingle, "cluster": openCluster} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := closeAfter(t, open(t))
			storetest.CheckEarliestAged(t, s, storetest.EarliestProbe{
				Scan: func(t *testing.T, site string) time.Time {
					ts, err := s.earliestOf(context.Background(), sqlgen.Earliest(s.dialect, site))
					if err != nil {
						t.Fatal(err)
					}
					return ts
				},
				Near: func(t *testing.T, site string) bool {
					ts, err := s.earliestNear(context.Background(), site)
					if err != nil {
						t.Fatal(err)
					}
					return !ts.IsZero()
				},
			})
		})
	}
}
