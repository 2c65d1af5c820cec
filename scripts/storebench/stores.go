package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// duckThreads matches the target machine: two cores.
const duckThreads = 2

// loadBatch fills whole DuckDB row groups (4 × 122,880 rows) per append;
// for ClickHouse it is a large batch (one part per month it spans).
const loadBatch = 4 * 122_880

// historyDays is the generated history: 14 months, the default retention.
const historyDays = 425

// benchNow is the end of the generated history, the "now" of the queries.
var benchNow = time.Date(2024, 12, 31, 18, 0, 0, 0, time.UTC)

// target is one store under test and how to open it empty or loaded.
type target struct {
	name string
	// open opens the store named by key ("insert" for the scratch
	// store of the insert measurement, else the loaded rows' store);
	// fresh empties it first.
	open func(ctx context.Context, key string, fresh bool) (storetest.Store, error)
	// drop removes a store's data.
	drop func(key string) error
	// settle, when set, waits for the store's background work on the
	// loaded rows (ClickHouse's merges) so that queries do not compete
	// with it.
	settle func(ctx context.Context, key string) error
	// size, when set, reports the bytes the store's rows take on disk.
	size func(ctx context.Context, key string) (int64, error)
}

// targets lists DuckDB and the ClickHouse stores that have a server.
func targets(o *options) []target {
	ts := []target{{
		name: "duckdb",
		open: func(ctx context.Context, key string, fresh bool) (storetest.Store, error) {
			path := filepath.Join(o.dir, "bench-"+key+".duckdb")
			if fresh {
				if err := removeDuck(path); err != nil {
					return nil, err
				}
			}
			return duckstore.Open(ctx, duckstore.Config{Path: path, Threads: duckThreads, NoRollupQueries: o.noRollups, BulkLoad: fresh && o.age}, nil)
		},
		drop: func(key string) error { return removeDuck(filepath.Join(o.dir, "bench-"+key+".duckdb")) },
		size: func(_ context.Context, key string) (int64, error) {
			return duckSize(filepath.Join(o.dir, "bench-"+key+".duckdb"))
		},
	}}
	add := func(name, addr, cluster string) {
		if addr == "" {
			return
		}
		ts = append(ts, target{
			name: name,
			open: func(ctx context.Context, key string, fresh bool) (storetest.Store, error) {
				// One process queries and ages: no other server plans
				// queries under an earlier ageing promise.
				cfg := chstore.Config{Addr: addr, Database: "shukei_bench_" + key, Cluster: cluster, NoRollupQueries: o.noRollups, AgeingGrace: time.Millisecond,
					BulkLoad: fresh && o.age}
				if fresh {
					if err := dropClickHouse(ctx, cfg); err != nil {
						return nil, err
					}
				}
				return chstore.Open(ctx, cfg, nil)
			},
			drop: func(key string) error {
				return dropClickHouse(context.Background(), chstore.Config{Addr: addr, Database: "shukei_bench_" + key, Cluster: cluster})
			},
			settle: func(ctx context.Context, key string) error {
				return waitMerges(ctx, chstore.Config{Addr: addr, Database: "shukei_bench_" + key, Cluster: cluster})
			},
			size: func(ctx context.Context, key string) (int64, error) {
				return clickHouseSize(ctx, chstore.Config{Addr: addr, Database: "shukei_bench_" + key, Cluster: cluster})
			},
		})
	}
	add("ch-single", o.single, "")
	add("ch-2-shards", o.cluster, o.clusterName)
	return ts
}

func removeDuck(path string) error {
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// dropClickHouse drops the store's database on the server, or on every
// server of the cluster.
func dropClickHouse(ctx context.Context, cfg chstore.Config) error {
	addrs := []string{cfg.Addr}
	if cfg.Cluster != "" {
		var err error
		if addrs, err = clusterAddrs(ctx, cfg); err != nil {
			return err
		}
	}
	for _, addr := range addrs {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
		if err != nil {
			return err
		}
		// The name is "shukei_bench_" and digits or "insert".
		err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+cfg.Database)
		if err = errors.Join(err, conn.Close()); err != nil {
			return fmt.Errorf("drop %s on %s: %w", cfg.Database, addr, err)
		}
	}
	return nil
}

