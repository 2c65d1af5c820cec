package duckstore

import (
	"context"
	"testing"

	"github.com/shukei-analytics/shukei/collector/sinktest"
	"github.com/shukei-analytics/shukei/event"
)

func TestWALSink(t *testing.T) {
	sinktest.Run(t, func(t *testing.T) sinktest.Target {
		s := openMemory(t)
		t.Cleanup(func() { s.Close() })
		return sinktest.Target{Sink: s, Pageviews: func(t *testing.T, site string) int64 {
			var n int64
			err := s.db.QueryRow(`SELECT COALESCE(SUM(e.pageviews), 0) FROM events e JOIN sites s ON e.site_id = s.id WHERE s.name = ?`, site).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}}
	})
}

// TestWALMarkRollsBackWithRows makes the database itself fail in the middle
// of a batch: neither the rows nor the log position may be stored.
func TestWALMarkRollsBackWithRows(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	ctx := context.Background()
	rows := genRows(50)
	rows[40].Kind = event.Kind(9) // violates the CHECK constraint
	if err := s.appendTx(ctx, rows, &walMark{log: "l", after: 0, upTo: 50}); err == nil {
		t.Fatal("a failing batch committed")
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 0 {
		t.Errorf("%d rows stored", n)
	}
	if got, err := s.WALApplied(ctx, "l"); err != nil || got != 0 {
		t.Errorf("position %d (%v) after a failed batch, want 0", got, err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Error(err)
	}
}
