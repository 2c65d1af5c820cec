package chstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
)

// Ageing on ClickHouse (aggregator/ageing, docs/ageing.md). ClickHouse has
// no transactions, so a merge cannot replace rows in one step. It is a job
// in four steps on each shard, each safe to repeat:
//
//  1. claim: a mutation sets the age column of the rows to merge to the
//     job's id J. A mutation changes the parts that exist when it is
//     issued, so rows inserted later (late rows) are not claimed.
//  2. outputs: the claimed rows' groups are inserted with age J|AgeOutput.
//  3. commit: J is inserted into age_commits.
//  4. delete: a mutation deletes the rows claimed by J.
//
// Every query reads rows through sqlgen.ClickHouseAged's condition: a row
// claimed by J counts until J is committed, an output of J from then on.
// The commit is one row, so the switch is atomic, and a query sees either
// the sources or the outputs, never both or neither. A job cut short is
// found in age_jobs by the next pass: uncommitted, its outputs are deleted
// and inserted again from its sources; committed, its sources are deleted.
//
// Only rows whose log batch is stored (wal.go) are claimed: a batch whose
// position was not written may still be deleted and stored again, and its
// rows must still be there, unmerged, when that happens.

var _ ageing.Store = (*Store)(nil)

// ensureAgeingColumns adds grain and age to a shard's events table once:
// checked in system.columns first, since ADD COLUMN IF NOT EXISTS is not
// available on ClickHouse 18.
func (s *Store) ensureAgeingColumns(ctx context.Context, sh *shard) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	have, err := s.columnNames(ctx, sh, s.table)
	if err != nil {
		return err
	}
	var add []string
	if !slices.Contains(have, "grain") {
		add = append(add, "ADD COLUMN grain UInt8 DEFAULT 0")
	}
	if !slices.Contains(have, "age") {
		add = append(add, "ADD COLUMN age UInt64 DEFAULT 0")
	}
	if len(add) == 0 {
		return nil
	}
	if err := sh.conn.Exec(ctx, "ALTER TABLE "+s.table+" "+strings.Join(add, ", ")); err != nil {
		return fmt.Errorf("clickhouse: add the ageing columns on %s: %w", sh.addr, err)
	}
	return nil
}

// ageCache holds the sites' promises as read from the first shard, for
// queries (AgeingStateTTL), and when this store last made one.
type ageCache struct {
	mu      sync.Mutex
	m       map[string]cachedState
	lastSet time.Time
}

type cachedState struct {
	st ageing.State
	at time.Time
}

// epoch stands for "no boundary" in the DateTime columns.
var epoch = time.Unix(0, 0).UTC()

func fromEpoch(t time.Time) time.Time {
	if !t.After(epoch.Add(24 * time.Hour)) {
		return time.Time{}
	}
	return t.UTC()
}

func toEpoch(t time.Time) time.Time {
	if t.IsZero() {
		return epoch
	}
	return t.UTC()
}

// AgeingState returns the site's promise as the first shard holds it.
func (s *Store) AgeingState(ctx context.Context, site string) (ageing.State, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := s.shards[0].conn.Query(ctx, fixed("AgeingState"), site)
	if err != nil {
		return ageing.State{}, fmt.Errorf("clickhouse: ageing state: %w", err)
	}
	defer rows.Close()
	var st ageing.State
	for rows.Next() {
		var loc string
		var hour, day, general, rollupDay time.Time
		if err := rows.Scan(&loc, &hour, &day, &general, &rollupDay); err != nil {
			return st, fmt.Errorf("clickhouse: ageing state: %w", err)
		}
		l, err := time.LoadLocation(loc)
		if err != nil {
			return st, fmt.Errorf("clickhouse: ageing state of %s: zone %q: %w", site, loc, err)
		}
		st = ageing.State{Location: l, HourBefore: fromEpoch(hour), DayBefore: fromEpoch(day), GeneralBefore: fromEpoch(general), RollupDayBefore: fromEpoch(rollupDay)}
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("clickhouse: ageing state: %w", err)
	}
	s.ages.mu.Lock()
	if s.ages.m == nil {
		s.ages.m = map[string]cachedState{}
	}
	s.ages.m[site] = cachedState{st: st, at: time.Now()}
	s.ages.mu.Unlock()
	return st, nil
}

