package chstore

import (
	"context"
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

var _ ageing.Auditor = (*Store)(nil)

// Audit reports the site's visible rows at each grain, on every shard,
// and the share of unique visitor tuples per day (ageing.Audit), days of
// loc. Bytes is the size on disk of the database's active parts on every
// shard.
func (s *Store) Audit(ctx context.Context, site string, loc *time.Location, now time.Time) (ageing.Audit, error) {
	a := ageing.Audit{Site: site}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.MutationTimeout)
	defer cancel()
	for _, t := range []string{sqlgen.EventsTable, sqlgen.RollupsTable} {
		// The table names are sqlgen's constants.
		q := "SELECT grain, count() FROM " + t + " WHERE site = ? AND " + s.dialect.Visible(t) + " GROUP BY grain ORDER BY grain"
		rows, err := s.conn.Query(ctx, q, site)
		if err != nil {
			return a, fmt.Errorf("clickhouse: audit: %w", err)
		}
		for rows.Next() {
			var g uint8
			var n uint64
			if err := rows.Scan(&g, &n); err != nil {
				rows.Close()
				return a, fmt.Errorf("clickhouse: audit: %w", err)
			}
			a.Rows = append(a.Rows, ageing.GrainRows{Table: t, Grain: ageing.Grain(g), Rows: int64(n)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return a, fmt.Errorf("clickhouse: audit: %w", err)
		}
	}
	if err := s.conn.QueryRow(ctx, "SELECT toInt64(sum(pageviews) + sum(events)) FROM events WHERE site = ? AND "+s.dialect.Visible(sqlgen.EventsTable), site).Scan(&a.Hits); err != nil {
		return a, fmt.Errorf("clickhouse: audit: %w", err)
	}
	for _, sh := range s.shards {
		var b uint64
		if err := sh.conn.QueryRow(ctx, fixed("Audit_bytes"), s.cfg.Database).Scan(&b); err != nil {
			return a, fmt.Errorf("clickhouse: audit: bytes on %s: %w", sh.addr, err)
		}
		a.Bytes += int64(b)
	}
	earliest, err := s.Earliest(ctx, site)
	if err != nil || earliest.IsZero() {
		return a, err
	}
	from, to := earliest.Add(-48*time.Hour), now.Add(48*time.Hour)
	if a.Tuples, err = s.tuples(ctx, sqlgen.AuditTuples(s.dialect, site, loc, from, to, ageing.TupleColumns, nil)); err != nil {
		return a, fmt.Errorf("clickhouse: audit: %w", err)
	}
	all, err := s.tuples(ctx, sqlgen.AuditTuples(s.dialect, site, loc, from, to, ageing.TupleColumns, ageing.GeneralisedColumns))
	if err != nil {
		return a, fmt.Errorf("clickhouse: audit: %w", err)
	}
	a.IfGeneralised = ageing.Total(all, ageing.DayGeneral)
	return a, nil
}

func (s *Store) tuples(ctx context.Context, st sqlgen.Stmt) ([]ageing.TupleShare, error) {
	rows, err := s.conn.Query(s.bigQuery(ctx), st.SQL, clampTimes(st.Args)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ageing.TupleShare
	for rows.Next() {
		var g uint8
		var days, tuples uint64
		var unique int64
		if err := rows.Scan(&g, &days, &tuples, &unique); err != nil {
			return nil, err
		}
		out = append(out, ageing.TupleShare{Grain: ageing.Grain(g), Days: int64(days), Tuples: int64(tuples), Unique: unique})
	}
	return out, rows.Err()
}
