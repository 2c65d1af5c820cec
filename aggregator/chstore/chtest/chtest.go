// Package chtest finds the ClickHouse servers the tests run against and
// gives each test a database of its own. scripts/clickhouse.sh starts the
// servers and prints the variables naming them:
//
//	SHUKEI_TEST_CLICKHOUSE               host:port of a single server
//	SHUKEI_TEST_CLICKHOUSE_CLUSTER       host:port of a server of a two-shard cluster
//	SHUKEI_TEST_CLICKHOUSE_CLUSTER_NAME  that cluster's name (default shukei_two_shards)
//
// A test needing a server it was not given is skipped, except in CI
// (CI=true), where scripts/test.sh always starts both: there it fails.
package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// DefaultCluster is the cluster scripts/clickhouse.sh configures.
const DefaultCluster = "shukei_two_shards"

// Single returns the address of the single test server.
func Single(t testing.TB) string {
	t.Helper()
	return lookup(t, "SHUKEI_TEST_CLICKHOUSE", "start 1")
}

// Cluster returns the address of a server of the two-shard test cluster
// and the cluster's name.
func Cluster(t testing.TB) (addr, name string) {
	t.Helper()
	addr = lookup(t, "SHUKEI_TEST_CLICKHOUSE_CLUSTER", "start 2")
	name = os.Getenv("SHUKEI_TEST_CLICKHOUSE_CLUSTER_NAME")
	if name == "" {
		name = DefaultCluster
	}
	return addr, name
}

func lookup(t testing.TB, env, start string) string {
	t.Helper()
	addr := os.Getenv(env)
	if addr != "" {
		return addr
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: scripts/test.sh starts ClickHouse with scripts/clickhouse.sh", env)
	}
	t.Skipf("%s is not set; run `eval \"$(scripts/clickhouse.sh %s)\"` to run the ClickHouse tests", env, start)
	return ""
}

// Database returns a fresh database name for one test and drops that
// database from every server listed when the test ends. The store creates
// it on first use.
func Database(t testing.TB, addrs ...string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "shukei_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		for _, addr := range addrs {
			if err := Exec(addr, "", "DROP DATABASE IF EXISTS "+name); err != nil {
				t.Errorf("drop test database %s on %s: %v", name, addr, err)
			}
		}
	})
	return name
}

// Exec runs one statement on a server, for test setup and checks.
func Exec(addr, database, stmt string, args ...any) error {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, Auth: clickhouse.Auth{Database: database}, DialTimeout: 5 * time.Second})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return conn.Exec(ctx, stmt, args...)
}

// Count runs a one-number query (count(), sum(…)) on a server.
func Count(t testing.TB, addr, database, q string, args ...any) int64 {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, Auth: clickhouse.Auth{Database: database}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var n int64
	if err := conn.QueryRow(ctx, "SELECT toInt64(("+q+"))", args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Shards lists the addresses of a cluster's servers, as the server at
// addr knows them.
func Shards(t testing.TB, addr, cluster string) []string {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := conn.Query(ctx, "SELECT host_name, port FROM system.clusters WHERE cluster = ? ORDER BY shard_num, replica_num", cluster)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var host string
		var port uint16
		if err := rows.Scan(&host, &port); err != nil {
			t.Fatal(err)
		}
		out = append(out, net.JoinHostPort(host, strconv.Itoa(int(port))))
	}
	if len(out) == 0 {
		t.Fatalf("cluster %s is not configured on %s", cluster, addr)
	}
	return out
}

// LogDirs lists the log directories of the single test server, or of the
// cluster's servers, when scripts/clickhouse.sh named them.
func LogDirs(cluster bool) []string {
	env := "SHUKEI_TEST_CLICKHOUSE_LOGS"
	if cluster {
		env = "SHUKEI_TEST_CLICKHOUSE_CLUSTER_LOGS"
	}
	return filepath.SplitList(os.Getenv(env))
}

// DatabaseDirs lists the directories where the server at addr keeps the
// database's files: its tables' data and their metadata.
func DatabaseDirs(t testing.TB, addr, database string) []string {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := conn.Query(ctx, "SELECT data_path, metadata_path FROM system.tables WHERE database = ?", database)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var data, meta string
		if err := rows.Scan(&data, &meta); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{data, meta} {
			if p == "" {
				continue
			}
			// A table's data directory, or the directory of its
			// metadata file: every file of the database.
			dir := filepath.Dir(filepath.Clean(p))
			if !seen[dir] {
				seen[dir] = true
				out = append(out, dir)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
