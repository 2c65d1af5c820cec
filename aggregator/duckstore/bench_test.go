package duckstore

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// benchRowsFlag sets the rows of BenchmarkDashboardQueries; the env var
// SHUKEI_BENCH_ROWS does too. SHUKEI_BENCH_DIR keeps the generated
// database between runs (it is rebuilt when the row count differs).
var benchRowsFlag = flag.Int("rows", 0, "rows for BenchmarkDashboardQueries (default 1000000, or $SHUKEI_BENCH_ROWS)")

func benchRows() int {
	if *benchRowsFlag > 0 {
		return *benchRowsFlag
	}
	if n, err := strconv.Atoi(os.Getenv("SHUKEI_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchThreads matches the target machine: two cores.
const benchThreads = 2

// benchPeriod is the generated history: 14 months, the default retention.
const benchDays = 425

// benchNow is the end of the generated history.
var benchNow = time.Date(2024, 12, 31, 18, 0, 0, 0, time.UTC)

func BenchmarkAppend(b *testing.B) {
	for _, size := range []int{1_000, 10_000, 100_000, 250_000} {
		b.Run("batch="+strconv.Itoa(size), func(b *testing.B) {
			rows := slices.Collect(storetest.GenerateRows(1, size, storetest.GenOptions{}))
			s, err := Open(context.Background(), Config{Path: filepath.Join(b.TempDir(), "append.duckdb"), Threads: benchThreads}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			for b.Loop() {
				if err := s.Append(context.Background(), rows); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func BenchmarkDashboardQueries(b *testing.B) {
	n := benchRows()
	s := openBenchDB(b, n)
	defer s.Close()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	site := storetest.DefaultSites[0]
	earliest, err := s.Earliest(ctx, site)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range []string{query.RangeDay, query.Range30d, query.Range6mo, query.RangeAll} {
		for _, d := range storetest.Dashboard {
			q := d.Query(site, r)
			p, err := query.Build(&q, benchNow, loc, earliest)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(r+"/"+d.Name, func(b *testing.B) { benchQuery(b, s, p) })
		}
	}
}

// benchQuery runs a plan repeatedly and reports its latency percentiles,
// and the median CPU time of the process per query (all threads): on a
// machine shared with other work, wall time grows with the load, CPU time
// much less.
func benchQuery(b *testing.B, s *Store, p *query.Plan) {
	var lat, cpu []time.Duration
	for b.Loop() {
		c0, t0 := cpuTime(), time.Now()
		if _, err := s.Query(context.Background(), p); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		cpu = append(cpu, cpuTime()-c0)
	}
	b.ReportMetric(percentile(lat, 0.5), "p50-ms")
	b.ReportMetric(percentile(lat, 0.95), "p95-ms")
	b.ReportMetric(percentile(cpu, 0.5), "cpu-p50-ms")
}

// percentile returns the q-quantile of ds in milliseconds (nearest rank).
func percentile(ds []time.Duration, q float64) float64 {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return float64(ds[int(q*float64(len(ds)-1)+0.5)].Microseconds()) / 1000
}

// openBenchDB opens a database file holding n generated rows, building it
// unless SHUKEI_BENCH_DIR already holds one of that size.
func openBenchDB(b *testing.B, n int) *Store {
	b.Helper()
	dir := os.Getenv("SHUKEI_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("bench-%d.duckdb", n))
	cfg := Config{Path: path, Threads: benchThreads}
	if _, err := os.Stat(path); err == nil {
		s, err := Open(context.Background(), cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	s, err := Open(context.Background(), cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	// Whole row groups per batch (4 × 122,880 rows): the layout DuckDB
	// reaches when a collector appends small batches and checkpoints merge
	// them. Batches that end inside a row group leave short row groups
	// behind, which scan about a fifth slower.
	batch := make([]event.Row, 0, 4*122_880)
	start := benchNow.AddDate(0, 0, -benchDays)
	for r := range storetest.GenerateRows(1, n, storetest.GenOptions{Start: start, Days: benchDays}) {
		if batch = append(batch, r); len(batch) == cap(batch) {
			if err := s.Append(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := s.Append(context.Background(), batch); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated and appended %d rows in %v", n, time.Since(t0).Round(time.Millisecond))
	return s
}
