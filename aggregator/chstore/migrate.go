package chstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/shukei-analytics/shukei/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the store's schema changes, loaded once.
var migrations = mustLoadMigrations(migrationFiles, "migrations")

// migration is one numbered schema change, migrations/NNN_name.sql: SQL
// statements separated by ";" at the end of a line, "{table}" standing for
// the MergeTree table's name on each server.
//
// ClickHouse has no transactional DDL: a migration interrupted halfway is
// run again from its first statement on the next start, so every
// statement must be safe to repeat (IF NOT EXISTS, IF EXISTS).
type migration struct {
	version int
	name    string
	stmts   []string
}

func mustLoadMigrations(fsys fs.FS, dir string) []migration {
	ms, err := loadMigrations(fsys, dir)
	if err != nil {
		panic(err)
	}
	return ms
}

// loadMigrations reads dir's migrations in order (numbered 1, 2, 3…
// without gaps) and splits each into its statements.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	files, err := migrate.Load(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: %w", err)
	}
	ms := make([]migration, len(files))
	for i, f := range files {
		ms[i] = migration{version: f.Version, name: f.Name, stmts: splitStatements(f.SQL)}
		if len(ms[i].stmts) == 0 {
			return nil, fmt.Errorf("clickhouse: migration %q has no statement", f.Name)
		}
	}
	return ms, nil
}

// splitStatements drops "--" comment lines and splits at ";" ending a
// line. The native protocol runs one statement per call.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.SplitSeq(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = appendStmt(out, cur.String())
			cur.Reset()
		}
	}
	return appendStmt(out, cur.String())
}

func appendStmt(out []string, stmt string) []string {
	stmt = strings.TrimSuffix(strings.TrimSpace(stmt), ";")
	if strings.TrimSpace(stmt) == "" {
		return out
	}
	return append(out, stmt)
}

// migrate brings every shard's schema to the latest version and, on a
// cluster, (re)creates the Distributed table over the shards. A server
// whose schema is newer than this binary knows is refused before anything
// changes anywhere.
func (s *Store) migrate(ctx context.Context, ms []migration) error {
	current := make([]int, len(s.shards))
	for i, sh := range s.shards {
		if err := s.checkLayout(ctx, sh); err != nil {
			return err
		}
		v, err := s.schemaVersion(ctx, sh)
		if err != nil {
			return err
		}
		if v > len(ms) {
			return fmt.Errorf("clickhouse: database %s on %s has schema version %d, newer than version %d this binary knows: run a newer release of shukei",
				s.cfg.Database, sh.addr, v, len(ms))
		}
		current[i] = v
	}
	for i, sh := range s.shards {
		for _, m := range ms[current[i]:] {
			if err := s.apply(ctx, sh, m); err != nil {
				return err
			}
			s.log.Info("clickhouse: applied migration", "addr", sh.addr, "version", m.version, "name", m.name)
		}
		if err := s.ensurePartsLifetime(ctx, sh); err != nil {
			return err
		}
		// Ageing claims rows by their log position (ageing.go): the log
		// columns exist from the start, not from the first log batch.
		if err := s.addWALColumns(ctx, sh); err != nil {
			return fmt.Errorf("clickhouse: add the log columns on %s: %w", sh.addr, err)
		}
		if err := s.ensureAgeingColumns(ctx, sh); err != nil {
			return err
		}
		if s.cfg.Cluster != "" {
			if err := s.ensureDistributed(ctx, sh); err != nil {
				return err
			}
			if err := s.ensureDistributedRollups(ctx, sh); err != nil {
				return err
			}
		}
	}
	return nil
}

// schemaVersion creates the version table when missing and reads the
// shard's version (0 for a new database).
func (s *Store) schemaVersion(ctx context.Context, sh *shard) (int, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	if err := sh.conn.Exec(ctx, fixed("migrate_init")); err != nil {
		return 0, fmt.Errorf("clickhouse: migrate %s: %w", sh.addr, err)
	}
	var v uint32
	if err := sh.conn.QueryRow(ctx, fixed("migrate_version")).Scan(&v); err != nil {
		return 0, fmt.Errorf("clickhouse: migrate %s: read version: %w", sh.addr, err)
	}
	return int(v), nil
}

// apply runs one migration's statements on a shard and records it.
func (s *Store) apply(ctx context.Context, sh *shard, m migration) error {
	ctx, cancel := s.timeout(ddlContext(ctx, sh))
	defer cancel()
	for _, stmt := range m.stmts {
		stmt = strings.NewReplacer("{table}", s.table, "{rollups}", s.rollups, "{parts_settings}", s.partsSettings()).Replace(stmt)
		if err := sh.conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("clickhouse: migration %s on %s: %w", m.name, sh.addr, err)
		}
	}
	b, err := sh.conn.PrepareBatch(ctx, fixed("migrate_record"))
	if err == nil {
		err = b.Append(uint32(m.version), m.name, time.Now().UTC())
		if err == nil {
			err = send(b)
		} else {
			_ = b.Abort()
		}
	}
	if err != nil {
		return fmt.Errorf("clickhouse: migration %s on %s: record: %w", m.name, sh.addr, err)
	}
	return nil
}

// ddlContext allows LowCardinality columns on servers before 19.1, where
// they are experimental; later servers reject the setting as unknown.
func ddlContext(ctx context.Context, sh *shard) context.Context {
	if sh.major >= 19 {
		return ctx
	}
	return clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{
		"allow_experimental_low_cardinality_type": 1,
	}))
}
