package duckstore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DeleteBefore removes the site's rows with ts before the given instant
// and returns how many it removed (retention, DESIGN §1.8). After a
// deletion it checkpoints, so the deleted rows leave DuckDB's write-ahead
// log. The checkpoint is best effort (a concurrent transaction can make
// DuckDB refuse it; an automatic one follows): its failure is logged, the
// deletion stands. The deleted values stay in the file until Compact.
func (s *Store) DeleteBefore(ctx context.Context, site string, before time.Time) (int64, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.swap.RLock()
	defer s.swap.RUnlock()
	id, err := s.siteID(ctx, site)
	if err != nil {
		return 0, fmt.Errorf("duckdb: delete before: %w", err)
	}
	n, err := s.deleteBefore(ctx, id, before)
	if err != nil {
		return 0, fmt.Errorf("duckdb: delete before: %w", err)
	}
	if n > 0 {
		if _, err := s.db.ExecContext(ctx, fixed("DeleteBefore_checkpoint")); err != nil {
			s.log.Warn("duckdb: checkpoint after retention delete failed", "err", err)
		}
	}
	return n, nil
}

// deleteBefore deletes the event rows and their rollup rows in one
// transaction, so queries never see one without the other.
func (s *Store) deleteBefore(ctx context.Context, id uint32, before time.Time) (n int64, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	res, err := tx.ExecContext(ctx, fixed("DeleteBefore"), id, before.UTC())
	if err != nil {
		return 0, err
	}
	if n, err = res.RowsAffected(); err != nil {
		return 0, err
	}
	if _, err = tx.ExecContext(ctx, fixed("DeleteBefore_rollups"), id, before.UTC()); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// SitesWithRows lists the sites the store has held rows of (retention
// covers sites no longer configured with it).
func (s *Store) SitesWithRows(ctx context.Context) ([]string, error) {
	s.swap.RLock()
	defer s.swap.RUnlock()
	out, err := s.strings(ctx, fixed("SitesWithRows"))
	if err != nil {
		return nil, fmt.Errorf("duckdb: sites with rows: %w", err)
	}
	return out, nil
}
