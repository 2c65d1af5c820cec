package chstore

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// When ClickHouse replaces a part — a merge, the mutation of a retention
// delete or a purge, a dropped partition — the old part stays on disk,
// inactive, for the table's old_parts_lifetime, so that a crash right
// after a merge cannot lose data the merged part had not yet made durable.
// Deleted rows therefore leave the disk only when their old parts go. The
// store sets the table's lifetime (Config.OldPartsLifetime, default 60 s:
// longer than Linux's default 30 s write-back of dirty pages) and Compact
// waits for the deleted parts to be removed.

// partsSettings are the events table's MergeTree settings: the lifetime,
// and a cleanup period no longer than it (the thread that removes old
// parts runs every cleanup_delay_period, 30 s by default).
func (s *Store) partsSettings() string {
	life := int64(s.cfg.OldPartsLifetime / time.Second)
	return fmt.Sprintf("old_parts_lifetime = %d, cleanup_delay_period = %d", life, min(life, 30))
}

var lifetimeRE = regexp.MustCompile(`old_parts_lifetime = (\d+)`)

// ensurePartsLifetime sets the lifetime on a table created before it was
// part of the schema (servers from 19.x alter a MergeTree setting; older
// ones cannot, and keep ClickHouse's default, which is logged).
func (s *Store) ensurePartsLifetime(ctx context.Context, sh *shard) error {
	life, err := s.partsLifetime(ctx, sh)
	if err != nil || life == s.cfg.OldPartsLifetime {
		return err
	}
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	if err := sh.conn.Exec(ctx, s.tableSQL("ensurePartsLifetime")+" "+s.partsSettings()); err != nil {
		s.log.Warn("clickhouse: cannot set old_parts_lifetime on the events table; deleted rows stay on disk for the server's lifetime (set <merge_tree><old_parts_lifetime> in its configuration)",
			"addr", sh.addr, "lifetime", life, "err", err)
	}
	return nil
}

// partsLifetime is the events table's old_parts_lifetime: its own setting,
// or the server's.
func (s *Store) partsLifetime(ctx context.Context, sh *shard) (time.Duration, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	var engine string
	if err := sh.conn.QueryRow(ctx, fixed("partsLifetime_table"), s.cfg.Database, s.table).Scan(&engine); err != nil {
		return 0, fmt.Errorf("clickhouse: read the settings of %s on %s: %w", s.table, sh.addr, err)
	}
	if m := lifetimeRE.FindStringSubmatch(engine); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 64)
		return time.Duration(n) * time.Second, err
	}
	var v string
	if err := sh.conn.QueryRow(ctx, fixed("partsLifetime_server")).Scan(&v); err != nil {
		return 0, fmt.Errorf("clickhouse: read old_parts_lifetime on %s: %w", sh.addr, err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return time.Duration(n) * time.Second, err
}

// Compact waits until the parts that deletions replaced are removed from
// every shard's disk, so that no byte of a deleted row is left (DESIGN
// §1.8). It waits for the parts inactive when it starts, at most their
// lifetime plus two cleanup periods.
func (s *Store) Compact(ctx context.Context) error {
	for _, sh := range s.shards {
		if err := s.waitOldParts(ctx, sh); err != nil {
			return fmt.Errorf("clickhouse: compact on %s: %w", sh.addr, err)
		}
	}
	return nil
}

func (s *Store) waitOldParts(ctx context.Context, sh *shard) error {
	life, err := s.partsLifetime(ctx, sh)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, life+2*time.Minute)
	defer cancel()
	var waiting []string
	for {
		names, err := s.inactiveParts(ctx, sh)
		if err != nil {
			return err
		}
		if waiting == nil {
			waiting = names
		} else {
			waiting = slices.DeleteFunc(waiting, func(n string) bool { return !slices.Contains(names, n) })
		}
		if len(waiting) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d replaced parts still on disk after %v (old_parts_lifetime %v)", len(waiting), life+2*time.Minute, life)
		case <-time.After(time.Second):
		}
	}
}

// inactiveParts names the parts of the events and rollup tables that wait
// for removal (the rollup rows carry values too: pages, sources).
func (s *Store) inactiveParts(ctx context.Context, sh *shard) ([]string, error) {
	out := []string{}
	for _, table := range []string{s.table, s.rollups} {
		names, err := s.inactivePartsOf(ctx, sh, table)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			out = append(out, table+"/"+n)
		}
	}
	return out, nil
}

func (s *Store) inactivePartsOf(ctx context.Context, sh *shard, table string) ([]string, error) {
	qctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(qctx, fixed("inactiveParts"), s.cfg.Database, table)
	if err != nil {
		return nil, fmt.Errorf("list old parts of %s: %w", table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
