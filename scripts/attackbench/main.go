// Command attackbench measures what each attack of the hostile-client suite
// (internal/hostile) costs a `shukei serve` process: its peak resident
// memory (VmHWM), the CPU seconds it spent during the attack, how the
// attack was answered, and whether an ordinary visitor kept being served.
// Every attack runs against a fresh server on 127.0.0.1 and stops by
// itself; a server whose memory passes -rss-cap is killed and reported as
// such, so a vulnerable build cannot take the machine's memory.
//
//	go run ./scripts/attackbench [-bin path] [-attacks a,b] [-bomb-mib 1024] [-visitors 100000]
//
// Run it on the build before a change and after it: both tables come from
// the same attacks and the same measurement.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/internal/hostile"
)

func main() {
	var (
		bin      = flag.String("bin", "", "shukei binary (default: build one)")
		names    = flag.String("attacks", "", "comma-separated attacks to run (default: all)")
		bombMiB  = flag.Int64("bomb-mib", 1024, "decoded size of the gzip bombs, MiB")
		visitors = flag.Int("visitors", 100_000, "distinct visitors of the floods")
		rssCap   = flag.Int64("rss-cap", 4096, "kill the server when its resident memory passes this many MiB")
		extra    = flag.String("shukei-flags", "", "extra flags for shukei serve, space-separated")
	)
	flag.Parse()
	if *bombMiB > 8192 || *visitors > 1_000_000 || *rssCap > 16384 {
		fmt.Fprintln(os.Stderr, "attackbench: bounded run: -bomb-mib ≤ 8192, -visitors ≤ 1,000,000, -rss-cap ≤ 16384")
		os.Exit(2)
	}
	if err := run(*bin, *names, strings.Fields(*extra), hostile.Options{
		BombBytes: *bombMiB << 20, Visitors: *visitors,
	}, *rssCap<<20); err != nil {
		fmt.Fprintln(os.Stderr, "attackbench:", err)
		os.Exit(1)
	}
}

func run(bin, names string, extra []string, opts hostile.Options, rssCap int64) error {
	tmp, err := os.MkdirTemp("", "shukei-attackbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		bin = filepath.Join(tmp, "shukei")
		build := exec.Command("go", "build", "-o", bin, "./cmd/shukei")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build shukei: %w", err)
		}
	}
	want := strings.Split(names, ",")
	fmt.Printf("binary %s\n\n", bin)
	fmt.Println("| attack | item | peak RSS MiB (idle → peak) | CPU s | answers | ingest probe: 202s / other, median, slowest | findings |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, a := range hostile.Attacks() {
		if names != "" && !slices.Contains(want, a.Name) {
			continue
		}
		m, err := measure(bin, filepath.Join(tmp, a.Name), extra, a, opts, rssCap)
		if err != nil {
			return fmt.Errorf("%s: %w", a.Name, err)
		}
		fmt.Println(m.row())
	}
	fmt.Printf("\nload average: %s\n", loadAvg())
	return nil
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// measurement is one attack's figures.
type measurement struct {
	attack              hostile.Attack
	idle, peak          int64
	cpu                 time.Duration
	res                 *hostile.Result
	probeOK, probeOther int
	median, slowest     time.Duration
	killed              bool
	exited              string
}

func (m *measurement) row() string {
	peak := fmt.Sprintf("%d → %d", m.idle>>20, m.peak>>20)
	if m.killed {
		peak += " (killed at the cap)"
	}
	if m.exited != "" {
		peak += " (died: " + m.exited + ")"
	}
	var findings []string
	for k, v := range m.res.Findings {
		if !strings.HasSuffix(k, "_status") && !strings.HasSuffix(k, "_ms") && k != "closed" && k != "content_type" {
			findings = append(findings, k+": "+v)
		}
	}
	slices.Sort(findings)
	cpu := fmt.Sprintf("%.1f", m.cpu.Seconds())
	if m.killed || m.exited != "" {
		cpu = "—"
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %s | %d / %d, %v, %v | %s |", m.attack.Name, m.attack.Item, peak,
		cpu, m.res.Tally.String(), m.probeOK, m.probeOther,
		m.median.Round(time.Millisecond), m.slowest.Round(time.Millisecond), strings.Join(findings, "; "))
}

// measure starts a fresh server, runs the attack with the probe beside
// it, and reads the process's usage before and after.
func measure(bin, data string, extra []string, a hostile.Attack, opts hostile.Options, rssCap int64) (*measurement, error) {
	srv, err := start(bin, data, append(slices.Clone(a.Flags), extra...))
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	t := &hostile.Target{Addr: srv.addr, Site: "example.org", Token: benchToken, Owner: "owner", Password: "correct horse battery staple"}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if a.NeedsOwner {
		code, err := hostile.SetupCode(srv.stdout.String())
		if err != nil {
			return nil, err
		}
		if err := hostile.SetupOwner(ctx, t, code); err != nil {
			return nil, err
		}
	}
	before, err := hostile.ReadUsage(srv.pid())
	if err != nil {
		return nil, err
	}
	m := &measurement{attack: a, idle: before.RSS, res: &hostile.Result{}}
	probe := &hostile.Probe{Target: t, Prefix: "/probe", ForwardedFor: "192.0.2.200"}
	probeCtx, stopProbe := context.WithCancel(ctx)
	probeDone := make(chan struct{})
	go func() { probe.Run(probeCtx); close(probeDone) }()
	stopWatch := make(chan struct{})
	watched := make(chan int64, 1)
	go func() {
		watched <- hostile.Watch(srv.pid(), 20*time.Millisecond, rssCap, func(int64) {
			m.killed = true
			srv.kill()
		}, stopWatch)
	}()
	err = a.Run(ctx, t, &opts, m.res)
	time.Sleep(500 * time.Millisecond) // the probe's view just after the attack
	stopProbe()
	<-probeDone
	after, uerr := hostile.ReadUsage(srv.pid())
	close(stopWatch)
	most := <-watched
	if err != nil && !m.killed {
		return nil, err
	}
	if uerr != nil {
		m.exited = srv.exitStatus()
	}
	m.peak = max(after.Peak, most)
	m.cpu = after.CPU - before.CPU
	m.probeOK = len(probe.Accepted())
	for code, n := range probe.Tally().Statuses {
		if code != 202 {
			m.probeOther += n
		}
	}
	m.probeOther += probe.Tally().Unanswered
	m.median, m.slowest = probe.Latency()
	return m, nil
}
