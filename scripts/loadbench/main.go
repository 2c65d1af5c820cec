// Command loadbench measures ingest throughput of `shukei serve` against a
// do-nothing fiber endpoint in the same run, on loopback only, and checks
// that every accepted hit was stored.
//
//	go run ./scripts/loadbench [-duration 10s] [-conns 32] [-rounds 2]
//	go run ./scripts/loadbench -soak -rate 5000 -duration 10m [-conns 64]
//
// It builds the shukei binary, starts it and a baseline server (this
// program re-executed with -baseline) on 127.0.0.1, drives each in turn with
// the same keep-alive load, and prints requests per second, latency
// percentiles, the ratio, and how many hits shared each sync of the
// write-ahead log. With -soak it drives shukei alone at a fixed rate
// instead, sampling its resident memory, and fails unless every hit was
// accepted and stored. Everything stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	var (
		duration = flag.Duration("duration", 10*time.Second, "load duration per server and round")
		conns    = flag.Int("conns", 32, "concurrent keep-alive connections")
		rounds   = flag.Int("rounds", 2, "alternating rounds (baseline, shukei)")
		bin      = flag.String("bin", "", "shukei binary (default: build one)")
		baseline = flag.String("baseline", "", "internal: serve the do-nothing endpoint on this address")
		extra    = flag.String("shukei-flags", "", "extra flags for shukei serve, space-separated")
		soakMode = flag.Bool("soak", false, "drive shukei alone at -rate for -duration (up to 30m)")
		rate     = flag.Int("rate", 5000, "hits per second with -soak")
	)
	flag.Parse()
	if *baseline != "" {
		if err := serveBaseline(*baseline); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	var err error
	if *soakMode {
		err = runSoak(*duration, *conns, *rate, *bin, strings.Fields(*extra))
	} else {
		err = run(*duration, *conns, *rounds, *bin, strings.Fields(*extra))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run(duration time.Duration, conns, rounds int, bin string, extra []string) error {
	if duration > 5*time.Minute || conns > 1024 || rounds > 10 {
		return fmt.Errorf("bounded run: duration ≤ 5m, conns ≤ 1024, rounds ≤ 10")
	}
	tmp, bin, err := prepare(bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	pool := newPayloadPool(300_000)
	base, err := startBaseline()
	if err != nil {
		return err
	}
	defer base.stop()
	shukei, err := startShukei(bin, tmp, extra)
	if err != nil {
		return err
	}
	defer shukei.stop()

	var baseRes, shukeiRes []result
	for r := range rounds {
		fmt.Fprintf(os.Stderr, "round %d/%d\n", r+1, rounds)
		baseRes = append(baseRes, drive(base.addr, pool, conns, duration))
		shukeiRes = append(shukeiRes, drive(shukei.addr, pool, conns, duration))
	}
	accepted := int64(0)
	for _, r := range shukeiRes {
		accepted += r.accepted
	}
	stored, err := shukei.storedPageviews(context.Background(), accepted, 60*time.Second)
	if err != nil {
		return err
	}
	report(baseRes, shukeiRes, conns, duration, accepted, stored)
	if m, err := shukei.metrics("shukei_rows_flushed_total", "shukei_rows_merged_total",
		"shukei_wal_group_records_sum", "shukei_wal_group_records_count"); err == nil {
		fmt.Printf("rows written %.0f (%.2f per hit), rows merged before writing %.0f\n",
			m[0], m[0]/float64(accepted), m[1])
		if m[3] > 0 {
			fmt.Printf("write-ahead log: %.0f syncs, %.1f hits per sync\n", m[3], m[2]/m[3])
		}
	}
	fmt.Printf("load average: %s\n", loadAvg())
	if stored != accepted {
		return fmt.Errorf("stored %d of %d accepted hits", stored, accepted)
	}
	return nil
}

func runSoak(duration time.Duration, conns, rate int, bin string, extra []string) error {
	if conns > 1024 || rate < 1 {
		return fmt.Errorf("bounded run: conns ≤ 1024, rate ≥ 1")
	}
	tmp, bin, err := prepare(bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	return soak(bin, tmp, extra, rate, conns, duration)
}

// prepare makes the run's temporary directory and builds shukei into it
// unless bin names a binary.
func prepare(bin string) (tmp, path string, err error) {
	tmp, err = os.MkdirTemp("", "shukei-loadbench-")
	if err != nil {
		return "", "", err
	}
	if bin != "" {
		return tmp, bin, nil
	}
	bin = filepath.Join(tmp, "shukei")
	build := exec.Command("go", "build", "-o", bin, "./cmd/shukei")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(tmp)
		return "", "", fmt.Errorf("build shukei: %w", err)
	}
	return tmp, bin, nil
}

// freeAddr finds a free loopback port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
