package duckstore

import (
	"context"
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
	res, err := s.db.ExecContext(ctx, fixed("DeleteBefore"), id, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("duckdb: delete before: %w", err)
	}
	n, err := res.RowsAffected()
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
