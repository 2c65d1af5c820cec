// Package admin is the dashboard's embedded state: administrators and their
// password hashes, second factors and recovery codes, server-side sessions,
// API tokens, sites added in the UI with their settings, and per-site roles.
// It lives in its own DuckDB file (<data>/admin.duckdb), apart from the
// events, so it works whichever store keeps the rows.
//
// Secrets are stored only as hashes (session ids, API tokens, recovery
// codes as SHA-256; passwords as argon2id), and nothing about visitors or
// about administrators' connections (no address, no User-Agent) is kept.
package admin

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Errors the store reports.
var (
	ErrNotFound = errors.New("admin: not found")
	ErrExists   = errors.New("admin: already exists")
)

// Config configures the store.
type Config struct {
	// Path is the database file; "" opens a private in-memory database
	// (tests).
	Path string
}

// FileName is the store's file under the data directory.
const FileName = "admin.duckdb"

// Store is the admin database. Reads run concurrently; writes are
// serialised so DuckDB's optimistic transactions never conflict.
type Store struct {
	db     *sql.DB
	log    *slog.Logger
	mu     sync.Mutex
	sealer *sealer
}

//go:embed queries/*.sql
var queries embed.FS

// fixed returns the embedded statement named after the method running it.
func fixed(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("admin: missing embedded query " + name)
	}
	return string(b)
}

// Open opens (creating if needed) the database and migrates it.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	if strings.ContainsAny(cfg.Path, "?#") {
		return nil, fmt.Errorf("admin: path %q: must not contain '?' or '#'", cfg.Path)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	v := url.Values{}
	v.Set("autoinstall_known_extensions", "false")
	v.Set("autoload_known_extensions", "false")
	v.Set("enable_external_access", "false")
	// A few kilobytes of state: one thread and a small memory budget, so
	// the admin database never competes with the event store.
	v.Set("threads", "1")
	v.Set("memory_limit", "64MB")
	connector, err := duckdb.NewConnector(cfg.Path+"?"+v.Encode(), initConn)
	if err != nil {
		return nil, fmt.Errorf("admin: open %q: %w", cfg.Path, err)
	}
	sl, err := newSealer(cfg.Path)
	if err != nil {
		return nil, err
	}
	s := &Store{db: sql.OpenDB(connector), log: log, sealer: sl}
	if err := s.migrate(ctx); err != nil {
		return nil, errors.Join(err, s.db.Close())
	}
	if err := s.sealLegacy(ctx); err != nil {
		return nil, errors.Join(err, s.db.Close())
	}
	return s, nil
}

func initConn(e driver.ExecerContext) error {
	_, err := e.ExecContext(context.Background(), fixed("initConn"), nil)
	return err
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("admin: close: %w", err)
	}
	return nil
}

// exec runs a write statement under the write lock.
func (s *Store) exec(ctx context.Context, name string, args ...any) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.db.ExecContext(ctx, fixed(name), args...)
	if err != nil {
		return 0, fmt.Errorf("admin: %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("admin: %s: %w", name, err)
	}
	return n, nil
}

// tx runs f in a transaction under the write lock.
func (s *Store) tx(ctx context.Context, op string, f func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("admin: %s: %w", op, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := f(tx); err != nil {
		return fmt.Errorf("admin: %s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("admin: %s: commit: %w", op, err)
	}
	return nil
}

// isConstraint reports a unique or primary key violation.
func isConstraint(err error) bool {
	var de *duckdb.Error
	if errors.As(err, &de) && de.Type == duckdb.ErrorTypeConstraint {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "Constraint Error")
}
