// Command querybench measures Stats API latency for a dashboard's query set
// on generated rows, end to end: HTTP, planning, SQL on DuckDB, response.
//
//	go run ./scripts/querybench [-rows 10000000] [-runs 15] [-dir DIR]
//
// It generates the rows once into a DuckDB file under -dir (kept for later
// runs; regenerated when -rows changes), starts `shukei serve` on that data
// directory on 127.0.0.1, runs every query of the set -runs times for the
// ranges 30d, 6mo and all, and prints p50/p95 per query and the time to load
// the whole set in parallel, as the dashboard does. The set includes the
// Goals panel's goal breakdown with conversion rates. It stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// benchSite is the large site of storetest.GenerateRows.
const benchSite = "big.example"

func main() {
	rows := flag.Int("rows", 10_000_000, "rows to generate")
	runs := flag.Int("runs", 15, "runs of each query")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "shukei-querybench"), "directory kept between runs")
	bin := flag.String("bin", "", "shukei binary (default: build one)")
	flag.Parse()
	if err := run(*rows, *runs, *dir, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "querybench:", err)
		os.Exit(1)
	}
}

func run(rows, runs int, dir, bin string) error {
	if runs < 1 || runs > 1000 {
		return fmt.Errorf("-runs must be 1..1000")
	}
	data := filepath.Join(dir, "data-"+strconv.Itoa(rows))
	if err := ensureRows(context.Background(), data, rows); err != nil {
		return err
	}
	if bin == "" {
		bin = filepath.Join(dir, "shukei")
		build := exec.Command("go", "build", "-o", bin, "./cmd/shukei")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	srv, err := startServer(bin, data)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Printf("%d rows, %d runs per query, site %s\n\n", rows, runs, benchSite)
	for _, rng := range []string{"30d", "6mo", "all"} {
		if err := measureRange(srv, rng, runs); err != nil {
			return err
		}
	}
	return nil
}

// start of the generated history, relative to now so presets hit data.
func historyStart() time.Time {
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -425)
}
