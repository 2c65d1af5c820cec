package chstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// Rollup rows on ClickHouse are derived in Go (rollup.Derive, the DuckDB
// store's derivation too) and inserted into the same shard as their batch,
// right after it, carrying the batch's log position: a batch found whole
// after a failure has its rollup rows whole too, and anything else is
// deleted from both tables and stored again (wal.go).

// insertRollups sends a batch's rollup rows to the shard in one block,
// with the log columns when log is set.
func (s *Store) insertRollups(ctx context.Context, sh *shard, rows []rollup.Row, log string, upTo uint64) error {
	if len(rows) == 0 {
		return nil
	}
	cols := slices.Concat([]string{"site", "ts", "grain", "dim", "value"}, rollup.Counters)
	if log != "" {
		cols = append(cols, "wal_log", "wal_up_to")
	}
	batch, err := sh.conn.PrepareBatch(ctx, "INSERT INTO "+s.rollups+" ("+strings.Join(cols, ", ")+")")
	if err != nil {
		return err
	}
	if err := appendRollupColumns(batch, rows, log, upTo); err != nil {
		return errors.Join(err, batch.Abort())
	}
	return send(batch)
}

func appendRollupColumns(b driver.Batch, rows []rollup.Row, log string, upTo uint64) error {
	n := len(rows)
	sites, ts, grains, dims, values := make([]string, n), make([]time.Time, n), make([]uint8, n), make([]uint8, n), make([]string, n)
	for i := range rows {
		sites[i], ts[i], grains[i], dims[i], values[i] = rows[i].Site, rows[i].TS.UTC(), uint8(ageing.Quarter), uint8(rows[i].Dim), rows[i].Value
	}
	cols := []any{sites, ts, grains, dims, values}
	for c := range rollup.NumCounters {
		v := make([]int64, n)
		for i := range rows {
			v[i] = rows[i].Sums[c]
		}
		cols = append(cols, v)
	}
	if log != "" {
		cols = append(cols, slices.Repeat([]string{log}, n), slices.Repeat([]uint64{upTo}, n))
	}
	for i, c := range cols {
		if err := b.Column(i).Append(c); err != nil {
			return fmt.Errorf("rollup column %d: %w", i, err)
		}
	}
	return nil
}

// prepareRollups builds the rollup rows of the rows stored before rollups
// existed (or by a bulk load) on every shard, once; a bulk load drops them
// and marks them unbuilt instead.
func (s *Store) prepareRollups(ctx context.Context) error {
	for _, sh := range s.shards {
		built, err := s.rollupsBuilt(ctx, sh)
		if err != nil {
			return err
		}
		switch {
		case s.cfg.BulkLoad:
			err := s.exec(ctx, sh, "TRUNCATE TABLE "+s.rollups)
			if err == nil {
				err = s.markRollups(ctx, sh, 0)
			}
			if err != nil {
				return fmt.Errorf("clickhouse: bulk load on %s: %w", sh.addr, err)
			}
		case !built:
			if err := s.buildRollups(ctx, sh); err != nil {
				return fmt.Errorf("clickhouse: build rollups on %s: %w", sh.addr, err)
			}
		}
	}
	return nil
}

func (s *Store) rollupsBuilt(ctx context.Context, sh *shard) (bool, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	var built uint8
	if err := sh.conn.QueryRow(ctx, fixed("rollupsBuilt")).Scan(&built); err != nil {
		return false, fmt.Errorf("clickhouse: rollups on %s: %w", sh.addr, err)
	}
	// The mark is the number of rollup dimensions built; rows built for
	// fewer (an earlier version marked 1 for its 23) are built again.
	return int(built) == rollup.NumDims, nil
}

func (s *Store) markRollups(ctx context.Context, sh *shard, built uint8) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	b, err := sh.conn.PrepareBatch(ctx, fixed("markRollups"))
	if err != nil {
		return err
	}
	if err := b.Append(built, uint64(time.Now().UnixNano())); err != nil {
		return errors.Join(err, b.Abort())
	}
	return send(b)
}

// buildRollups derives the shard's rollup rows from its visible event
// rows on the server, a dimension at a time. Rows left by an interrupted
// build are dropped first.
func (s *Store) buildRollups(ctx context.Context, sh *shard) error {
	start := time.Now()
	if err := s.exec(ctx, sh, "TRUNCATE TABLE "+s.rollups); err != nil {
		return err
	}
	sums := make([]string, 0, len(rollup.Counters))
	for _, name := range rollup.Counters[:rollup.NumCounters-1] {
		sums = append(sums, "toInt64(sum("+name+"))")
	}
	sums = append(sums, "toInt64(sumIf(page_visitors, kind = "+strconv.Itoa(int(event.KindPageview))+"))")
	visible := s.dialect.Visible(s.table)
	cols := strings.Join(slices.Concat([]string{"site", "ts", "grain", "dim", "value"}, rollup.Counters), ", ")
	for d := range rollup.NumDims {
		value := sqlgen.RollupValue(s.dialect, rollup.Dim(d), func(col string) string { return "toString(" + col + ")" })
		where := "1 = 1"
		if visible != "" {
			where = visible
		}
		if w := rollup.Where(rollup.Dim(d)); w != "" {
			where += " AND " + w
		}
		// Fixed identifiers and numbers of the rollup package only.
		q := "INSERT INTO " + s.rollups + " (" + cols + ") SELECT site, toDateTime(intDiv(toUInt32(ts), 900) * 900, 'UTC') AS q, 0, " +
			strconv.Itoa(d) + ", " + value + " AS v, " + strings.Join(sums, ", ") + " FROM " + s.table + " WHERE " + where + " GROUP BY site, q, v"
		if err := s.execLong(ctx, sh, q); err != nil {
			return err
		}
	}
	if err := s.markRollups(ctx, sh, uint8(rollup.NumDims)); err != nil {
		return err
	}
	s.log.Info("clickhouse: built the rollup rows of the stored rows", "addr", sh.addr, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// execLong runs a statement that may take as long as a mutation.
func (s *Store) execLong(ctx context.Context, sh *shard, q string) error {
	ctx, cancel := context.WithTimeout(s.bigQuery(ctx), s.cfg.MutationTimeout)
	defer cancel()
	return sh.conn.Exec(ctx, q)
}
