package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// Ageing on DuckDB (aggregator/ageing, docs/ageing.md): each chunk is
// merged in one transaction — the chunk's rows grouped into a temporary
// table, deleted, and the groups inserted — so a crash leaves it merged or
// as it was, and merging it again changes nothing. Appends wait for a
// chunk at most (writeMu); queries never wait, reading their snapshot.
//
// A promise (ageing.State) is written before its chunks are merged, under
// ageMu: queries hold ageMu's read lock from their check to their last
// row, so once SetAgeingState returns no query planned under the earlier
// promise is still reading.

var _ ageing.Store = (*Store)(nil)

// ageStates caches the ageing table by site id.
type ageStates struct {
	mu sync.RWMutex
	m  map[uint32]ageing.State
}

func (a *ageStates) get(id uint32) ageing.State {
	return a.m[id]
}

// loadAgeing reads the ageing table into the cache.
func (s *Store) loadAgeing(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, fixed("loadAgeing"))
	if err != nil {
		return fmt.Errorf("duckdb: read ageing states: %w", err)
	}
	defer rows.Close()
	m := map[uint32]ageing.State{}
	for rows.Next() {
		var id uint32
		var loc string
		var hour, day, general, rollupDay sql.NullTime
		if err := rows.Scan(&id, &loc, &hour, &day, &general, &rollupDay); err != nil {
			return fmt.Errorf("duckdb: read ageing states: %w", err)
		}
		l, err := time.LoadLocation(loc)
		if err != nil {
			return fmt.Errorf("duckdb: ageing state of site %d: zone %q: %w", id, loc, err)
		}
		m[id] = ageing.State{Location: l, HourBefore: utc(hour), DayBefore: utc(day), GeneralBefore: utc(general), RollupDayBefore: utc(rollupDay)}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("duckdb: read ageing states: %w", err)
	}
	s.ages.m = m
	return nil
}

func utc(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// AgeingState returns what the store has promised about the site's rows.
func (s *Store) AgeingState(ctx context.Context, site string) (ageing.State, error) {
	s.swap.RLock()
	defer s.swap.RUnlock()
	id, err := s.siteID(ctx, site)
	if err != nil {
		return ageing.State{}, fmt.Errorf("duckdb: ageing state: %w", err)
	}
	s.ages.mu.RLock()
	defer s.ages.mu.RUnlock()
	return s.ages.get(id), nil
}

// SetAgeingState records a later promise for the site's rows. A site
// without rows has nothing to promise about.
func (s *Store) SetAgeingState(ctx context.Context, site string, st ageing.State) error {
	s.swap.RLock()
	defer s.swap.RUnlock()
	id, err := s.siteID(ctx, site)
	if err != nil || id == noSite {
		return err
	}
	if st.Location == nil {
		return errors.New("duckdb: set ageing state: no zone")
	}
	s.ages.mu.Lock()
	defer s.ages.mu.Unlock()
	st = ageing.Later(s.ages.get(id), st)
	if _, err := s.db.ExecContext(ctx, fixed("SetAgeingState"), id, st.Location.String(),
		nullTime(st.HourBefore), nullTime(st.DayBefore), nullTime(st.GeneralBefore), nullTime(st.RollupDayBefore)); err != nil {
		return fmt.Errorf("duckdb: set ageing state: %w", err)
	}
	s.ages.m[id] = st
	return nil
}

// PendingAgeing lists the UTC hours holding rows finer than st promises.
func (s *Store) PendingAgeing(ctx context.Context, site string, st ageing.State) (events, rollups []time.Time, err error) {
	s.swap.RLock()
	defer s.swap.RUnlock()
	id, err := s.siteID(ctx, site)
	if err != nil || id == noSite {
		return nil, nil, err
	}
	if events, err = s.hours(ctx, fixed("PendingAgeing_events"), id, nullTime(st.HourBefore), nullTime(st.GeneralBefore), nullTime(st.DayBefore)); err != nil {
		return nil, nil, fmt.Errorf("duckdb: pending ageing: %w", err)
	}
	q := strings.Replace(fixed("PendingAgeing_rollups"), "{generalised}", ageing.GeneralisedDimsSQL(), 1)
	if rollups, err = s.hours(ctx, q, id, nullTime(st.RollupDayBefore), nullTime(st.GeneralBefore)); err != nil {
		return nil, nil, fmt.Errorf("duckdb: pending ageing: %w", err)
	}
	return events, rollups, nil
}

func (s *Store) hours(ctx context.Context, q string, args ...any) ([]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t.UTC())
	}
	return out, rows.Err()
}

