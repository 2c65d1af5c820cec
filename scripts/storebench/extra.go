package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// duckSize is the bytes of a DuckDB store's file and its WAL.
func duckSize(path string) (int64, error) {
	var n int64
	for _, p := range []string{path, path + ".wal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, err
		}
		n += fi.Size()
	}
	return n, nil
}

// clickHouseSize is the bytes of the active parts of a store's tables on
// every server holding them.
func clickHouseSize(ctx context.Context, cfg chstore.Config) (int64, error) {
	addrs := []string{cfg.Addr}
	if cfg.Cluster != "" {
		var err error
		if addrs, err = clusterAddrs(ctx, cfg); err != nil {
			return 0, err
		}
	}
	var total int64
	for _, addr := range addrs {
		err := withConn(addr, func(conn driver.Conn) error {
			var n uint64
			err := conn.QueryRow(ctx, "SELECT sum(bytes_on_disk) FROM system.parts WHERE database = ? AND active", cfg.Database).Scan(&n)
			total += int64(n)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("size of %s on %s: %w", cfg.Database, addr, err)
		}
	}
	return total, nil
}

// withConn runs f on a connection to addr.
func withConn(addr string, f func(driver.Conn) error) error {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
	if err != nil {
		return err
	}
	return errors.Join(f(conn), conn.Close())
}

// reportSizes writes each store's bytes on disk and per row.
func reportSizes(ctx context.Context, o options, ts []target, w io.Writer) error {
	fmt.Fprintf(w, "On disk, %d rows:\n", o.rows)
	for _, t := range ts {
		if t.size == nil {
			continue
		}
		n, err := t.size(ctx, o.key())
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		fmt.Fprintf(w, "  %-12s %8.1f MB  %5.1f bytes/row\n", t.name, float64(n)/1e6, float64(n)/float64(o.rows))
	}
	fmt.Fprintln(w)
	return nil
}

// orderRE is what -alt-order may hold: column names and function calls.
var orderRE = regexp.MustCompile(`^[A-Za-z0-9_(), ]{1,200}$`)

// storeOrder is the store's sorting key (migrations/001_events.sql).
const storeOrder = "site, ts"

// altSchema copies the single server's loaded rows into a table sorted by
// o.altOrder, with String columns instead of LowCardinality(String) when
// o.altStrings is set, in a database of its own, and opens a store on it:
// the queries then compare the two schemas on the same rows.
func altSchema(ctx context.Context, o options, w io.Writer) (target, storetest.Store, error) {
	src := "shukei_bench_" + fmt.Sprint(o.rows)
	cfg := chstore.Config{Addr: o.single, Database: src + "_alt"}
	t := target{name: "ch-alt",
		size:   func(ctx context.Context, _ string) (int64, error) { return clickHouseSize(ctx, cfg) },
		settle: func(ctx context.Context, _ string) error { return waitMerges(ctx, cfg) },
		drop:   func(string) error { return dropClickHouse(context.Background(), cfg) },
	}
	order := o.altOrder
	if order == "" {
		order = storeOrder
	}
	if !orderRE.MatchString(order) {
		return t, nil, fmt.Errorf("-alt-order %q: want column names and function calls", order)
	}
	if err := dropClickHouse(ctx, cfg); err != nil {
		return t, nil, err
	}
	// The flag is the developer's own sorting key, checked above; the
	// database and column names are fixed.
	t0 := time.Now()
	err := withConn(o.single, func(conn driver.Conn) error {
		cols, err := columnDefs(ctx, conn, src, o.altStrings)
		if err != nil {
			return err
		}
		others, err := otherTables(ctx, conn, src)
		if err != nil {
			return err
		}
		stmts := []string{
			"CREATE DATABASE " + cfg.Database,
			"CREATE TABLE " + cfg.Database + ".events (" + cols + ") ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (" + order + ")",
			"INSERT INTO " + cfg.Database + ".events SELECT * FROM " + src + ".events",
		}
		// Every other table (migrations, rollups, ageing and lease
		// state) as it is: the store opened on the copy must find the
		// schema its migrations recorded, and only the events' sorting
		// key and column types are the experiment.
		for _, t := range others {
			stmts = append(stmts,
				"CREATE TABLE "+cfg.Database+"."+t+" AS "+src+"."+t,
				"INSERT INTO "+cfg.Database+"."+t+" SELECT * FROM "+src+"."+t)
		}
		v, err := conn.ServerVersion()
		if err != nil {
			return err
		}
		cctx, cancel := context.WithTimeout(ctx, time.Hour)
		defer cancel()
		if v.Version.Major < 19 {
			cctx = clickhouse.Context(cctx, clickhouse.WithSettings(clickhouse.Settings{"allow_experimental_low_cardinality_type": 1}))
		}
		for _, s := range stmts {
			if err := conn.Exec(cctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return t, nil, fmt.Errorf("%s: copy the rows: %w", t.name, err)
	}
	if err := t.settle(ctx, ""); err != nil {
		return t, nil, err
	}
	s, err := chstore.Open(ctx, cfg, nil)
	if err != nil {
		return t, nil, err
	}
	types := "the store's column types"
	if o.altStrings {
		types = "String for LowCardinality(String)"
	}
	fmt.Fprintf(w, "ch-alt: the ch-single rows copied in %v into a table sorted by (%s), %s\n", time.Since(t0).Round(time.Second), order, types)
	return t, s, reportSizes(ctx, o, []target{t}, w)
}

// columnDefs lists the loaded events table's columns as DDL, with String
// for LowCardinality(String) when strs is set.
func columnDefs(ctx context.Context, conn driver.Conn, database string, strs bool) (string, error) {
	rows, err := conn.Query(ctx, "SELECT name, type FROM system.columns WHERE database = ? AND table = 'events'", database)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var defs []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return "", err
		}
		if strs && typ == "LowCardinality(String)" {
			typ = "String"
		}
		defs = append(defs, name+" "+typ)
	}
	return strings.Join(defs, ", "), rows.Err()
}

// otherTables lists the loaded database's tables but events.
func otherTables(ctx context.Context, conn driver.Conn, database string) ([]string, error) {
	rows, err := conn.Query(ctx, "SELECT name FROM system.tables WHERE database = ? AND name <> 'events' ORDER BY name", database)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}
