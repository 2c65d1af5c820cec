// Package memstore is an in-memory aggregator.Store that evaluates plans in
// plain Go. It is the fake for other packages' unit tests and the reference
// oracle of the store suite (storetest): its semantics are written without
// SQL — dimension values, filters, time buckets in the plan's location,
// ordering and pagination are computed directly from the rows — so a
// database store that agrees with it agrees with the plan's meaning, not
// with a shared compiler.
package memstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// Store keeps rows in memory, per site. It is safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	sites  map[string][]event.Row
	closed bool
}

// New returns an empty store.
func New() *Store {
	return &Store{sites: make(map[string][]event.Row)}
}

// errClosed is returned by every method after Close.
var errClosed = errors.New("memstore: closed")

// Append stores rows atomically: every row is checked before any is kept.
// Rows are copied, so the caller may reuse the slice.
func (s *Store) Append(ctx context.Context, rows []event.Row) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: append events: %w", err)
	}
	for i := range rows {
		if err := sqlgen.CheckRow(&rows[i]); err != nil {
			return fmt.Errorf("memstore: append events: row %d: %w", i, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	for _, r := range rows {
		r.TS = r.TS.UTC()
		s.sites[r.Site] = append(s.sites[r.Site], r)
	}
	return nil
}

// Earliest returns the ts of the site's oldest row, zero if it has none.
func (s *Store) Earliest(ctx context.Context, site string) (time.Time, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return time.Time{}, errClosed
	}
	var oldest time.Time
	for i := range s.sites[site] {
		if ts := s.sites[site][i].TS; oldest.IsZero() || ts.Before(oldest) {
			oldest = ts
		}
	}
	return oldest, nil
}

// Compact has nothing to do: deleted rows are gone from memory at once.
func (s *Store) Compact(context.Context) error { return nil }

// DeleteBefore removes the site's rows older than before and returns how
// many it removed (retention, DESIGN §1.8).
func (s *Store) DeleteBefore(ctx context.Context, site string, before time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, errClosed
	}
	rows := s.sites[site]
	kept := make([]event.Row, 0, len(rows))
	for _, r := range rows {
		if !r.TS.Before(before) {
			kept = append(kept, r)
		}
	}
	s.sites[site] = kept
	return int64(len(rows) - len(kept)), nil
}

// Close releases the rows; later calls fail.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.sites = nil
	return nil
}

// SitesWithRows lists the sites that have rows.
func (s *Store) SitesWithRows(ctx context.Context) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.sites))
	for name, rows := range s.sites {
		if len(rows) > 0 {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}
