// Package migrate reads a store's numbered schema migrations
// (NNN_name.sql, numbered 1, 2, 3… without gaps) and applies the pending
// ones to a database/sql database, each in a transaction of its own. A
// database written by a newer binary is refused rather than guessed at.
package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string // the file name, e.g. 002_wal_applied.sql
	SQL     string
}

// Load reads dir's migrations from fsys in order and checks their
// numbering.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || path.Ext(e.Name()) != ".sql" {
			return nil, fmt.Errorf("migration %q: want NNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migration %q: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(body)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %q: want version %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// CheckNotNewer refuses a database whose schema version is beyond the
// migrations this binary has.
func CheckNotNewer(current int, ms []Migration) error {
	if current > len(ms) {
		return fmt.Errorf("the database has schema version %d, newer than version %d this binary knows: run a newer release of shukei", current, len(ms))
	}
	return nil
}

// Bookkeeping are the statements that keep the schema version in the
// database: Init creates the version table if missing, Version selects the
// current version (0 for none), Record inserts (version, applied_at).
type Bookkeeping struct {
	Init, Version, Record string
}

// Apply brings db up to date with ms: it reads the recorded version,
// refuses a newer one, and applies every later migration together with
// its record in one transaction, so a crash leaves either both or neither.
// who prefixes log lines and errors ("duckdb", "admin").
func Apply(ctx context.Context, db *sql.DB, ms []Migration, b Bookkeeping, log *slog.Logger, who string) error {
	if _, err := db.ExecContext(ctx, b.Init); err != nil {
		return fmt.Errorf("%s: migrate: %w", who, err)
	}
	var current int
	if err := db.QueryRowContext(ctx, b.Version).Scan(&current); err != nil {
		return fmt.Errorf("%s: migrate: read version: %w", who, err)
	}
	if err := CheckNotNewer(current, ms); err != nil {
		return fmt.Errorf("%s: %w", who, err)
	}
	for _, m := range ms[current:] {
		if err := applyOne(ctx, db, m, b); err != nil {
			return fmt.Errorf("%s: migration %s: %w", who, m.Name, err)
		}
		log.Info(who+": applied migration", "version", m.Version, "name", m.Name)
	}
	return nil
}

func applyOne(ctx context.Context, db *sql.DB, m Migration, b Bookkeeping) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, b.Record, m.Version, time.Now().UTC()); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
