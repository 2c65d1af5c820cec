package duckstore

import (
	"context"
	"embed"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema change, migrations/NNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded migrations in order and checks that
// they are numbered 1, 2, 3… without gaps.
func loadMigrations() ([]migration, error) {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || path.Ext(e.Name()) != ".sql" {
			return nil, fmt.Errorf("duckdb: migration %q: want NNN_name.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("duckdb: migration %q: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the pending migrations, each in a transaction of its
// own, and refuses a database written by a newer binary.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, fixed("migrate_init")); err != nil {
		return fmt.Errorf("duckdb: migrate: %w", err)
	}
	var current int
	if err := s.db.QueryRowContext(ctx, fixed("migrate_version")).Scan(&current); err != nil {
		return fmt.Errorf("duckdb: migrate: read version: %w", err)
	}
	latest := len(ms)
	if current > latest {
		return fmt.Errorf("duckdb: the database has schema version %d, newer than version %d this binary knows: run a newer release of shukei", current, latest)
	}
	for _, m := range ms[current:] {
		if err := s.apply(ctx, m); err != nil {
			return err
		}
		s.log.Info("duckdb: applied migration", "version", m.version, "name", m.name)
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("duckdb: migration %s: %w", m.name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("duckdb: migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, fixed("migrate_record"), m.version, time.Now().UTC()); err != nil {
		return fmt.Errorf("duckdb: migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("duckdb: migration %s: commit: %w", m.name, err)
	}
	return nil
}
