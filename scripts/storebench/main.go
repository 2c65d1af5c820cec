// Command storebench compares the stores on the same generated rows in one
// run: DuckDB, ClickHouse on one server and ClickHouse on a two-shard
// cluster.
//
//	go run ./scripts/storebench [-rows 10000000] [-runs 9] [-dir DIR]
//	    [-single 127.0.0.1:19000] [-cluster 127.0.0.1:19100 -cluster-name shukei_two_shards]
//	    [-alt-order "site, toStartOfHour(ts), path, ts"] [-alt-strings] [-batches none]
//
// It measures, in this order:
//
//  1. Insert throughput: -insert-rows generated rows appended to empty
//     tables in batches of each -batches size (small batches append fewer
//     rows: ClickHouse refuses inserts once a partition has a few hundred
//     unmerged parts, which a collector flushing once a second never
//     reaches), in rows per second and as a ratio to DuckDB.
//  2. The bulk load of -rows rows over 425 days (the default retention)
//     into each store in batches of 491,520 rows, unless -dir (DuckDB) and
//     the database shukei_bench_<rows> (ClickHouse) already hold them.
//  3. The bytes each store's rows take on disk.
//  4. With -alt-order or -alt-strings, the single server's rows are
//     copied into a table with that sorting key (the store's is
//     (site, ts)) or with String columns instead of LowCardinality(String),
//     queried below as "ch-alt".
//  5. The dashboard's query set (storetest.Dashboard) for the ranges day,
//     30d, 6mo and all: each query -runs times on every store in turn,
//     p50 and p95 latency, and a check that every store returns the same
//     groups.
//
// The ClickHouse servers come from the flags or the variables that
// scripts/clickhouse.sh prints; a store without a server is left out.
// Everything runs on 127.0.0.1 and stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
)

// options are the command's flags.
type options struct {
	rows        int
	runs        int
	insertRows  int
	batches     []int
	dir         string
	single      string
	cluster     string
	clusterName string
	// keep leaves the loaded rows in place for the next run.
	keep bool
	// altOrder, when set, is a sorting key to compare with the store's
	// on the single server's rows; altStrings compares String columns
	// with LowCardinality(String) ones.
	altOrder   string
	altStrings bool
	// age measures before and after an ageing pass (age.go) on stores of
	// their own, loaded afresh in bulk (the rollup rows are built when
	// they are opened again); noRollups opens the stores answering every
	// query from the rows.
	age       bool
	noRollups bool
}

// key names the loaded rows' stores: the DuckDB file and the ClickHouse
// database.
func (o *options) key() string {
	if o.age {
		return fmt.Sprint(o.rows) + "_age"
	}
	return fmt.Sprint(o.rows)
}

func main() {
	var o options
	var batches string
	flag.IntVar(&o.rows, "rows", 10_000_000, "rows to load and query")
	flag.IntVar(&o.runs, "runs", 9, "runs of each query on each store")
	flag.IntVar(&o.insertRows, "insert-rows", 1_000_000, "rows appended for each batch size of the insert measurement")
	flag.StringVar(&batches, "batches", "1000,10000,100000,491520", "batch sizes of the insert measurement (none: leave it out)")
	flag.StringVar(&o.dir, "dir", filepath.Join(os.TempDir(), "shukei-storebench"), "directory for the DuckDB files, kept between runs")
	flag.StringVar(&o.single, "single", os.Getenv("SHUKEI_TEST_CLICKHOUSE"), "ClickHouse server host:port (empty: leave it out)")
	flag.StringVar(&o.cluster, "cluster", os.Getenv("SHUKEI_TEST_CLICKHOUSE_CLUSTER"), "host:port of a server of a ClickHouse cluster (empty: leave it out)")
	flag.StringVar(&o.clusterName, "cluster-name", envOr("SHUKEI_TEST_CLICKHOUSE_CLUSTER_NAME", chtest.DefaultCluster), "the cluster's name")
	flag.BoolVar(&o.keep, "keep", true, "keep the loaded rows for the next run")
	flag.StringVar(&o.altOrder, "alt-order", "", "also query the single server's rows copied into a table with this sorting `key`, e.g. \"site, toStartOfHour(ts), path\"")
	flag.BoolVar(&o.altStrings, "alt-strings", false, "also query the single server's rows copied into a table with String columns instead of LowCardinality(String)")
	flag.BoolVar(&o.age, "age", false, "measure before and after ageing: sizes, rows per hit, unique visitor tuples and the queries of the rows as written without rollups, then of the aged rows with rollups (stores of their own, loaded afresh)")
	flag.Parse()
	var err error
	if o.batches, err = parseBatches(batches); err == nil {
		err = run(context.Background(), o, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "storebench:", err)
		os.Exit(1)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func parseBatches(s string) ([]int, error) {
	if s == "none" {
		return nil, nil
	}
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > 10_000_000 {
			return nil, fmt.Errorf("-batches: %q is not a batch size", part)
		}
		out = append(out, n)
	}
	return out, nil
}

func (o options) check() error {
	switch {
	case o.rows < 1 || o.rows > 2_000_000_000:
		return fmt.Errorf("-rows must be 1 to 2e9")
	case o.runs < 1 || o.runs > 1000:
		return fmt.Errorf("-runs must be 1 to 1000")
	case o.insertRows < 1 || o.insertRows > 100_000_000:
		return fmt.Errorf("-insert-rows must be 1 to 1e8")
	}
	return nil
}
