package duckstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// appendRollups writes the rollup rows of a batch through an Appender, in
// the caller's transaction: a query sees the batch's event rows and its
// rollup rows together or neither.
func appendRollups(ctx context.Context, c driver.Conn, rows []event.Row, ids map[string]uint32) (err error) {
	derived := rollup.Derive(rows)
	a, err := duckdb.NewAppenderFromConn(c, "", sqlgen.RollupsTable)
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

// buildRollups derives the rollup rows of the event rows stored before
// rollups existed, once, in one transaction, a dimension at a time so the
// grouping stays small.
func (s *Store) buildRollups(ctx context.Context) (err error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM rollups_built").Scan(&n); err != nil {
		return fmt.Errorf("duckdb: build rollups: %w", err)
	}
	if n > 0 {
		return nil
	}
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
	sums := make([]string, len(rollup.Counters))
	for i, name := range rollup.Counters {
		sums[i] = "sum(" + name + ")"
	}
	for d := range rollup.NumDims {
		value := "''"
		if col := rollup.Column(rollup.Dim(d)); col != "" {
			value = col
		}
		// Fixed identifiers and numbers from the rollup table only.
		q := "INSERT INTO rollups SELECT site_id, time_bucket(INTERVAL 15 MINUTE, ts), 0, " + strconv.Itoa(d) + ", " + value + ", " +
			strings.Join(sums, ", ") + " FROM events GROUP BY ALL"
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO rollups_built VALUES (true)"); err != nil {
		return err
	}
	_, err = conn.ExecContext(context.WithoutCancel(ctx), "COMMIT")
	return err
}
