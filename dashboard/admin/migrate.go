package admin

import (
	"context"
	"database/sql"
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

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNN_name.sql in order, numbered 1, 2, 3…
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
			return nil, fmt.Errorf("admin: migration %q: want NNN_name.sql", e.Name())
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
			return nil, fmt.Errorf("admin: migration %q: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies pending migrations, each in its own transaction, and
// refuses a database written by a newer binary.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, fixed("migrate_init")); err != nil {
		return fmt.Errorf("admin: migrate: %w", err)
	}
	var current int
	if err := s.db.QueryRowContext(ctx, fixed("migrate_version")).Scan(&current); err != nil {
		return fmt.Errorf("admin: migrate: read version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("admin: the database has schema version %d, newer than version %d this binary knows: run a newer release of shukei", current, len(ms))
	}
	for _, m := range ms[current:] {
		err := s.tx(ctx, "migration "+m.name, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fixed("migrate_record"), m.version, time.Now().UTC())
			return err
		})
		if err != nil {
			return err
		}
		s.log.Info("admin: applied migration", "version", m.version, "name", m.name)
	}
	return nil
}