// queryState is AgeingState for a query: cached for AgeingStateTTL.
func (s *Store) queryState(ctx context.Context, site string) (ageing.State, error) {
	s.ages.mu.Lock()
	c, ok := s.ages.m[site]
	s.ages.mu.Unlock()
	if ok && time.Since(c.at) < s.cfg.AgeingStateTTL {
		return c.st, nil
	}
	return s.AgeingState(ctx, site)
}

// SetAgeingState records a later promise on the first shard. Merges to
// it wait AgeingGrace (Age), so that queries on every server have read it.
func (s *Store) SetAgeingState(ctx context.Context, site string, st ageing.State) error {
	if st.Location == nil {
		return errors.New("clickhouse: set ageing state: no zone")
	}
	cur, err := s.AgeingState(ctx, site)
	if err != nil {
		return err
	}
	st = ageing.Later(cur, st)
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	b, err := s.shards[0].conn.PrepareBatch(ctx, fixed("SetAgeingState"))
	if err != nil {
		return fmt.Errorf("clickhouse: set ageing state: %w", err)
	}
	if err := b.Append(site, st.Location.String(), toEpoch(st.HourBefore), toEpoch(st.DayBefore), toEpoch(st.GeneralBefore),
		toEpoch(st.RollupDayBefore), uint64(time.Now().UnixNano())); err != nil {
		return errors.Join(fmt.Errorf("clickhouse: set ageing state: %w", err), b.Abort())
	}
	if err := send(b); err != nil {
		return fmt.Errorf("clickhouse: set ageing state: %w", err)
	}
	s.ages.mu.Lock()
	if s.ages.m == nil {
		s.ages.m = map[string]cachedState{}
	}
	s.ages.m[site] = cachedState{st: st, at: time.Now()}
	s.ages.lastSet = time.Now()
	s.ages.mu.Unlock()
	return nil
}

// PendingAgeing lists the UTC hours holding rows finer than st promises,
// on every shard.
func (s *Store) PendingAgeing(ctx context.Context, site string, st ageing.State) (events, rollups []time.Time, err error) {
	q := strings.Replace(fixed("PendingAgeing_events"), "{visible}", s.dialect.Visible(eventsTable), 1)
	if events, err = s.hours(ctx, q, site, toEpoch(st.HourBefore), toEpoch(st.GeneralBefore), toEpoch(st.DayBefore)); err != nil {
		return nil, nil, fmt.Errorf("clickhouse: pending ageing: %w", err)
	}
	q = strings.NewReplacer("{visible}", s.dialect.Visible(rollupsTable), "{generalised}", ageing.GeneralisedDimsSQL()).Replace(fixed("PendingAgeing_rollups"))
	if rollups, err = s.hours(ctx, q, site, toEpoch(st.RollupDayBefore), toEpoch(st.GeneralBefore)); err != nil {
		return nil, nil, fmt.Errorf("clickhouse: pending ageing: %w", err)
	}
	return events, rollups, nil
}

func (s *Store) hours(ctx context.Context, q string, args ...any) ([]time.Time, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := s.conn.Query(ctx, q, args...)
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

// Age merges the chunks: it waits until a promise made by this store is
// AgeingGrace old, then runs one job on each shard.
func (s *Store) Age(ctx context.Context, work []ageing.Work) (ageing.Stats, error) {
	var stats ageing.Stats
	s.ages.mu.Lock()
	wait := s.cfg.AgeingGrace - time.Since(s.ages.lastSet)
	s.ages.mu.Unlock()
	if wait > 0 {
		select {
		case <-ctx.Done():
			return stats, ctx.Err()
		case <-time.After(wait):
		}
	}
	settled, err := s.settledPositions(ctx)
	if err != nil {
		return stats, err
	}
	for _, sh := range s.shards {
		st, err := s.ageShard(ctx, sh, work, settled)
		stats.Add(st)
		if err != nil {
			return stats, fmt.Errorf("clickhouse: age on %s: %w", sh.addr, err)
		}
	}
	return stats, nil
}

// settledPositions reads how far each log is stored: rows at or below a
// log's position are final.
func (s *Store) settledPositions(ctx context.Context) (map[string]uint64, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := s.shards[0].conn.Query(ctx, fixed("settledPositions"))
	if err != nil {
		return nil, fmt.Errorf("clickhouse: read the log positions: %w", err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var log string
		var upTo uint64
		if err := rows.Scan(&log, &upTo); err != nil {
			return nil, err
		}
		out[log] = upTo
	}
	return out, rows.Err()
}
