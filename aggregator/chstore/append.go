package chstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// Append stores rows: it checks every row (sqlgen.CheckRow), then sends
// the whole batch as one block of one INSERT, with an explicit column
// list, to one shard.
//
// What "atomic" means on ClickHouse: the server writes a block only once
// it has received all of it, and makes each part it writes visible at
// once, so a failed or cancelled call before that stores nothing and a
// query never sees part of a batch. A block becomes one part per month
// it spans: a batch crossing a month boundary is written as two parts, and
// a server that fails between them (a crash, too many parts) keeps the
// first. An acknowledgement lost after the server wrote the block makes
// the caller retry a stored batch; plain MergeTree cannot tell the copy
// apart (docs/clickhouse.md).
func (s *Store) Append(ctx context.Context, rows []event.Row) error {
	if len(rows) == 0 {
		return nil
	}
	for i := range rows {
		err := sqlgen.CheckRow(&rows[i])
		if err == nil {
			err = checkTS(rows[i].TS)
		}
		if err != nil {
			return fmt.Errorf("clickhouse: append events: row %d: %w", i, err)
		}
	}
	sh := s.pick()
	if err := s.insert(ctx, sh, rows); err != nil {
		return fmt.Errorf("clickhouse: append events to %s: %w", sh.addr, err)
	}
	if s.cfg.BulkLoad {
		return nil
	}
	// The rollup rows follow in a block of their own: a failure between
	// the two leaves the rollup rows short, like a batch crossing a month
	// (above). AppendWAL has no such gap.
	rctx, cancel := s.timeout(ctx)
	defer cancel()
	if err := s.insertRollups(rctx, sh, rollup.Derive(rows), "", 0); err != nil {
		return fmt.Errorf("clickhouse: append rollup rows to %s: %w", sh.addr, err)
	}
	return nil
}

// insertSQL is the INSERT of Append: every column, named.
func (s *Store) insertSQL() string {
	return "INSERT INTO " + s.table + " (" + strings.Join(sqlgen.Columns, ", ") + ")"
}

// insert sends rows to a shard in one block.
func (s *Store) insert(ctx context.Context, sh *shard, rows []event.Row) (err error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	batch, err := sh.conn.PrepareBatch(ctx, s.insertSQL())
	if err != nil {
		return err
	}
	if err := appendColumns(batch, rows); err != nil {
		// Abort drops the connection: the server never receives a block
		// and stores nothing.
		return errors.Join(err, batch.Abort())
	}
	return send(batch)
}

// send ends an INSERT: the rows as one block, then the end of the data,
// and the server's answer. It is Batch.Send without Send's context
// watchdog: in clickhouse-go v2.50 that goroutine can still close the
// connection after Send has returned it to the pool, when the context
// ends just then (as a deferred cancel does), and the next statement on
// that connection fails with "use of closed network connection". The
// statement's deadline still bounds every read.
func send(b driver.Batch) error {
	if err := b.Flush(); err != nil {
		// Abort drops the connection: the server never receives the end
		// of the data and stores nothing.
		return errors.Join(err, b.Abort())
	}
	return b.Close()
}

// appendColumns fills the batch column by column, in sqlgen.Columns order:
// one typed slice per column rather than a boxed value per cell.
func appendColumns(b driver.Batch, rows []event.Row) error {
	for i, c := range rowColumns {
		if err := b.Column(i).Append(c.values(rows)); err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
	}
	return nil
}

// rowColumn takes one column's values from rows.
type rowColumn struct {
	name   string
	values func(rows []event.Row) any
}

func collect[T any](rows []event.Row, f func(*event.Row) T) []T {
	out := make([]T, len(rows))
	for i := range rows {
		out[i] = f(&rows[i])
	}
	return out
}

// rowColumns lists the events columns in sqlgen.Columns order (a test
// checks the names) with how each is read from a row: the site, ts and
// kind, then every other string column and every counter as event lists
// them.
var rowColumns = func() []rowColumn {
	str := func(i int) rowColumn {
		return rowColumn{event.StringColumns[i], func(rows []event.Row) any {
			return collect(rows, func(r *event.Row) string { return *r.Strings()[i] })
		}}
	}
	out := []rowColumn{
		str(0),
		{"ts", func(rows []event.Row) any { return collect(rows, func(r *event.Row) time.Time { return r.TS.UTC() }) }},
		{"kind", func(rows []event.Row) any { return collect(rows, func(r *event.Row) uint8 { return uint8(r.Kind) }) }},
	}
	for i := 1; i < event.NumStrings; i++ {
		out = append(out, str(i))
	}
	for i, name := range event.CounterColumns {
		out = append(out, rowColumn{name, func(rows []event.Row) any {
			return collect(rows, func(r *event.Row) int32 { return *r.Counters.Fields()[i] })
		}})
	}
	return out
}()
