package duckstore

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// earliestProbe reads every row of a site, and tells whether Earliest
// finds the oldest near the rollup rows.
func earliestProbe(s *Store) storetest.EarliestProbe {
	id := func(t *testing.T, site string) uint32 {
		t.Helper()
		id, err := s.siteID(context.Background(), site)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	return storetest.EarliestProbe{
		Scan: func(t *testing.T, site string) time.Time {
			ts, err := earliestOf(context.Background(), s.db, sqlgen.Earliest(sqlgen.DuckDB, id(t, site)))
			if err != nil {
				t.Fatal(err)
			}
			return ts
		},
		Near: func(t *testing.T, site string) bool {
			_, ok, err := s.earliestNear(context.Background(), id(t, site))
			if err != nil {
				t.Fatal(err)
			}
			return ok
		},
	}
}

// TestEarliestNearRollups checks that Earliest, which looks for the
// oldest row only near the oldest Totals rollup row, answers what every
// row says (storetest.CheckEarliestAged), also when the rows near that
// rollup row are gone.
func TestEarliestNearRollups(t *testing.T) {
	ctx := context.Background()
	s := openMemory(t)
	defer s.Close()
	probe := earliestProbe(s)
	start := storetest.CheckEarliestAged(t, s, probe)
	// Event rows deleted without their rollup rows (no store path does
	// this): the window finds none, every row answers.
	name := storetest.EarliestNames[2]
	id, err := s.siteID(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM events WHERE site_id = ? AND ts < ?", id, start.Add(7*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Earliest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if want := probe.Scan(t, name); !got.Equal(want) || probe.Near(t, name) {
		t.Errorf("rows gone near the rollup rows: earliest %v, every row says %v, found near: %v", got, want, probe.Near(t, name))
	}
}
