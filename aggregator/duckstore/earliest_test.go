package duckstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// TestEarliestCachedUntilWrite checks that Earliest is read from the
// database once between writes, and again after every write: a change
// that bypasses the store's writes is not seen, one through Append is.
func TestEarliestCachedUntilWrite(t *testing.T) {
	ctx := context.Background()
	s := openMemory(t)
	defer s.Close()
	site := storetest.DefaultSites[0]
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	rows := slices.Collect(storetest.GenerateRows(6, 500, storetest.GenOptions{Start: start, Days: 3}))
	if err := s.Append(ctx, rows); err != nil {
		t.Fatal(err)
	}
	first, err := s.Earliest(ctx, site)
	if err != nil || first.IsZero() {
		t.Fatalf("earliest %v, %v", first, err)
	}
	// Behind the store's back: not a write the cache hears of.
	if _, err := s.db.ExecContext(ctx, "DELETE FROM events"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Earliest(ctx, site); !got.Equal(first) {
		t.Fatalf("earliest read again without a write: %v, want the cached %v", got, first)
	}
	older := rows[0]
	older.TS = start.AddDate(0, 0, -10)
	if err := s.Append(ctx, []event.Row{older}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Earliest(ctx, site); !got.Equal(older.TS) {
		t.Fatalf("earliest after a write: %v, want %v", got, older.TS)
	}
}
