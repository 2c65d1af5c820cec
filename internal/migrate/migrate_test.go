package migrate

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/duckdb/duckdb-go/v2"
)

func TestLoadChecksNumbering(t *testing.T) {
	for name, files := range map[string]fstest.MapFS{
		"gap":       {"m/001_a.sql": {Data: []byte("SELECT 1")}, "m/003_c.sql": {Data: []byte("SELECT 1")}},
		"no number": {"m/first.sql": {Data: []byte("SELECT 1")}},
		"not sql":   {"m/001_a.txt": {Data: []byte("SELECT 1")}},
		"twice":     {"m/001_a.sql": {Data: []byte("SELECT 1")}, "m/001_b.sql": {Data: []byte("SELECT 1")}},
		"no dir":    {},
	} {
		if _, err := Load(files, "m"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	ms, err := Load(fstest.MapFS{"m/002_b.sql": {Data: []byte("B")}, "m/001_a.sql": {Data: []byte("A")}}, "m")
	if err != nil || len(ms) != 2 || ms[0].Name != "001_a.sql" || ms[1].SQL != "B" || ms[1].Version != 2 {
		t.Fatalf("Load = %+v, %v", ms, err)
	}
}

var book = Bookkeeping{
	Init:    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)",
	Version: "SELECT coalesce(max(version), 0) FROM schema_migrations",
	Record:  "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
}

// TestApply migrates a real DuckDB database forward in two steps, leaves
// it alone when up to date, rolls back a failing migration together with
// its record, and refuses a database newer than the binary.
func TestApply(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", filepath.Join(t.TempDir(), "m.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	one := []Migration{{Version: 1, Name: "001_t.sql", SQL: "CREATE TABLE t (a INTEGER)"}}
	two := append(one, Migration{Version: 2, Name: "002_b.sql", SQL: "ALTER TABLE t ADD COLUMN b INTEGER"})
	for _, ms := range [][]Migration{one, two, two} {
		if err := Apply(ctx, db, ms, book, log, "test"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("INSERT INTO t (a, b) VALUES (1, 2)"); err != nil {
		t.Fatalf("schema after two migrations: %v", err)
	}
	bad := append(two, Migration{Version: 3, Name: "003_bad.sql", SQL: "CREATE TABLE u (a INTEGER); SELECT no_such_column FROM t"})
	if err := Apply(ctx, db, bad, book, log, "test"); err == nil || !strings.Contains(err.Error(), "003_bad.sql") {
		t.Fatalf("a failing migration: %v", err)
	}
	var version int
	if err := db.QueryRow(book.Version).Scan(&version); err != nil || version != 2 {
		t.Fatalf("version after a failed migration = %d, %v; want 2", version, err)
	}
	if err := Apply(ctx, db, one, book, log, "test"); err == nil || !strings.Contains(err.Error(), "version 2, newer than version 1") {
		t.Fatalf("an older binary: %v", err)
	}
}
