// Command querybench measures Stats API latency for a dashboard's query set
// on generated rows, end to end: HTTP, planning, SQL on DuckDB, response.
//
//	go run ./scripts/querybench [-rows 10000000] [-runs 15] [-dir DIR] [-compare]
//
// It generates the rows once into a DuckDB file under -dir (kept for later
// runs; regenerated when -rows changes), starts `shukei serve` on that data
// directory on 127.0.0.1, runs every query of the set -runs times for the
// ranges 30d, 6mo and all, and prints p50/p95 per query and the time to load
// the whole set in parallel, as the dashboard does. The set includes the
// Goals panel's goal breakdown with conversion rates. It stops by itself.
//
// With -compare it ages a copy of the rows (`shukei age`, timed) and
// measures three servers side by side, taking turns request by request so
// that the ratios hold on a noisy machine: the rows as written without
// rollups (how every query ran before), the aged rows without rollups, and
// the aged rows with rollups. It prints `shukei audit` before and after
// ageing and a summary of the ratios.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"
)

// benchSite is the large site of storetest.GenerateRows, and the zone it
// is counted in.
const (
	benchSite = "big.example"
	benchZone = "Europe/Berlin"
)

func main() {
	rows := flag.Int("rows", 10_000_000, "rows to generate")
	runs := flag.Int("runs", 15, "runs of each query")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "shukei-querybench"), "directory kept between runs")
	bin := flag.String("bin", "", "shukei binary (default: build one)")
	compare := flag.Bool("compare", false, "measure rows, rollups, and both after ageing, on a copy of the rows")
	flag.Parse()
	if err := run(*rows, *runs, *dir, *bin, *compare); err != nil {
		fmt.Fprintln(os.Stderr, "querybench:", err)
		os.Exit(1)
	}
}

var ranges = []string{"30d", "6mo", "all"}

func run(rows, runs int, dir, bin string, compare bool) error {
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
	fmt.Printf("%d rows, %d runs per query, site %s\n\n", rows, runs, benchSite)
	if !compare {
		srv, err := startServer(bin, data)
		if err != nil {
			return err
		}
		defer srv.stop()
		for _, rng := range ranges {
			if _, _, err := measureRange(srv, rng, runs); err != nil {
				return err
			}
		}
		return nil
	}
	return comparePhases(bin, data, filepath.Join(dir, "work-"+strconv.Itoa(rows)), runs)
}

// comparePhases ages a copy of data and measures three servers side by
// side, one request to each in turn, so that the machine's load falls on
// all of them alike: the rows as written without rollups (how every query
// ran before rollups and ageing), the aged rows without rollups, and the
// aged rows with rollups.
func comparePhases(bin, data, work string, runs int) error {
	raw, aged, agedRollups := filepath.Join(work, "raw"), filepath.Join(work, "aged"), filepath.Join(work, "aged-rollups")
	defer os.RemoveAll(work)
	for _, d := range []string{raw, aged} {
		if err := copyDir(data, d); err != nil {
			return err
		}
	}
	if err := audit(bin, raw, "before ageing"); err != nil {
		return err
	}
	start := time.Now()
	age := exec.Command(bin, "age", "-data", aged, "-site", benchSite+"="+benchZone, "-log-level", "warn")
	age.Stdout, age.Stderr = os.Stdout, os.Stderr
	if err := age.Run(); err != nil {
		return fmt.Errorf("age: %w", err)
	}
	fmt.Printf("shukei age took %v\n\n", time.Since(start).Round(time.Second))
	if err := audit(bin, aged, "after ageing"); err != nil {
		return err
	}
	if err := copyDir(aged, agedRollups); err != nil {
		return err
	}
	names := []string{"rows as written, no rollups", "aged rows, no rollups", "aged rows, rollups"}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for i, dir := range []string{raw, aged, agedRollups} {
		var extra []string
		if i < 2 {
			extra = []string{"-rollups=false"}
		}
		s, err := startServer(bin, dir, extra...)
		if err != nil {
			return err
		}
		servers = append(servers, s)
	}
	summary := make([][]time.Duration, len(servers))
	for _, rng := range ranges {
		p50s, err := measureSideBySide(servers, names, rng, runs)
		if err != nil {
			return err
		}
		for i := range servers {
			summary[i] = append(summary[i], p50s[i])
		}
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "whole set p50, ms (× faster than the first)\t")
	for _, rng := range ranges {
		fmt.Fprintf(w, "%s\t", rng)
	}
	fmt.Fprintln(w)
	for i, name := range names {
		fmt.Fprintf(w, "%s\t", name)
		for j, d := range summary[i] {
			fmt.Fprintf(w, "%.1f (%.1f×)\t", ms(d), float64(summary[0][j])/float64(d))
		}
		fmt.Fprintln(w)
	}
	return w.Flush()
}

func audit(bin, data, when string) error {
	fmt.Printf("== shukei audit, %s\n\n", when)
	cmd := exec.Command(bin, "audit", "-data", data, "-site", benchSite+"="+benchZone, "-log-level", "warn")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	fmt.Println()
	return nil
}

// start of the generated history, relative to now so presets hit data.
func historyStart() time.Time {
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -425)
}
