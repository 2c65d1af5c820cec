package duckstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Config configures the store.
type Config struct {
	// Path is the database file; "" opens a private in-memory database
	// (for tests).
	Path string
	// Threads bounds DuckDB's worker threads; 0 uses one per core.
	Threads int
	// MemoryLimit bounds DuckDB's memory, e.g. "1GB"; "" uses DuckDB's
	// default (80% of RAM).
	MemoryLimit string
	// NoRollupQueries answers every query from the event rows, never from
	// the rollup rows (which are still written): for comparisons.
	NoRollupQueries bool
	// BulkLoad appends event rows without their rollup rows, for loading
	// millions of rows at once: the next Open without it derives the
	// rollup rows of every stored row in SQL, many times faster than
	// deriving them batch by batch. Queries read the event rows only.
	BulkLoad bool
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if strings.ContainsAny(c.Path, "?#") {
		return fmt.Errorf("duckdb: path %q: must not contain '?' or '#'", c.Path)
	}
	if c.Threads < 0 {
		return fmt.Errorf("duckdb: threads %d: must not be negative", c.Threads)
	}
	return nil
}

// dsn is the connector's data source: the path and DuckDB settings.
func (c Config) dsn() string {
	v := url.Values{}
	// Never fetch or load extensions: the binary bundles what it needs.
	v.Set("autoinstall_known_extensions", "false")
	v.Set("autoload_known_extensions", "false")
	// SQL cannot read or write files other than the database itself (and
	// the compaction directory): lockDown sets it once the connector is
	// open, since the allowed directory cannot be set after it.
	// Checkpoint (compress the appended rows into the table's storage) once
	// 128 MB of log has built up rather than at the default 16 MB: each
	// checkpoint rewrites the table's last, partly filled row group, so
	// frequent checkpoints multiply the write work of a steady ingest. The
	// log is replayed on the next start after a crash.
	v.Set("checkpoint_threshold", "128MB")
	if c.Threads > 0 {
		v.Set("threads", strconv.Itoa(c.Threads))
	}
	if c.MemoryLimit != "" {
		v.Set("memory_limit", c.MemoryLimit)
	}
	return c.Path + "?" + v.Encode()
}

// Store is the DuckDB store. It is safe for concurrent use: queries run on
// pooled connections and see committed appends only.
type Store struct {
	cfg Config
	// swap guards db: every operation holds it shared, Compact exclusively
	// while it replaces the database file (compact.go). Only the exported
	// methods take it; the helpers they call do not.
	swap sync.RWMutex
	db   *sql.DB
	log  *slog.Logger
	// writeMu serialises appends, deletes and compaction, so batches
	// reach the table one transaction at a time.
	writeMu writeLock
	// oldest caches Earliest between writes (earliest.go).
	oldest oldestCache
	sites  siteIDs
	ages   ageStates
	// rollups is false when queries read event rows only.
	rollups bool
	// bulk appends no rollup rows (Config.BulkLoad).
	bulk bool
}

//go:embed queries/*.sql
var queries embed.FS

// fixed returns an embedded statement, named after the method running it.
func fixed(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("duckstore: missing embedded query " + name)
	}
	return string(b)
}

// Open opens (creating if needed) the database and migrates its schema.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{cfg: cfg, log: log, rollups: !cfg.NoRollupQueries && !cfg.BulkLoad, bulk: cfg.BulkLoad}
	if err := s.removeCompaction(); err != nil {
		return nil, err
	}
	db, err := s.openDB(ctx)
	if err != nil {
		return nil, err
	}
	s.db = db
	err = s.migrate(ctx)
	if err == nil {
		err = s.ensureRollupColumns(ctx)
	}
	switch {
	case err != nil:
	case cfg.BulkLoad:
		err = s.unbuildRollups(ctx)
	default:
		err = s.buildRollups(ctx)
	}
	if err == nil {
		err = s.loadAgeing(ctx)
	}
	if err != nil {
		return nil, errors.Join(err, s.db.Close())
	}
	// One process at a time opens the file: a lease still recorded was
	// held by a process that is gone (killed), and is free.
	if _, err := s.db.ExecContext(ctx, fixed("Open_leases")); err != nil {
		return nil, errors.Join(fmt.Errorf("duckdb: free the leases: %w", err), s.db.Close())
	}
	return s, nil
}

// openDB opens the database file with the store's settings.
func (s *Store) openDB(ctx context.Context) (*sql.DB, error) {
	connector, err := duckdb.NewConnector(s.cfg.dsn(), initConn)
	if err != nil {
		return nil, fmt.Errorf("duckdb: open %q: %w", s.cfg.Path, err)
	}
	db := sql.OpenDB(connector)
	if err := s.lockDown(ctx, db); err != nil {
		return nil, errors.Join(fmt.Errorf("duckdb: open %q: %w", s.cfg.Path, err), db.Close())
	}
	return db, nil
}

// lockDown forbids SQL to touch any file but the database's own and, for
// compaction, those in its private directory next to it.
func (s *Store) lockDown(ctx context.Context, db *sql.DB) error {
	if s.cfg.Path != "" {
		// The directory is ours (compactDir), not user input; quoted as
		// a string literal all the same.
		dir := strings.ReplaceAll(s.compactDir()+string(filepath.Separator), "'", "''")
		if _, err := db.ExecContext(ctx, "SET GLOBAL allowed_directories = ['"+dir+"']"); err != nil {
			return err
		}
	}
	_, err := db.ExecContext(ctx, "SET GLOBAL enable_external_access = false")
	return err
}

// initConn prepares each pooled connection: no implicit time zone, so a
// TIMESTAMP is always read as UTC.
func initConn(e driver.ExecerContext) error {
	_, err := e.ExecContext(context.Background(), fixed("initConn"), nil)
	return err
}

// Close checkpoints and closes the database.
func (s *Store) Close() error {
	s.swap.Lock()
	defer s.swap.Unlock()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("duckdb: close: %w", err)
	}
	return nil
}
