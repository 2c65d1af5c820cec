package chstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// Exactly-once appends from the collector's write-ahead log
// (collector.Sink). ClickHouse has no transactions, so a batch's rows and
// its log position cannot be written in one step. Instead:
//
//  1. The position is read from wal_applied on the first shard; a batch at
//     or below it is already stored, one overlapping it is refused.
//  2. The rows are inserted in one block to one shard, each carrying the
//     log's id and the batch's position (wal_log, wal_up_to).
//  3. The position is written to wal_applied.
//
// A failure between 2 and 3 (a crash, a lost answer) leaves rows tagged
// with a position beyond the stored one. Before the next batch of that log
// that does not directly follow a batch this process completed, every
// shard is checked for such rows: the same batch found whole is kept
// (only the position is written); anything else is deleted by a mutation
// before the batch is inserted again. So each record is stored once.
// While any shard is unreachable such a check cannot run and batches wait
// in the collector's log, which keeps accepting hits.

// AppendWAL stores rows and the log's position once (see above).
func (s *Store) AppendWAL(ctx context.Context, log string, after, upTo uint64, rows []event.Row) error {
	if upTo <= after {
		return fmt.Errorf("clickhouse: append log batch: empty range (%d, %d]", after, upTo)
	}
	for i := range rows {
		err := sqlgen.CheckRow(&rows[i])
		if err == nil {
			err = checkTS(rows[i].TS)
		}
		if err != nil {
			return fmt.Errorf("clickhouse: append log batch: row %d: %w", i, err)
		}
	}
	if err := s.appendWAL(ctx, log, after, upTo, rows); err != nil {
		s.wal.dirty(log)
		return fmt.Errorf("clickhouse: append log batch: %w", err)
	}
	s.wal.clean(log, upTo)
	return nil
}

func (s *Store) appendWAL(ctx context.Context, log string, after, upTo uint64, rows []event.Row) error {
	if err := s.ensureWALColumns(ctx); err != nil {
		return err
	}
	have, err := s.WALApplied(ctx, log)
	switch {
	case err != nil:
		return err
	case have >= upTo:
		return nil
	case have > after:
		return fmt.Errorf("log %s is stored up to %d, inside the batch (%d, %d]: storing it would count records twice", log, have, after, upTo)
	}
	var derived []rollup.Row
	if !s.cfg.BulkLoad {
		derived = rollup.Derive(rows)
	}
	insert := len(rows) > 0
	if !s.wal.follows(log, after) {
		whole, err := s.settleLeftovers(ctx, log, after, upTo, len(rows), len(derived))
		if err != nil {
			return err
		}
		insert = insert && !whole
	}
	if insert {
		sh := s.pick()
		if err := s.insertWAL(ctx, sh, log, upTo, rows); err != nil {
			return fmt.Errorf("insert into %s: %w", sh.addr, err)
		}
		rctx, cancel := s.timeout(walInsertContext(ctx, log))
		err := s.insertRollups(rctx, sh, derived, log, upTo)
		cancel()
		if err != nil {
			return fmt.Errorf("insert rollup rows into %s: %w", sh.addr, err)
		}
	}
	return s.writePosition(ctx, log, upTo)
}

// settleLeftovers finds the rows an earlier attempt left beyond the stored
// position after, event rows and rollup rows. It reports whether they are
// exactly this batch, whole — its n event rows and m rollup rows, on one
// shard (then it is kept); any other leftovers are deleted.
func (s *Store) settleLeftovers(ctx context.Context, log string, after, upTo uint64, n, m int) (bool, error) {
	if err := s.fenceEarlierInserts(ctx, log); err != nil {
		return false, err
	}
	found := make(map[*shard]map[uint64]uint64)
	total, rollups := map[uint64]uint64{}, map[uint64]uint64{}
	holders := 0
	for _, sh := range s.shards {
		ev, err := s.leftovers(ctx, sh, s.table, log, after)
		if err != nil {
			return false, fmt.Errorf("look for an earlier attempt's rows on %s: %w", sh.addr, err)
		}
		ro, err := s.leftovers(ctx, sh, s.rollups, log, after)
		if err != nil {
			return false, fmt.Errorf("look for an earlier attempt's rollup rows on %s: %w", sh.addr, err)
		}
		if len(ev) > 0 || len(ro) > 0 {
			found[sh] = ev
			holders++
		}
		for k, v := range ev {
			total[k] += v
		}
		for k, v := range ro {
			rollups[k] += v
		}
	}
	if len(total) == 0 && len(rollups) == 0 {
		return false, nil
	}
	if holders == 1 && len(total) == 1 && total[upTo] == uint64(n) && n > 0 &&
		(m == 0 && len(rollups) == 0 || len(rollups) == 1 && rollups[upTo] == uint64(m)) {
		return true, nil
	}
	for sh := range found {
		for _, t := range []string{s.table, s.rollups} {
			ectx, cancel := s.timeout(ctx)
			err := sh.conn.Exec(ectx, tableSQL("AppendWAL_delete", t), log, after)
			cancel()
			if err == nil {
				err = s.waitMutationsOn(ctx, sh, t)
			}
			if err != nil {
				return false, fmt.Errorf("delete an earlier attempt's rows on %s: %w", sh.addr, err)
			}
		}
		s.log.Warn("clickhouse: deleted the rows of an unfinished log batch before storing it again", "addr", sh.addr, "batches", len(found[sh]))
	}
	return false, nil
}

