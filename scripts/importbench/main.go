// Command importbench measures shukei import on a generated access log
// with a known number of lines, against the I/O floor of the same file
// measured in the same run: `wc -l` of the plain file and `gzip -dc` of
// the compressed one. It builds the shukei binary, writes the log in the
// combined format (plain and gzip), imports each into a fresh data
// directory and reports lines per second, the ratios, and the peak
// resident memory of each process. The "through a running server" step
// starts `shukei serve` on the data directory first and imports through
// it: its CPU seconds are the command's plus the server's during the
// import, its peak memory the command's plus the server's (from /proc).
//
//	go run ./scripts/importbench [-lines 1000000] [-dir DIR] [-runs 3] [-format combined]
package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/internal/loggen"
)

func main() {
	lines := flag.Int("lines", 1_000_000, "lines in the generated log")
	dir := flag.String("dir", "", "work directory (default: a new temporary one, removed at the end)")
	runs := flag.Int("runs", 3, "runs of each measurement; the median is reported")
	format := flag.String("format", "combined", "log format: combined, common, caddy, iis or custom")
	flag.Parse()
	if err := run(*lines, *dir, *runs, loggen.Format(*format)); err != nil {
		fmt.Fprintln(os.Stderr, "importbench:", err)
		os.Exit(1)
	}
}

func run(n int, dir string, runs int, f loggen.Format) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "importbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	bin := filepath.Join(dir, "shukei")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/shukei").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	plain, gz := filepath.Join(dir, "access.log"), filepath.Join(dir, "access.log.gz")
	start := time.Now()
	lg := generate(n)
	for _, p := range []string{plain, gz} {
		if err := loggen.WriteFile(p, lg.Lines, f, time.FixedZone("", 9*3600)); err != nil {
			return err
		}
	}
	st, _ := os.Stat(plain)
	zst, _ := os.Stat(gz)
	fmt.Printf("log: %d lines (%s), %d page views, %d visitors; %.1f MB plain, %.1f MB gzip; generated in %s\n",
		len(lg.Lines), f, len(lg.Hits), len(lg.Visitors), float64(st.Size())/1e6, float64(zst.Size())/1e6, time.Since(start).Round(time.Millisecond))
	fmt.Printf("CPUs: %d\n", numCPU())
	n = len(lg.Lines)
	lg = nil

	fmt.Printf("load average at start: %s\n\n", loadavg())
	type result struct {
		name           string
		wall, cpu, rss float64 // seconds, seconds, bytes (medians)
	}
	var results []result
	// Each step runs under /usr/bin/time, which reports the step's own
	// peak RSS and CPU time; the machine is shared, so CPU seconds are
	// the steadier figure and wall seconds the one a user waits.
	measure := func(name string, serve bool, argv ...string) error {
		var walls, cpus, rsss []float64
		for i := range runs {
			data := filepath.Join(dir, fmt.Sprintf("data-%d", i))
			var srv *server
			var startCPU float64
			if serve {
				var err error
				if srv, err = startServer(bin, data); err != nil {
					return fmt.Errorf("%s: %v", name, err)
				}
				startCPU, _ = srv.usage()
			}
			timing := filepath.Join(dir, "time.txt")
			args := []string{"-f", "%e %U %S %M", "-o", timing}
			for _, a := range argv {
				if a == "DATA" {
					a = data
				}
				args = append(args, a)
			}
			cmd := exec.Command("/usr/bin/time", args...)
			out, err := cmd.CombinedOutput()
			var serverCPU, serverRSS float64
			if srv != nil {
				serverCPU, serverRSS = srv.usage()
				serverCPU -= startCPU
				err = errors.Join(err, srv.stop())
			}
			if err != nil {
				return fmt.Errorf("%s: %v\n%s", name, err, out)
			}
			b, err := os.ReadFile(timing)
			if err != nil {
				return err
			}
			var wall, user, sys, kb float64
			if _, err := fmt.Sscan(lastLine(string(b)), &wall, &user, &sys, &kb); err != nil {
				return fmt.Errorf("%s: read timing %q: %v", name, b, err)
			}
			walls, cpus, rsss = append(walls, wall), append(cpus, user+sys+serverCPU), append(rsss, kb*1024+serverRSS)
			os.RemoveAll(data)
		}
		results = append(results, result{name, median(walls), median(cpus), median(rsss)})
		return nil
	}
	steps := []struct {
		name  string
		argv  []string
		serve bool
	}{
		{"wc -l (plain)", []string{"wc", "-l", plain}, false},
		{"gzip -dc (gzip)", []string{"sh", "-c", "gzip -dc " + gz + " > /dev/null"}, false},
		{"shukei import (plain)", []string{bin, "import", "-site", "bench.example=Asia/Tokyo", "-data", "DATA", "-retention-months", "120", "-format", formatArg(f), plain}, false},
		{"shukei import (gzip)", []string{bin, "import", "-site", "bench.example=Asia/Tokyo", "-data", "DATA", "-retention-months", "120", "-format", formatArg(f), gz}, false},
		{"shukei import -dry-run (plain)", []string{bin, "import", "-dry-run", "-site", "bench.example=Asia/Tokyo", "-data", "DATA", "-retention-months", "120", "-format", formatArg(f), plain}, false},
		{"import via running serve (plain)", []string{bin, "import", "-site", "bench.example", "-data", "DATA", "-format", formatArg(f), plain}, true},
	}
	for _, s := range steps {
		if err := measure(s.name, s.serve, s.argv...); err != nil {
			return err
		}
	}
	fmt.Printf("%-31s %8s %12s %8s %8s %12s %8s %9s\n", "step", "wall s", "lines/s", "× floor", "CPU s", "lines/CPU-s", "× floor", "peak RSS")
	for _, r := range results {
		floor := results[0]
		if strings.Contains(r.name, "gzip") {
			floor = results[1]
		}
		fmt.Printf("%-31s %8.3f %12.0f %8.1f %8.3f %12.0f %8.1f %6.1f MB\n", r.name, r.wall, float64(n)/r.wall, r.wall/math.Max(floor.wall, 1e-3),
			r.cpu, float64(n)/math.Max(r.cpu, 1e-3), r.cpu/math.Max(floor.cpu, 1e-3), r.rss/1e6)
	}
	fmt.Printf("\nload average at end: %s\n", loadavg())
	return nil
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// generate makes a log of about n lines over 60 days, cut to n.
func generate(n int) *loggen.Log {
	visitors := max(n/320, 10)
	for {
		lg := loggen.Generate(loggen.Config{Seed: 1, Site: "bench.example", Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.FixedZone("", 9*3600)),
			Days: 60, Visitors: min(visitors, 62_500), SharedPrefixes: true, Noise: 2, MalformedEvery: 10_000})
		if len(lg.Lines) >= n || visitors >= 62_500 {
			lg.Lines = lg.Lines[:min(n, len(lg.Lines))]
			return lg
		}
		visitors = visitors * n / len(lg.Lines) * 11 / 10
	}
}

func formatArg(f loggen.Format) string {
	if f == loggen.Custom {
		return loggen.CustomFormat
	}
	return string(f)
}

func numCPU() int {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return 0
	}
	var n int
	fmt.Sscan(string(out), &n)
	return n
}
