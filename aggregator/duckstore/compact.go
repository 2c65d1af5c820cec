package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// Deleted rows do not leave a DuckDB file by themselves: a DELETE marks
// them in their row group, a checkpoint rewrites or drops row groups only
// past a share of deletions, the strings of the rows that remain share
// dictionaries with the deleted ones, and freed blocks keep their bytes
// until reused. DuckDB offers no way to scrub them in place; its documented
// way to reclaim a file is to copy the database into a fresh one. Compact
// does that, so that after retention or a purge no byte of a deleted row
// is left under the data directory (DESIGN §1.8).

// compactDir is the private directory the fresh copy is written in, next
// to the database file; SQL may write there and nowhere else.
func (s *Store) compactDir() string { return s.cfg.Path + ".compact" }

// compactName is the copy's file name inside compactDir.
const compactName = "shukei.duckdb"

// removeCompaction removes what an interrupted compaction left.
func (s *Store) removeCompaction() error {
	if s.cfg.Path == "" {
		return nil
	}
	if err := os.RemoveAll(s.compactDir()); err != nil {
		return fmt.Errorf("duckdb: remove an unfinished compaction: %w", err)
	}
	return nil
}

// Compact rewrites the database into a fresh file holding only the rows
// and tables that exist, and replaces the old file with it. Appends and
// deletes wait while it copies; queries go on and wait only for the
// moment the files are swapped. An in-memory store has nothing to do.
func (s *Store) Compact(ctx context.Context) error {
	if s.cfg.Path == "" {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.removeCompaction(); err != nil {
		return err
	}
	if err := os.Mkdir(s.compactDir(), 0o700); err != nil {
		return fmt.Errorf("duckdb: compact: %w", err)
	}
	fresh := filepath.Join(s.compactDir(), compactName)
	s.swap.RLock()
	err := s.copyInto(ctx, fresh)
	s.swap.RUnlock()
	if err != nil {
		return errors.Join(fmt.Errorf("duckdb: compact: %w", err), s.removeCompaction())
	}
	s.swap.Lock()
	defer s.swap.Unlock()
	if err := s.replaceWith(ctx, fresh); err != nil {
		return fmt.Errorf("duckdb: compact: %w", err)
	}
	return s.removeCompaction()
}

// copyInto copies every table of the database into a new database file.
func (s *Store) copyInto(ctx context.Context, fresh string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var name string
	if err := conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
		return err
	}
	// Both are ours: the path is under compactDir, the name DuckDB's own.
	lit := "'" + strings.ReplaceAll(fresh, "'", "''") + "'"
	if _, err := conn.ExecContext(ctx, "ATTACH "+lit+" AS "+compactDB); err != nil {
		return fmt.Errorf("attach the copy: %w", err)
	}
	err = copyTables(ctx, conn, quoteIdent(name))
	// Detaching checkpoints the copy and closes its file.
	if _, derr := conn.ExecContext(context.WithoutCancel(ctx), "DETACH "+compactDB); err == nil && derr != nil {
		err = fmt.Errorf("detach the copy: %w", derr)
	}
	if err != nil {
		return fmt.Errorf("copy the database: %w", err)
	}
	return nil
}

// compactDB names the copy while it is attached.
const compactDB = "shukei_compact"

// copyOrder orders a table's rows in the copy. The rollup rows arrive in
// the order they were written, every dimension of a quarter together; a
// query reads one site's one dimension, which sorted rows hold in a few
// row groups that the scan's zone maps find (a country breakdown over 14
// months of rows took a third less time). The event rows keep their order:
// written in time order, they are already clustered by ts.
var copyOrder = map[string]string{sqlgen.RollupsTable: " ORDER BY site_id, dim, ts"}

// copyTables copies the schema of the database src into the attached copy,
// then every table's rows, in one transaction: one snapshot of src, and
// nothing but the rows that exist reaches the copy.
func copyTables(ctx context.Context, conn *sql.Conn, src string) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, rollback(conn))
		}
	}()
	if _, err := conn.ExecContext(ctx, "COPY FROM DATABASE "+src+" TO "+compactDB+" (SCHEMA)"); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, fixed("DumpText_tables"))
	if err != nil {
		return err
	}
	tables, err := sqlgen.ScanStrings(rows)
	rows.Close()
	if err != nil {
		return err
	}
	for _, t := range tables {
		// Names of the database's own tables, quoted.
		q := "INSERT INTO " + compactDB + ".main." + quoteIdent(t) + " SELECT * FROM " + src + ".main." + quoteIdent(t) + copyOrder[t]
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("copy %s: %w", t, err)
		}
	}
	_, err = conn.ExecContext(context.WithoutCancel(ctx), "COMMIT")
	return err
}

// replaceWith closes the database, moves the copy over its file and opens
// it again; s.swap is held exclusively. If the copy cannot be moved into
// place, the old file is opened again unchanged.
func (s *Store) replaceWith(ctx context.Context, fresh string) error {
	if err := s.db.Close(); err != nil {
		// The database cannot be closed cleanly: keep it open as it is.
		db, oerr := s.openDB(ctx)
		if oerr == nil {
			s.db = db
		}
		return errors.Join(fmt.Errorf("close the database: %w", err), oerr)
	}
	// A clean close checkpointed the database: its log is empty. A log
	// left over must not be replayed into the copy.
	walFile := s.cfg.Path + ".wal"
	err := os.Remove(walFile)
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	if err == nil {
		err = os.Rename(fresh, s.cfg.Path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(s.cfg.Path))
	}
	db, oerr := s.openDB(ctx)
	if oerr != nil {
		return errors.Join(err, oerr)
	}
	s.db = db
	return err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