// waitMerges waits up to ten minutes until no server merges parts of the
// store's tables.
func waitMerges(ctx context.Context, cfg chstore.Config) error {
	addrs := []string{cfg.Addr}
	if cfg.Cluster != "" {
		var err error
		if addrs, err = clusterAddrs(ctx, cfg); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	for _, addr := range addrs {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
		if err != nil {
			return err
		}
		for {
			var n uint64
			err = conn.QueryRow(ctx, "SELECT count() FROM system.merges WHERE database = ?", cfg.Database).Scan(&n)
			if err != nil || n == 0 {
				break
			}
			time.Sleep(time.Second)
		}
		if err = errors.Join(err, conn.Close()); err != nil {
			return fmt.Errorf("wait for merges on %s: %w", addr, err)
		}
	}
	return nil
}

// clusterAddrs lists the servers of the cluster.
func clusterAddrs(ctx context.Context, cfg chstore.Config) ([]string, error) {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{cfg.Addr}, DialTimeout: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	rows, err := conn.Query(ctx, "SELECT host_name, port FROM system.clusters WHERE cluster = ?", cfg.Cluster)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var host string
		var port uint16
		if err := rows.Scan(&host, &port); err != nil {
			return nil, err
		}
		out = append(out, net.JoinHostPort(host, strconv.Itoa(int(port))))
	}
	return out, rows.Err()
}

// rowCount counts a store's generated rows through a plan: a generated
// row is a page view (pageviews 1), an event (events 1), the correction
// of a page view (timed_views 1) or a kept custom property of an event
// (prop_events 1), each counter 0 on the other kinds.
func rowCount(ctx context.Context, s storetest.Store) (int64, error) {
	var n int64
	for _, site := range storetest.DefaultSites {
		p := &query.Plan{
			Site: site, Location: time.UTC,
			From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
			Sums:     []query.Sum{{Counter: query.CounterPageviews}, {Counter: query.CounterEvents}, {Counter: query.CounterTimedViews}, {Counter: query.CounterPropEvents}},
			Metrics:  []query.Metric{query.Pageviews},
			Formulas: []query.Formula{{Num: []int{0}}},
		}
		res, err := s.Query(ctx, p)
		if err != nil {
			return 0, err
		}
		for _, v := range res.Groups[0].Sums {
			n += v
		}
	}
	return n, nil
}

// loaded opens every target's store of the loaded rows, loading the rows
// into those that do not hold them yet, in one pass over the generated
// rows, and reports each store's load rate.
func loaded(ctx context.Context, o options, ts []target, w io.Writer) ([]storetest.Store, error) {
	key := o.key()
	want := int64(o.rows)
	stores := make([]storetest.Store, len(ts))
	var load []int
	for i, t := range ts {
		if o.age {
			// Rows an earlier run aged may refuse the count: load afresh.
			s, err := t.open(ctx, key, true)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			stores[i] = s
			load = append(load, i)
			continue
		}
		s, err := t.open(ctx, key, false)
		if err == nil {
			var n int64
			if n, err = rowCount(ctx, s); err == nil && n != want {
				fmt.Fprintf(w, "%s holds %d of the %d rows: loading them\n", t.name, n, want)
				s.Close()
				s, err = t.open(ctx, key, true)
				load = append(load, i)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		stores[i] = s
	}
	if len(load) == 0 {
		fmt.Fprintf(w, "%d rows already loaded in every store\n\n", o.rows)
		return stores, nil
	}
	spent := make([]time.Duration, len(ts))
	batch := make([]event.Row, 0, loadBatch)
	flush := func() error {
		for _, i := range load {
			t0 := time.Now()
			if err := stores[i].Append(ctx, batch); err != nil {
				return fmt.Errorf("%s: load: %w", ts[i].name, err)
			}
			spent[i] += time.Since(t0)
		}
		batch = batch[:0]
		return nil
	}
	for r := range generate(o.rows) {
		if batch = append(batch, r); len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "Bulk load of %d rows in batches of %d:\n", o.rows, loadBatch)
	for _, i := range load {
		fmt.Fprintf(w, "  %-12s %10.0f rows/s  (%v)\n", ts[i].name, float64(o.rows)/spent[i].Seconds(), spent[i].Round(time.Second))
	}
	fmt.Fprintln(w)
	return stores, nil
}

// generate yields the benchmark's rows.
func generate(n int) func(func(event.Row) bool) {
	return storetest.GenerateRows(1, n, storetest.GenOptions{Start: benchNow.AddDate(0, 0, -historyDays), Days: historyDays})
}
