package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

// walMark is the log position an append records in its transaction.
type walMark struct {
	log         string
	after, upTo uint64
}

// errAlreadyApplied ends a transaction whose batch is already stored.
var errAlreadyApplied = errors.New("batch already applied")

// AppendWAL stores rows and the collector's log position in one
// transaction (collector.Sink): a crash leaves both or neither, so the
// collector's replay stores each record exactly once. A batch the store
// already holds is a no-op; one overlapping what it holds is refused.
func (s *Store) AppendWAL(ctx context.Context, log string, after, upTo uint64, rows []event.Row) error {
	if upTo <= after {
		return fmt.Errorf("duckdb: append log batch: empty range (%d, %d]", after, upTo)
	}
	for i := range rows {
		if err := sqlgen.CheckRow(&rows[i]); err != nil {
			return fmt.Errorf("duckdb: append log batch: row %d: %w", i, err)
		}
	}
	err := s.appendTx(ctx, rows, &walMark{log: log, after: after, upTo: upTo})
	if err != nil && !errors.Is(err, errAlreadyApplied) {
		return fmt.Errorf("duckdb: append log batch: %w", err)
	}
	return nil
}

// checkMark runs first in the append transaction: it reads the log's
// position and decides whether the batch is new, already stored, or
// overlapping.
func checkMark(ctx context.Context, conn *sql.Conn, m *walMark) error {
	var have uint64
	err := conn.QueryRowContext(ctx, fixed("WALApplied"), m.log).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("read log position: %w", err)
	case have >= m.upTo:
		return errAlreadyApplied
	case have > m.after:
		return fmt.Errorf("log %s is stored up to %d, inside the batch (%d, %d]: storing it would count records twice", m.log, have, m.after, m.upTo)
	}
	return nil
}

// writeMark runs last in the append transaction.
func writeMark(ctx context.Context, conn *sql.Conn, m *walMark) error {
	if _, err := conn.ExecContext(ctx, fixed("AppendWAL_mark"), m.log, m.upTo); err != nil {
		return fmt.Errorf("write log position: %w", err)
	}
	return nil
}

// WALApplied returns how far the log is stored, 0 for an unknown log.
func (s *Store) WALApplied(ctx context.Context, log string) (uint64, error) {
	s.swap.RLock()
	defer s.swap.RUnlock()
	var have uint64
	err := s.db.QueryRowContext(ctx, fixed("WALApplied"), log).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("duckdb: read log position: %w", err)
	}
	return have, nil
}

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	s.swap.RLock()
	defer s.swap.RUnlock()
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("duckdb: ping: %w", err)
	}
	return nil
}
