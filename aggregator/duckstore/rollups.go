package duckstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// rollupColumns are the rollups table's columns in the order the store
// writes them (a counter added later sits at the table's end).
var rollupColumns = slices.Concat([]string{"site_id", "ts", "grain", "dim", "value"}, rollup.Counters)

// appendRollups writes the rollup rows of a batch through an Appender, in
// the caller's transaction: a query sees the batch's event rows and its
// rollup rows together or neither.
func appendRollups(ctx context.Context, c driver.Conn, rows []event.Row, ids map[string]uint32) (err error) {
	derived := rollup.Derive(rows)
	a, err := duckdb.NewAppenderWithColumns(c, "", "", sqlgen.RollupsTable, rollupColumns)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, a.Close()) }()
	dv := make([]driver.Value, 5+rollup.NumCounters)
	for i := range derived {
		if i%cancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r := &derived[i]
		dv[0], dv[1], dv[2], dv[3], dv[4] = ids[r.Site], r.TS, uint8(ageing.Quarter), uint8(r.Dim), r.Value
		for j, v := range r.Sums {
			dv[5+j] = v
		}
		if err := a.AppendRow(dv...); err != nil {
			return fmt.Errorf("rollup row %d: %w", i, err)
		}
	}
	return nil
}

// ensureRollupColumns adds to the rollups table the counters the events
// gained since (a migration adds them to the events only) and marks the
// rollup rows unbuilt when it added any: their new sums would be 0.
func (s *Store) ensureRollupColumns(ctx context.Context) error {
	have, err := s.strings(ctx, fixed("DumpText_columns"), sqlgen.RollupsTable)
	if err != nil {
		return fmt.Errorf("duckdb: rollup columns: %w", err)
	}
	added := false
	for _, c := range rollup.Counters {
		if slices.Contains(have, c) {
			continue
		}
		// A counter name from event.CounterColumns, not input.
		if _, err := s.db.ExecContext(ctx, "ALTER TABLE rollups ADD COLUMN "+c+" BIGINT DEFAULT 0"); err != nil {
			return fmt.Errorf("duckdb: rollup columns: %w", err)
		}
		added = true
	}
	if added {
		if _, err := s.db.ExecContext(ctx, "DELETE FROM rollups_built"); err != nil {
			return fmt.Errorf("duckdb: rollup columns: %w", err)
		}
	}
	return nil
}

// unbuildRollups starts a bulk load: the rollup rows are dropped and
// marked unbuilt, so the next Open derives them from every stored row.
func (s *Store) unbuildRollups(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("duckdb: bulk load: %w", err)
	}
	for _, q := range []string{"DELETE FROM rollups", "DELETE FROM rollups_built"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return errors.Join(fmt.Errorf("duckdb: bulk load: %w", err), tx.Rollback())
		}
	}
	return tx.Commit()
}

// buildRollups derives the rollup rows of the event rows stored before
// rollups existed (or by a bulk load), once, in one transaction, a
// dimension at a time so the grouping stays small.
func (s *Store) buildRollups(ctx context.Context) (err error) {
	// Built for every dimension of this version; a store built for fewer
	// (an earlier version) derives them all again.
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM rollups_built WHERE dims = "+strconv.Itoa(rollup.NumDims)).Scan(&n); err != nil {
		return fmt.Errorf("duckdb: build rollups: %w", err)
	}
	if n > 0 {
		return nil
	}
	start := time.Now()
	defer func() {
		if err == nil {
			s.log.Info("duckdb: built the rollup rows of the stored rows", "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("duckdb: build rollups: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("duckdb: build rollups: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(fmt.Errorf("duckdb: build rollups: %w", err), rollback(conn))
		}
	}()
	// Rows a bulk load's batches wrote before it was marked unbuilt, or
	// rows built for fewer dimensions.
	for _, q := range []string{"DELETE FROM rollups", "DELETE FROM rollups_built"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	sums := make([]string, len(rollup.Counters))
	for i, name := range rollup.Counters {
		sums[i] = "sum(" + name + ")"
	}
	for d := range rollup.NumDims {
		value := sqlgen.RollupValue(sqlgen.DuckDB, rollup.Dim(d), func(col string) string { return col })
		where := ""
		if w := rollup.Where(rollup.Dim(d)); w != "" {
			where = " WHERE " + w
		}
		// Fixed identifiers and numbers from the rollup table only. The
		// rows go in by dimension, site and time, so that a query of one
		// dimension skips the others' row groups.
		q := "INSERT INTO rollups (" + strings.Join(rollupColumns, ", ") + ") SELECT site_id, time_bucket(INTERVAL 15 MINUTE, ts) AS q, 0, " + strconv.Itoa(d) + ", " + value + ", " +
			strings.Join(sums, ", ") + " FROM events" + where + " GROUP BY ALL ORDER BY site_id, q"
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO rollups_built (built, dims) VALUES (true, "+strconv.Itoa(rollup.NumDims)+")"); err != nil {
		return err
	}
	_, err = conn.ExecContext(context.WithoutCancel(ctx), "COMMIT")
	return err
}
