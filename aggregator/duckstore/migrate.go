package duckstore

import (
	"context"
	"embed"

	"github.com/shukei-analytics/shukei/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// loadMigrations reads the embedded migrations in order.
func loadMigrations() ([]migrate.Migration, error) {
	return migrate.Load(migrationFiles, "migrations")
}

// migrate applies the pending migrations, each in a transaction of its
// own, and refuses a database written by a newer binary.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	return migrate.Apply(ctx, s.db, ms, migrate.Bookkeeping{
		Init: fixed("migrate_init"), Version: fixed("migrate_version"), Record: fixed("migrate_record"),
	}, s.log, "duckdb")
}
