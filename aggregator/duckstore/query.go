package duckstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// Query computes the plan's groups with SQL compiled by sqlgen.
func (s *Store) Query(ctx context.Context, p *query.Plan) (*query.Result, error) {
	if p == nil {
		return nil, fmt.Errorf("duckdb: query: nil plan")
	}
	s.swap.RLock()
	defer s.swap.RUnlock()
	site, err := s.siteID(ctx, p.Site)
	if err != nil {
		return nil, fmt.Errorf("duckdb: query: %w", err)
	}
	// Held until the last row is read: a later ageing promise waits for
	// this query (ageing.go).
	s.ages.mu.RLock()
	defer s.ages.mu.RUnlock()
	aged := s.ages.get(site)
	if err := ageing.Check(p, aged); err != nil {
		return nil, err
	}
	src := ageing.Source(p, aged, s.rollups)
	st, err := sqlgen.SelectFrom(sqlgen.DuckDB, p, site, src)
	if err != nil {
		return nil, fmt.Errorf("duckdb: query: %w", err)
	}
	var q querier = s.db
	if p.CountGroups && len(p.Dimensions) > 0 {
		// Both statements read one snapshot, so the total agrees with the
		// page even while batches are appended.
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("duckdb: query: %w", err)
		}
		defer tx.Rollback() //nolint:errcheck // read only
		q = tx
	}
	groups, err := scanGroups(ctx, q, p, st)
	if err != nil {
		return nil, fmt.Errorf("duckdb: query: %w", err)
	}
	res := &query.Result{Groups: groups}
	if p.CountGroups {
		if res.TotalGroups, err = countGroups(ctx, q, p, site, src, len(groups)); err != nil {
			return nil, fmt.Errorf("duckdb: query: count groups: %w", err)
		}
	}
	return res, nil
}

// querier runs statements on the pool or in a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanGroups runs the compiled statement and scans its rows: the dimensions
// (time buckets formatted in the plan's style), then the sums.
func scanGroups(ctx context.Context, q querier, p *query.Plan, st sqlgen.Stmt) ([]query.Group, error) {
	rows, err := q.QueryContext(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlgen.ScanGroups(p, rows)
}

// countGroups counts the groups before pagination, with a statement of its own
// unless the page already tells.
func countGroups(ctx context.Context, q querier, p *query.Plan, site uint32, src sqlgen.Source, returned int) (int64, error) {
	if n, ok := sqlgen.KnownTotal(p, returned); ok {
		return n, nil
	}
	st, err := sqlgen.CountGroupsFrom(sqlgen.DuckDB, p, site, src)
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.QueryRowContext(ctx, st.SQL, st.Args...).Scan(&n)
	return n, err
}

// Earliest returns the ts of the site's oldest row, zero if it has none.
func (s *Store) Earliest(ctx context.Context, site string) (time.Time, error) {
	s.swap.RLock()
	defer s.swap.RUnlock()
	id, err := s.siteID(ctx, site)
	if err != nil {
		return time.Time{}, fmt.Errorf("duckdb: earliest: %w", err)
	}
	return s.earliest(ctx, id)
}

// earliest is Earliest by site id, from the cache while no write has
// ended since it was computed; s.swap is held.
func (s *Store) earliest(ctx context.Context, id uint32) (time.Time, error) {
	gen := s.writeMu.gen.Load()
	if ts, ok := s.oldest.get(id, gen); ok {
		return ts, nil
	}
	ts, err := s.earliestNow(ctx, id)
	if err == nil {
		s.oldest.put(id, gen, ts)
	}
	return ts, err
}

// earliestNow reads Earliest from the database.
func (s *Store) earliestNow(ctx context.Context, id uint32) (time.Time, error) {
	if s.rollups {
		ts, ok, err := s.earliestNear(ctx, id)
		if err != nil || ok {
			return ts, err
		}
	}
	return earliestOf(ctx, s.db, sqlgen.Earliest(sqlgen.DuckDB, id))
}

// earliestNear finds the oldest row near the oldest Totals rollup row
// (sqlgen.EarliestWindow), both read in one snapshot; ok is false when
// that tells nothing and every row must be read. Queries only read
// rollup rows when they are complete (s.rollups), and so does this.
func (s *Store) earliestNear(ctx context.Context, id uint32) (ts time.Time, ok bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("duckdb: earliest: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read only
	bucket, err := earliestOf(ctx, tx, sqlgen.EarliestBucket(sqlgen.DuckDB, id))
	if err != nil || bucket.IsZero() {
		return time.Time{}, false, err
	}
	from, to := sqlgen.EarliestWindow(bucket)
	ts, err = earliestOf(ctx, tx, sqlgen.EarliestWithin(sqlgen.DuckDB, id, from, to))
	return ts, !ts.IsZero(), err
}

// earliestOf runs a statement selecting a number of rows and their oldest
// ts: the zero time when there are none.
func earliestOf(ctx context.Context, q querier, st sqlgen.Stmt) (time.Time, error) {
	var n int64
	var ts sql.NullTime
	if err := q.QueryRowContext(ctx, st.SQL, st.Args...).Scan(&n, &ts); err != nil {
		return time.Time{}, fmt.Errorf("duckdb: earliest: %w", err)
	}
	if n == 0 || !ts.Valid {
		return time.Time{}, nil
	}
	return ts.Time.UTC(), nil
}
