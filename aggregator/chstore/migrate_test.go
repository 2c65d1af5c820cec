package chstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
)

// withTestColumn is the store's migrations and one more, as a later
// release would ship it.
func withTestColumn() []migration {
	return append(append([]migration(nil), migrations...), migration{
		version: len(migrations) + 1, name: "099_test_column.sql",
		stmts: []string{"ALTER TABLE {table} ADD COLUMN test_column String DEFAULT 'old'"},
	})
}

// TestMigrateForward opens a database at the current schema, stores rows,
// and reopens it with a binary that knows one more migration: the
// migration runs on every shard, the Distributed table gets the new
// column, the rows stay.
func TestMigrateForward(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			cfg := testConfig(t, cluster)
			ctx := context.Background()
			s, err := open(ctx, cfg, nil, migrations)
			if err != nil {
				t.Fatal(err)
			}
			rows := genRows(50)
			if err := s.Append(ctx, rows); err != nil {
				t.Fatal(err)
			}
			before := pageviews(t, s, rows[0].Site)
			s.Close()
			ms := withTestColumn()
			if s, err = open(ctx, cfg, nil, ms); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i, sh := range s.shards {
				if v, err := s.schemaVersion(ctx, sh); err != nil || v != len(ms) {
					t.Errorf("shard %d: version %d (%v), want %d", i+1, v, err, len(ms))
				}
				tables := []string{s.table}
				if cluster {
					tables = append(tables, eventsTable)
				}
				for _, table := range tables {
					if n := count(t, s, i, "SELECT count() FROM system.columns WHERE database = ? AND table = ? AND name = 'test_column'", cfg.Database, table); n != 1 {
						t.Errorf("shard %d: %s lacks the migrated column", i+1, table)
					}
				}
			}
			if n := count(t, s, 0, "SELECT count() FROM events WHERE test_column = 'old'"); n != 50 {
				t.Errorf("%d rows read the new column's default, want 50", n)
			}
			if got := pageviews(t, s, rows[0].Site); got != before {
				t.Errorf("%d page views after migrating, want %d", got, before)
			}
			s.Close()
			// Nothing left to apply on a third start.
			if s, err = open(ctx, cfg, nil, ms); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if n := count(t, s, 0, "SELECT count() FROM schema_migrations"); n != int64(len(ms)) {
				t.Errorf("%d migrations recorded, want %d", n, len(ms))
			}
		})
	}
}

// TestRefuseNewerSchema records a version no binary knows on the last
// shard: opening is refused, naming both versions and the server, and no
// shard is changed.
func TestRefuseNewerSchema(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			cfg := testConfig(t, cluster)
			ctx := context.Background()
			s, err := Open(ctx, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			last := s.shards[len(s.shards)-1]
			if err := s.apply(ctx, last, migration{version: 42, name: "042_future.sql", stmts: []string{"SELECT 1"}}); err != nil {
				t.Fatal(err)
			}
			s.Close()
			ms := withTestColumn()
			known := fmt.Sprintf("version %d ", len(ms))
			_, err = open(ctx, cfg, nil, ms)
			if err == nil || !strings.Contains(err.Error(), "version 42") || !strings.Contains(err.Error(), known) || !strings.Contains(err.Error(), last.addr) {
				t.Fatalf("open = %v, want a refusal naming versions 42 and %d and %s", err, len(ms), last.addr)
			}
			addrs := []string{cfg.Addr}
			if cluster {
				addrs = chtest.Shards(t, cfg.Addr, cfg.Cluster)
			}
			for _, addr := range addrs {
				if n := chtest.Count(t, addr, cfg.Database, "SELECT count() FROM system.columns WHERE database = ? AND name = 'test_column'", cfg.Database); n != 0 {
					t.Errorf("%s was migrated although another shard is newer", addr)
				}
			}
		})
	}
}

// TestLayoutMismatch opens a database laid out for a single server in
// cluster mode, and the other way round: both are refused.
func TestLayoutMismatch(t *testing.T) {
	addr, name := chtest.Cluster(t)
	shards := chtest.Shards(t, addr, name)
	ctx := context.Background()
	single := Config{Addr: shards[0], Database: chtest.Database(t, shards...)}
	s, err := Open(ctx, single, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	asCluster := single
	asCluster.Cluster = name
	if _, err := Open(ctx, asCluster, nil); err == nil || !strings.Contains(err.Error(), "single-server events table") {
		t.Errorf("cluster mode on a single-server database: %v", err)
	}
	clustered := Config{Addr: shards[0], Database: chtest.Database(t, shards...), Cluster: name}
	if s, err = Open(ctx, clustered, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	clustered.Cluster = ""
	if _, err := Open(ctx, clustered, nil); err == nil || !strings.Contains(err.Error(), "laid out for a cluster") {
		t.Errorf("single mode on a cluster's database: %v", err)
	}
}

// testConfig is a fresh database on the single server or the cluster.
func testConfig(t *testing.T, cluster bool) Config {
	t.Helper()
	if !cluster {
		addr := chtest.Single(t)
		return Config{Addr: addr, Database: chtest.Database(t, addr)}
	}
	addr, name := chtest.Cluster(t)
	return Config{Addr: addr, Database: chtest.Database(t, chtest.Shards(t, addr, name)...), Cluster: name}
}

func TestLoadMigrations(t *testing.T) {
	if len(migrations) == 0 || migrations[0].version != 1 {
		t.Fatalf("embedded migrations: %+v", migrations)
	}
	for name, files := range map[string]fstest.MapFS{
		"gap":       {"m/001_a.sql": {Data: []byte("SELECT 1")}, "m/003_c.sql": {Data: []byte("SELECT 1")}},
		"bad name":  {"m/one.sql": {Data: []byte("SELECT 1")}},
		"not sql":   {"m/001_a.txt": {Data: []byte("SELECT 1")}},
		"empty":     {"m/001_a.sql": {Data: []byte("-- nothing\n;\n")}},
		"duplicate": {"m/001_a.sql": {Data: []byte("SELECT 1")}, "m/001_b.sql": {Data: []byte("SELECT 1")}},
	} {
		if _, err := loadMigrations(files, "m"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	ms, err := loadMigrations(fstest.MapFS{"m/001_a.sql": {Data: []byte("-- a; comment\nCREATE TABLE x (a String);\n\nALTER TABLE x\n  ADD COLUMN b String;\nSELECT ';'\n")}}, "m")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CREATE TABLE x (a String)", "ALTER TABLE x\n  ADD COLUMN b String", "SELECT ';'"}
	if got := ms[0].stmts; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("statements %q, want %q", got, want)
	}
}
