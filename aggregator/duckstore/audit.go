package duckstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

var _ ageing.Auditor = (*Store)(nil)

// Audit reports the site's rows at each grain and the share of unique
// visitor tuples per day (ageing.Audit), days of loc.
func (s *Store) Audit(ctx context.Context, site string, loc *time.Location, now time.Time) (ageing.Audit, error) {
	a := ageing.Audit{Site: site}
	s.swap.RLock()
	defer s.swap.RUnlock()
	id, err := s.siteID(ctx, site)
	if err != nil {
		return a, fmt.Errorf("duckdb: audit: %w", err)
	}
	for _, t := range []string{sqlgen.EventsTable, sqlgen.RollupsTable} {
		// The table names are this package's constants.
		rows, err := s.db.QueryContext(ctx, "SELECT grain, count(*) FROM "+t+" WHERE site_id = ? GROUP BY grain ORDER BY grain", id)
		if err != nil {
			return a, fmt.Errorf("duckdb: audit: %w", err)
		}
		for rows.Next() {
			r := ageing.GrainRows{Table: t}
			if err := rows.Scan(&r.Grain, &r.Rows); err != nil {
				rows.Close()
				return a, fmt.Errorf("duckdb: audit: %w", err)
			}
			a.Rows = append(a.Rows, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return a, fmt.Errorf("duckdb: audit: %w", err)
		}
	}
	var hits sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT sum(pageviews) + sum(events) FROM events WHERE site_id = ?", id).Scan(&hits); err != nil {
		return a, fmt.Errorf("duckdb: audit: %w", err)
	}
	a.Hits = hits.Int64
	if err := s.db.QueryRowContext(ctx, "SELECT used_blocks * block_size FROM pragma_database_size()").Scan(&a.Bytes); err != nil {
		return a, fmt.Errorf("duckdb: audit: %w", err)
	}
	earliest, err := s.earliest(ctx, id)
	if err != nil || earliest.IsZero() {
		return a, err
	}
	from, to := earliest.Add(-48*time.Hour), now.Add(48*time.Hour)
	if a.Tuples, err = s.tuples(ctx, sqlgen.AuditTuples(sqlgen.DuckDB, id, loc, from, to, ageing.TupleColumns, nil)); err != nil {
		return a, fmt.Errorf("duckdb: audit: %w", err)
	}
	all, err := s.tuples(ctx, sqlgen.AuditTuples(sqlgen.DuckDB, id, loc, from, to, ageing.TupleColumns, ageing.GeneralisedColumns))
	if err != nil {
		return a, fmt.Errorf("duckdb: audit: %w", err)
	}
	a.IfGeneralised = ageing.Total(all, ageing.DayGeneral)
	return a, nil
}

func (s *Store) tuples(ctx context.Context, st sqlgen.Stmt) ([]ageing.TupleShare, error) {
	rows, err := s.db.QueryContext(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ageing.TupleShare
	for rows.Next() {
		var t ageing.TupleShare
		if err := rows.Scan(&t.Grain, &t.Days, &t.Tuples, &t.Unique); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
