package chstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// Query computes the plan's groups with SQL compiled by sqlgen's
// ClickHouse dialect; every plan value is a bound argument. On a cluster
// it reads the Distributed table: each shard aggregates its rows and the
// server at cfg.Addr merges the partial sums.
//
// The page of groups and their total (Plan.CountGroups) are two
// statements: ClickHouse has no snapshot across them, so a batch stored
// in between can make the total count one group the page did not see.
func (s *Store) Query(ctx context.Context, p *query.Plan) (*query.Result, error) {
	if p == nil {
		return nil, errors.New("clickhouse: query: nil plan")
	}
	aged, err := s.queryState(ctx, p.Site)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: query: %w", err)
	}
	if err := ageing.Check(p, aged); err != nil {
		return nil, err
	}
	src := ageing.Source(p, aged, !s.cfg.NoRollupQueries && !s.cfg.BulkLoad)
	st, err := sqlgen.SelectFrom(s.dialect, p, p.Site, src)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: query: %w", err)
	}
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	// A query grouping by region name carries the name table (about 100
	// KiB) as arguments, which the driver writes into the statement; the
	// default limit of a statement's size (256 KiB) is too tight for that
	// next to long filters.
	ctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_query_size": maxQueryBytes}))
	groups, err := s.scanGroups(ctx, p, st)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: query: %w", err)
	}
	res := &query.Result{Groups: groups}
	if p.CountGroups {
		if res.TotalGroups, err = s.countGroups(ctx, p, src, len(groups)); err != nil {
			return nil, fmt.Errorf("clickhouse: query: count groups: %w", err)
		}
	}
	return res, nil
}

// scanGroups runs the compiled statement and scans its rows: the dimensions
// (time buckets formatted in the plan's style), then the sums.
func (s *Store) scanGroups(ctx context.Context, p *query.Plan, st sqlgen.Stmt) ([]query.Group, error) {
	rows, err := s.conn.Query(ctx, st.SQL, clampTimes(st.Args)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlgen.ScanGroups(p, rows)
}

// countGroups counts the groups before pagination, with a statement of its
// own unless the page already tells.
func (s *Store) countGroups(ctx context.Context, p *query.Plan, src sqlgen.Source, returned int) (int64, error) {
	if n, ok := sqlgen.KnownTotal(p, returned); ok {
		return n, nil
	}
	st, err := sqlgen.CountGroupsFrom(s.dialect, p, p.Site, src)
	if err != nil {
		return 0, err
	}
	var n uint64
	if err := s.conn.QueryRow(ctx, st.SQL, clampTimes(st.Args)...).Scan(&n); err != nil {
		return 0, err
	}
	return int64(n), nil
}

// maxQueryBytes bounds a statement's size on the server.
const maxQueryBytes = 4 << 20

// Earliest returns the ts of the site's oldest row, zero if it has none.
// It reads the rows near the site's oldest Totals rollup row
// (sqlgen.EarliestWindow), a few days of the primary key's range, and
// every row of the site only when that finds none or queries do not read
// rollup rows.
func (s *Store) Earliest(ctx context.Context, site string) (time.Time, error) {
	if !s.cfg.NoRollupQueries && !s.cfg.BulkLoad {
		ts, err := s.earliestNear(ctx, site)
		if err != nil || !ts.IsZero() {
			return ts, err
		}
	}
	return s.earliestOf(ctx, sqlgen.Earliest(s.dialect, site))
}

// earliestNear is the oldest row near the oldest Totals rollup row, zero
// when there is none there.
func (s *Store) earliestNear(ctx context.Context, site string) (time.Time, error) {
	bucket, err := s.earliestOf(ctx, sqlgen.EarliestBucket(s.dialect, site))
	if err != nil || bucket.IsZero() {
		return time.Time{}, err
	}
	from, to := sqlgen.EarliestWindow(bucket)
	return s.earliestOf(ctx, sqlgen.EarliestWithin(s.dialect, site, from, to))
}

// earliestOf runs a statement selecting a number of rows and their oldest
// ts: the zero time when there are none.
func (s *Store) earliestOf(ctx context.Context, st sqlgen.Stmt) (time.Time, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	var n uint64
	var ts time.Time
	if err := s.conn.QueryRow(ctx, st.SQL, clampTimes(st.Args)...).Scan(&n, &ts); err != nil {
		return time.Time{}, fmt.Errorf("clickhouse: earliest: %w", err)
	}
	if n == 0 {
		return time.Time{}, nil
	}
	return ts.UTC(), nil
}
