package chstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DeleteBefore removes the site's rows with ts before the given instant
// from every shard and returns how many it removed (retention, DESIGN
// §1.8). A month holding nothing but such rows is dropped as a whole
// partition, at once; the other rows go by an ALTER TABLE … DELETE
// mutation, which ClickHouse runs in the background: DeleteBefore waits
// until system.mutations reports it done (at most MutationTimeout).
//
// ClickHouse removes the files of dropped and rewritten parts after the
// server's old_parts_lifetime (8 minutes by default).
func (s *Store) DeleteBefore(ctx context.Context, site string, before time.Time) (int64, error) {
	var total int64
	for _, sh := range s.shards {
		n, err := s.deleteBefore(ctx, sh, site, clampTimes([]any{before.UTC()})[0].(time.Time))
		if err != nil {
			return total, fmt.Errorf("clickhouse: delete before on %s: %w", sh.addr, err)
		}
		total += n
	}
	return total, nil
}

// deleteBefore deletes the site's event rows before the cut-off, then
// their rollup rows (rollup rows start on a quarter or a day, and the
// cut-off is the start of a day, so none straddles it). It returns the
// event rows deleted.
func (s *Store) deleteBefore(ctx context.Context, sh *shard, site string, before time.Time) (int64, error) {
	n, err := s.deleteBeforeIn(ctx, sh, s.table, site, before)
	if err != nil {
		return 0, err
	}
	if _, err := s.deleteBeforeIn(ctx, sh, s.rollups, site, before); err != nil {
		return 0, fmt.Errorf("rollup rows: %w", err)
	}
	return n, nil
}

func (s *Store) deleteBeforeIn(ctx context.Context, sh *shard, table, site string, before time.Time) (int64, error) {
	n, err := s.countBefore(ctx, sh, table, site, before)
	if err != nil || n == 0 {
		return 0, err
	}
	if err := s.dropMonths(ctx, sh, table, site, before); err != nil {
		return 0, err
	}
	left, err := s.countBefore(ctx, sh, table, site, before)
	if err != nil || left == 0 {
		return n, err
	}
	ectx, cancel := s.timeout(ctx)
	defer cancel()
	if err := sh.conn.Exec(ectx, tableSQL("DeleteBefore", table), site, before); err != nil {
		return 0, err
	}
	return n, s.waitMutationsOn(ctx, sh, table)
}

// tableSQL is a fixed statement on the shard's MergeTree table.
func (s *Store) tableSQL(name string) string {
	return tableSQL(name, s.table)
}

// tableSQL is a fixed statement on one of the store's tables.
func tableSQL(name, table string) string {
	return strings.ReplaceAll(fixed(name), "{table}", table)
}

func (s *Store) countBefore(ctx context.Context, sh *shard, table, site string, before time.Time) (int64, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	var n uint64
	if err := sh.conn.QueryRow(ctx, tableSQL("DeleteBefore_count", table), site, before).Scan(&n); err != nil {
		return 0, err
	}
	return int64(n), nil
}

// dropMonths drops the partitions holding only the site's rows before the
// cut-off.
func (s *Store) dropMonths(ctx context.Context, sh *shard, table, site string, before time.Time) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(ctx, tableSQL("DeleteBefore_months", table), before, site, before)
	if err != nil {
		return err
	}
	var months []uint32
	for rows.Next() {
		var m uint32
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return err
		}
		months = append(months, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range months {
		// The partition ID is a number the server returned (YYYYMM).
		stmt := strings.ReplaceAll(tableSQL("DeleteBefore_drop", table), "{partition}", strconv.FormatUint(uint64(m), 10))
		if err := sh.conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("drop partition %d: %w", m, err)
		}
		s.log.Info("clickhouse: retention dropped a month", "addr", sh.addr, "partition", m)
	}
	return nil
}

// waitMutationsOn polls system.mutations until the table has no mutation
// left to do, or MutationTimeout passes.
func (s *Store) waitMutationsOn(ctx context.Context, sh *shard, table string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.MutationTimeout)
	defer cancel()
	wait := 20 * time.Millisecond
	for {
		var pending uint64
		qctx, qcancel := s.timeout(ctx)
		err := sh.conn.QueryRow(qctx, fixed("DeleteBefore_pending"), s.cfg.Database, table).Scan(&pending)
		qcancel()
		if err != nil {
			return fmt.Errorf("wait for the mutation: %w", err)
		}
		if pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the mutation on %s is not done after %v; ClickHouse keeps running it", table, s.cfg.MutationTimeout)
		case <-time.After(wait):
			wait = min(2*wait, time.Second)
		}
	}
}

// SitesWithRows lists the sites that have rows on any shard (retention
// covers sites no longer configured with it).
func (s *Store) SitesWithRows(ctx context.Context) ([]string, error) {
	seen := map[string]bool{}
	for _, sh := range s.shards {
		if err := s.siteNames(ctx, sh, seen); err != nil {
			return nil, fmt.Errorf("clickhouse: sites with rows on %s: %w", sh.addr, err)
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

func (s *Store) siteNames(ctx context.Context, sh *shard, seen map[string]bool) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(ctx, s.tableSQL("SitesWithRows"))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		seen[n] = true
	}
	return rows.Err()
}