func (s *Store) leftovers(ctx context.Context, sh *shard, table, log string, after uint64) (map[uint64]uint64, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(ctx, tableSQL("AppendWAL_leftovers", table), log, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[uint64]uint64{}
	for rows.Next() {
		var pos, n uint64
		if err := rows.Scan(&pos, &n); err != nil {
			return nil, err
		}
		out[pos] = n
	}
	return out, rows.Err()
}

// insertWAL sends rows in one block with the log columns set.
func (s *Store) insertWAL(ctx context.Context, sh *shard, log string, upTo uint64, rows []event.Row) error {
	ctx, cancel := s.timeout(walInsertContext(ctx, log))
	defer cancel()
	batch, err := sh.conn.PrepareBatch(ctx, "INSERT INTO "+s.table+" ("+strings.Join(sqlgen.Columns, ", ")+", wal_log, wal_up_to)")
	if err != nil {
		return err
	}
	err = appendColumns(batch, rows)
	n := len(sqlgen.Columns)
	if err == nil {
		err = batch.Column(n).Append(slices.Repeat([]string{log}, len(rows)))
	}
	if err == nil {
		err = batch.Column(n + 1).Append(slices.Repeat([]uint64{upTo}, len(rows)))
	}
	if err != nil {
		return errors.Join(err, batch.Abort())
	}
	return send(batch)
}

func (s *Store) writePosition(ctx context.Context, log string, upTo uint64) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	b, err := s.shards[0].conn.PrepareBatch(ctx, fixed("AppendWAL_mark"))
	if err != nil {
		return fmt.Errorf("write the log position: %w", err)
	}
	if err := b.Append(log, upTo, time.Now().UTC()); err != nil {
		return errors.Join(fmt.Errorf("write the log position: %w", err), b.Abort())
	}
	if err := send(b); err != nil {
		return fmt.Errorf("write the log position: %w", err)
	}
	return nil
}

// WALApplied returns how far the log is stored, 0 for an unknown log. The
// positions live on the first shard.
func (s *Store) WALApplied(ctx context.Context, log string) (uint64, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	var have uint64
	if err := s.shards[0].conn.QueryRow(ctx, fixed("WALApplied"), log).Scan(&have); err != nil {
		return 0, fmt.Errorf("clickhouse: read the log position on %s: %w", s.shards[0].addr, err)
	}
	return have, nil
}

// ensureWALColumns adds wal_log and wal_up_to to each shard's table once:
// checked in system.columns first, since ADD COLUMN IF NOT EXISTS is not
// available on ClickHouse 18.
func (s *Store) ensureWALColumns(ctx context.Context) error {
	s.wal.mu.Lock()
	defer s.wal.mu.Unlock()
	if s.wal.columns {
		return nil
	}
	for _, sh := range s.shards {
		if err := s.addWALColumns(ctx, sh); err != nil {
			return fmt.Errorf("add the log columns on %s: %w", sh.addr, err)
		}
	}
	s.wal.columns = true
	return nil
}

func (s *Store) addWALColumns(ctx context.Context, sh *shard) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(ctx, fixed("AppendWAL_columns"), s.cfg.Database, s.table)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		have[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var add []string
	if !have["wal_log"] {
		add = append(add, "ADD COLUMN wal_log String DEFAULT ''")
	}
	if !have["wal_up_to"] {
		add = append(add, "ADD COLUMN wal_up_to UInt64 DEFAULT 0")
	}
	if len(add) == 0 {
		return nil
	}
	return sh.conn.Exec(ctx, "ALTER TABLE "+s.table+" "+strings.Join(add, ", "))
}

// Ping checks that the servers answer (readiness).
func (s *Store) Ping(ctx context.Context) error {
	for _, sh := range s.shards {
		pctx, cancel := s.timeout(ctx)
		err := sh.conn.Ping(pctx)
		cancel()
		if err != nil {
			return fmt.Errorf("clickhouse: ping %s: %w", sh.addr, err)
		}
	}
	return nil
}

// walState is what the store remembers of the logs it appends.
type walState struct {
	mu      sync.Mutex
	columns bool              // the log columns exist on every shard
	done    map[string]uint64 // the last batch completed by this process, per log
}

// follows reports whether a batch starting at after directly follows one
// this process completed: then no earlier attempt can have left rows.
func (w *walState) follows(log string, after uint64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	done, ok := w.done[log]
	return ok && done == after
}

func (w *walState) clean(log string, upTo uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done == nil {
		w.done = map[string]uint64{}
	}
	w.done[log] = upTo
}

func (w *walState) dirty(log string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.done, log)
}
