package duckstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// Append stores rows atomically: one transaction per call on a dedicated
// connection, the rows written through DuckDB's Appender (no statement or
// transaction per row). Concurrent queries see all of the batch or none.
func (s *Store) Append(ctx context.Context, rows []event.Row) error {
	if len(rows) == 0 {
		return nil
	}
	for i := range rows {
		if err := sqlgen.CheckRow(&rows[i]); err != nil {
			return fmt.Errorf("duckdb: append events: row %d: %w", i, err)
		}
	}
	if err := s.appendTx(ctx, rows, nil); err != nil {
		return fmt.Errorf("duckdb: append events: %w", err)
	}
	return nil
}

// appendTx appends rows in one transaction, with the collector's log
// position when mark is set (wal.go); it does not check the rows, so
// tests can make the database itself fail in the middle of a batch.
func (s *Store) appendTx(ctx context.Context, rows []event.Row, mark *walMark) (err error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.swap.RLock()
	defer s.swap.RUnlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, rollback(conn))
		}
	}()
	if mark != nil {
		if err := checkMark(ctx, conn, mark); err != nil {
			return err
		}
	}
	ids, err := s.ensureSites(ctx, conn, rows)
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(driver.Conn)
			if !ok {
				return fmt.Errorf("unexpected driver connection %T", dc)
			}
			if err := appendRows(ctx, c, rows, ids); err != nil || s.bulk {
				return err
			}
			return appendRollups(ctx, c, rows, ids)
		})
		if err != nil {
			return err
		}
	}
	if mark != nil {
		if err := writeMark(ctx, conn, mark); err != nil {
			return err
		}
	}
	// The commit is not interruptible: a cancellation racing it could
	// leave the caller unsure whether the batch is stored, and a retry
	// would count it twice.
	if _, err = conn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		return err
	}
	s.sites.add(ids)
	return nil
}

// rollback ends the failed transaction; when even that fails, the
// connection is discarded rather than returned to the pool mid-transaction.
func rollback(conn *sql.Conn) error {
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// cancelEvery is how many rows are appended between context checks.
const cancelEvery = 8192

// appendColumns are the columns appendRows fills, in its order: the site
// as its id, the row's other columns, then pageview_page_visitors.
var appendColumns = slices.Concat([]string{"site_id"}, sqlgen.Columns[1:], []string{sqlgen.PageviewPageVisitors})

// appendRows writes rows through an Appender, the site column as its id.
func appendRows(ctx context.Context, c driver.Conn, rows []event.Row, ids map[string]uint32) (err error) {
	// Named columns: migrations add columns at the table's end, after
	// pageview_page_visitors, so table order is not sqlgen.Columns order.
	a, err := duckdb.NewAppenderWithColumns(c, "", "", sqlgen.EventsTable, appendColumns)
	if err != nil {
		return err
	}
	defer func() {
		// Close flushes the rows still buffered; its error (e.g. a
		// constraint) fails the batch.
		err = errors.Join(err, a.Close())
	}()
	vals := make([]any, 0, len(sqlgen.Columns))
	// The row's columns, then pageview_page_visitors.
	dv := make([]driver.Value, len(sqlgen.Columns)+1)
	for i := range rows {
		if i%cancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		vals = sqlgen.Values(vals[:0], &rows[i])
		for j, v := range vals {
			dv[j] = v
		}
		dv[0] = ids[rows[i].Site]
		dv[len(dv)-1] = int32(0)
		if rows[i].Kind == event.KindPageview {
			dv[len(dv)-1] = rows[i].PageVisitors
		}
		if err := a.AppendRow(dv...); err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
	}
	return nil
}
