package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"net"
)

const token = "querybench-token-0123456789"

type server struct {
	addr string
	cmd  *exec.Cmd
}

func startServer(bin, data string, extra ...string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "-listen", addr, "-data", data, "-site", benchSite + "=" + benchZone,
		"-api-token", token, "-log-level", "warn", "-ageing-interval", "0"}
	for _, g := range benchGoals {
		args = append(args, "-goal", benchSite+"="+g)
	}
	args = append(args, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{addr: addr, cmd: cmd}
	// Generous: the first open of rows written before rollups existed
	// builds them, minutes at 10M rows.
	deadline := time.Now().Add(20 * time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("server did not start")
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// post runs one query and returns its latency. A query refused because
// the rows are aged (400) counts as answered: the dashboard shows the
// refusal in that panel.
func (s *server) post(body string) (time.Duration, error) {
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/api/v2/query", bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode == http.StatusBadRequest && bytes.Contains(b, []byte("ageing policy")) {
		return time.Since(start), errRefused
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d: %s", res.StatusCode, b)
	}
	return time.Since(start), nil
}

// dashboardSet is what the dashboard asks for one range.
func dashboardSet(rng string) [][2]string {
	q := func(metrics, dim string) string {
		dims := ""
		if dim != "" {
			dims = `,"dimensions":["` + dim + `"]`
		}
		limit := ""
		if dim != "" && dim[:5] != "time:" {
			limit = `,"pagination":{"limit":10}`
		}
		return `{"site_id":"` + benchSite + `","date_range":"` + rng + `","metrics":[` + metrics + `]` + dims + limit + `}`
	}
	series := "time:day"
	if rng == "all" || rng == "6mo" {
		series = "time:week"
	}
	v := `"visitors"`
	return [][2]string{
		{"totals", q(`"visitors","visits","pageviews","views_per_visit","bounce_rate","visit_duration"`, "")},
		{"timeseries", q(`"visitors","pageviews"`, series)},
		{"pages", q(`"visitors","pageviews","time_on_page"`, "event:page")},
		{"entry pages", q(`"visitors","visits"`, "visit:entry_page")},
		{"exit pages", q(`"visits"`, "visit:exit_page")},
		{"sources", q(v, "visit:source")},
		{"referrers", q(v, "visit:referrer")},
		{"utm campaigns", q(v, "visit:utm_campaign")},
		{"countries", q(v, "visit:country")},
		{"regions", q(v, "visit:region")},
		{"browsers", q(v, "visit:browser")},
		{"os", q(v, "visit:os")},
		{"devices", q(v, "visit:device")},
		{"screens", q(v, "visit:screen")},
		{"languages", q(v, "visit:language")},
		{"events", q(`"visitors","events"`, "event:name")},
		// The dashboard's Goals panel: configured goals (benchGoals) with
		// the conversion rate, which costs a second query for the divisor.
		{"goals", q(`"visitors","events","conversion_rate"`, "event:goal")},
		{"channels", q(v, "visit:channel")},
		// Custom properties: which file (the url of File Download), and an
		// allowlisted key over every event that kept it.
		{"props: downloads", `{"site_id":"` + benchSite + `","date_range":"` + rng + `","metrics":["visitors","events"],` +
			`"dimensions":["event:props:url"],"filters":[["is","event:name",["File Download"]]],"pagination":{"limit":10}}`},
		{"props: plan", q(`"visitors","events"`, "event:props:plan")},
	}
}

// benchGoals are the big site's goals (-goal), on storetest.GenerateRows'
// event names and paths: two event goals, two wildcard page goals.
var benchGoals = []string{"event:Signup", "event:File Download", "visit:/blog/*", "visit:/docs/*"}

// errRefused marks a query the aged rows cannot answer.
var errRefused = errors.New("refused: aged rows")

// measureRange prints each query's latency and returns the whole set's
// p50 and p95.
func measureRange(s *server, rng string, runs int) (p50, p95 time.Duration, err error) {
	set := dashboardSet(rng)
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "range %s\tp50 ms\tp95 ms\t\n", rng)
	for _, q := range set {
		var lat []time.Duration
		refused := ""
		for range runs {
			d, err := s.post(q[1])
			if errors.Is(err, errRefused) {
				refused = " (refused: aged)"
			} else if err != nil {
				return 0, 0, fmt.Errorf("%s: %w", q[0], err)
			}
			lat = append(lat, d)
		}
		slices.Sort(lat)
		fmt.Fprintf(w, "%s%s\t%.1f\t%.1f\t\n", q[0], refused, ms(lat[len(lat)/2]), ms(lat[len(lat)*95/100]))
	}
	var loads []time.Duration
	for range runs {
		d, err := loadAll(s, set)
		if err != nil {
			return 0, 0, err
		}
		loads = append(loads, d)
	}
	slices.Sort(loads)
	p50, p95 = loads[len(loads)/2], loads[len(loads)*95/100]
	fmt.Fprintf(w, "whole set, 6 in parallel\t%.1f\t%.1f\t\n", ms(p50), ms(p95))
	w.Flush()
	fmt.Println()
	return p50, p95, nil
}

// loadAll runs the set with six concurrent requests, as a browser does.
func loadAll(s *server, set [][2]string) (time.Duration, error) {
	start := time.Now()
	sem := make(chan struct{}, 6)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for _, q := range set {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := s.post(q[1]); err != nil && !errors.Is(err, errRefused) {
				mu.Lock()
				firstErr = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return time.Since(start), firstErr
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// measureSideBySide runs the set on every server in turn, query by query
// and run by run, prints the p50s side by side and returns each server's
// whole-set p50.
func measureSideBySide(servers []*server, names []string, rng string, runs int) ([]time.Duration, error) {
	set := dashboardSet(rng)
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "range %s, p50 ms\t", rng)
	for _, n := range names {
		fmt.Fprintf(w, "%s\t", n)
	}
	fmt.Fprintln(w)
	for _, q := range set {
		lat := make([][]time.Duration, len(servers))
		refused := make([]bool, len(servers))
		for range runs {
			for i, s := range servers {
				d, err := s.post(q[1])
				switch {
				case errors.Is(err, errRefused):
					refused[i] = true
				case err != nil:
					return nil, fmt.Errorf("%s: %s: %w", names[i], q[0], err)
				}
				lat[i] = append(lat[i], d)
			}
		}
		fmt.Fprintf(w, "%s\t", q[0])
		for i := range servers {
			mark := ""
			if refused[i] {
				mark = " (refused)"
			}
			fmt.Fprintf(w, "%.1f%s\t", ms(median(lat[i])), mark)
		}
		fmt.Fprintln(w)
	}
	loads := make([][]time.Duration, len(servers))
	for range runs {
		for i, s := range servers {
			d, err := loadAll(s, set)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", names[i], err)
			}
			loads[i] = append(loads[i], d)
		}
	}
	out := make([]time.Duration, len(servers))
	fmt.Fprint(w, "whole set, 6 in parallel\t")
	for i := range servers {
		out[i] = median(loads[i])
		fmt.Fprintf(w, "%.1f\t", ms(out[i]))
	}
	fmt.Fprintln(w)
	w.Flush()
	fmt.Println()
	return out, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