// Age merges each site's chunks, one transaction per chunk. A pass that
// merged days ends with Compact, so the merged rows' values leave the
// file (their bytes would otherwise stay in freed blocks); one that merged
// hours only, with a checkpoint, so they leave the database's log.
func (s *Store) Age(ctx context.Context, work []ageing.Work) (ageing.Stats, error) {
	var stats ageing.Stats
	days := false
	for _, w := range work {
		for _, c := range w.Chunks {
			if err := ctx.Err(); err != nil {
				return stats, err
			}
			st, err := s.ageChunk(ctx, w.Site, c)
			if err != nil {
				return stats, fmt.Errorf("duckdb: age %s [%s, %s): %w", w.Site, c.From.Format(time.RFC3339), c.To.Format(time.RFC3339), err)
			}
			stats.Add(st)
			days = days || (c.Grain >= ageing.Day && !c.Rollup)
		}
	}
	switch {
	case days:
		if err := s.Compact(ctx); err != nil {
			return stats, err
		}
	case stats.Chunks > 0:
		s.writeMu.Lock()
		s.swap.RLock()
		if _, err := s.db.ExecContext(ctx, fixed("DeleteBefore_checkpoint")); err != nil {
			s.log.Warn("duckdb: checkpoint after ageing failed", "err", err)
		}
		s.swap.RUnlock()
		s.writeMu.Unlock()
	}
	return stats, nil
}

// ageChunk merges one chunk in one transaction.
func (s *Store) ageChunk(ctx context.Context, site string, c ageing.Chunk) (st ageing.Stats, err error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.swap.RLock()
	defer s.swap.RUnlock()
	id, err := s.siteID(ctx, site)
	if err != nil {
		return st, err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return st, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return st, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, rollback(conn))
		}
	}()
	table, columns, group, args := eventsChunkSQL(c)
	if c.Rollup {
		table, columns, group, args = rollupsChunkSQL(c)
	}
	steps := []struct {
		sql  string
		args []any
		n    *int64
	}{
		{"CREATE TEMP TABLE aged AS " + group, append(args, id, c.From.UTC(), c.To.UTC()), nil},
		{"DELETE FROM " + table + " WHERE site_id = ? AND ts >= ? AND ts < ?", []any{id, c.From.UTC(), c.To.UTC()}, &st.RowsBefore},
		{"INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") SELECT * FROM aged", nil, &st.RowsAfter},
		{"DROP TABLE aged", nil, nil},
	}
	for _, step := range steps {
		res, err := conn.ExecContext(ctx, step.sql, step.args...)
		if err != nil {
			return st, err
		}
		if step.n != nil {
			if *step.n, err = res.RowsAffected(); err != nil {
				return st, err
			}
		}
	}
	if _, err = conn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		return st, err
	}
	st.Chunks = 1
	return st, nil
}

// eventsChunkSQL groups a chunk's event rows: ts to the chunk's grain,
// the generalised columns emptied for DayGeneral, every counter summed
// (a sum beyond 32 bits fails the cast, and the chunk, rather than wrap).
// It selects columns in order; its arguments are followed by the site id
// and the chunk's bounds.
func eventsChunkSQL(c ageing.Chunk) (table string, columns []string, group string, args []any) {
	bucket := "CAST(? AS TIMESTAMP)"
	args = []any{c.From.UTC()}
	if c.Grain == ageing.Hour {
		// Hours of the zone start where ts + offset is a whole hour.
		bucket = "time_bucket(INTERVAL 1 HOUR, ts, CAST(? AS TIMESTAMP))"
		args = []any{time.Unix(-int64(c.Offset), 0).UTC()}
	}
	counters := map[string]bool{}
	for _, name := range rollup.Counters {
		counters[name] = true
	}
	dropped := map[string]bool{}
	if c.Grain == ageing.DayGeneral {
		for _, col := range ageing.GeneralisedColumns {
			dropped[col] = true
		}
	}
	cols := []string{"site_id", bucket}
	for _, col := range sqlgen.Columns[2:] {
		switch {
		case counters[col]:
			cols = append(cols, "CAST(sum("+col+") AS INTEGER)")
		case dropped[col]:
			cols = append(cols, "''")
		default:
			cols = append(cols, col)
		}
	}
	cols = append(cols, "CAST(sum(pageview_page_visitors) AS INTEGER)", "CAST("+strconv.Itoa(int(c.Grain))+" AS UTINYINT)")
	columns = slices.Concat([]string{"site_id"}, sqlgen.Columns[1:], []string{sqlgen.PageviewPageVisitors, "grain"})
	return sqlgen.EventsTable, columns, "SELECT " + strings.Join(cols, ", ") +
		" FROM events WHERE site_id = ? AND ts >= ? AND ts < ? GROUP BY ALL", args
}

// rollupsChunkSQL groups a day's rollup rows into one row per dimension
// and value at the day's start, leaving out the generalised dimensions
// for DayGeneral.
func rollupsChunkSQL(c ageing.Chunk) (table string, columns []string, group string, args []any) {
	sums := make([]string, len(rollup.Counters))
	for i, name := range rollup.Counters {
		sums[i] = "sum(" + name + ")"
	}
	where := ""
	if c.Grain == ageing.DayGeneral {
		where = " AND dim NOT IN (" + ageing.GeneralisedDimsSQL() + ")"
	}
	columns = slices.Concat([]string{"site_id", "ts", "grain", "dim", "value"}, rollup.Counters)
	return sqlgen.RollupsTable, columns, "SELECT site_id, CAST(? AS TIMESTAMP), CAST(" + strconv.Itoa(int(ageing.Day)) + " AS UTINYINT), dim, value, " +
			strings.Join(sums, ", ") + " FROM rollups WHERE site_id = ? AND ts >= ? AND ts < ?" + where + " GROUP BY site_id, dim, value",
		[]any{c.From.UTC()}
}
