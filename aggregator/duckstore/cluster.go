package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/cluster"
)

// SiteRecords returns every site's configuration record (cluster.SiteStore).
func (s *Store) SiteRecords(ctx context.Context) ([]cluster.SiteRecord, error) {
	rows, err := s.db.QueryContext(ctx, fixed("SiteRecords"))
	if err != nil {
		return nil, fmt.Errorf("duckdb: site records: %w", err)
	}
	defer rows.Close()
	var out []cluster.SiteRecord
	for rows.Next() {
		var r cluster.SiteRecord
		var config string
		if err := rows.Scan(&r.Domain, &config, &r.Removed, &r.Version); err != nil {
			return nil, fmt.Errorf("duckdb: site records: %w", err)
		}
		r.Config = []byte(config)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("duckdb: site records: %w", err)
	}
	return out, nil
}

// PutSiteRecords stores records; an older version than the stored one is
// ignored (cluster.SiteStore).
func (s *Store) PutSiteRecords(ctx context.Context, records []cluster.SiteRecord) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("duckdb: put site records: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	for _, r := range records {
		if _, err := tx.ExecContext(ctx, fixed("PutSiteRecords"), r.Domain, string(r.Config), r.Removed, r.Version); err != nil {
			return fmt.Errorf("duckdb: put site record %s: %w", r.Domain, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("duckdb: put site records: %w", err)
	}
	return nil
}

// TakeLease takes, renews or refuses a lease (cluster.LeaseStore): in one
// transaction, so two callers cannot both take it.
func (s *Store) TakeLease(ctx context.Context, name, holder string, ttl time.Duration) (cluster.Lease, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return cluster.Lease{}, fmt.Errorf("duckdb: take lease: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	cur := cluster.Lease{Name: name}
	var now time.Time
	err = tx.QueryRowContext(ctx, fixed("TakeLease_read"), name).Scan(&cur.Holder, &cur.Until, &now)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRowContext(ctx, "SELECT CAST(now() AS TIMESTAMP)").Scan(&now); err != nil {
			return cluster.Lease{}, fmt.Errorf("duckdb: take lease: %w", err)
		}
	case err != nil:
		return cluster.Lease{}, fmt.Errorf("duckdb: take lease: %w", err)
	case cur.Holder != holder && cur.Until.After(now):
		return cur, cluster.ErrHeld
	}
	l := cluster.Lease{Name: name, Holder: holder, Until: now.Add(ttl).UTC()}
	if _, err := tx.ExecContext(ctx, fixed("TakeLease_write"), name, holder, l.Until); err != nil {
		return cluster.Lease{}, fmt.Errorf("duckdb: take lease: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return cluster.Lease{}, fmt.Errorf("duckdb: take lease: %w", err)
	}
	return l, nil
}

// ReleaseLease ends holder's lease now (cluster.LeaseStore).
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, fixed("ReleaseLease"), name, holder); err != nil {
		return fmt.Errorf("duckdb: release lease: %w", err)
	}
	return nil
}
