package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // the driver, to read stored rows back

	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// Helpers of the reliability tests that run the real binary under load on
// loopback: kill -9 (kill_test.go) and overload (overload_test.go).

// binServer is one run of the shukei binary on a data directory.
type binServer struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer
	done chan error
}

// startBinary starts `shukei serve` on a free loopback port with the
// reliability tests' defaults (loopback clients may forward addresses,
// no per-client rate limit) and args. It does not wait for the server.
func startBinary(t *testing.T, data string, args ...string) *binServer {
	t.Helper()
	return startBinaryAt(t, freeAddr(t), data, args...)
}

// freeAddr is a loopback address no one listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startBinaryAt is startBinary on a given address: a node restarted on
// the same host and -listen is the same jobs lease holder.
func startBinaryAt(t *testing.T, addr, data string, args ...string) *binServer {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	all := append([]string{"serve", "-listen", addr, "-data", data, "-site", "example.org",
		"-trusted-proxy", "127.0.0.1/32", "-rate-limit-ip", "0", "-api-token", "reliability-test-token-0123456789",
		"-log-level", "warn"}, args...)
	s := &binServer{t: t, cmd: exec.Command(bin, all...), addr: addr, logs: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

// waitReady waits until /healthz answers, failing the test if the process
// exits or 60 s pass.
func (s *binServer) waitReady() {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			s.t.Fatalf("server exited at start: %v\n%s", err, s.logs.String())
		default:
		}
		if res, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("server on %s did not start\n%s", s.addr, s.logs.String())
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *binServer) kill() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	<-s.done
}

// stop sends SIGTERM and fails the test unless the process exits cleanly
// within the stop timeout and a margin.
func (s *binServer) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Fatalf("exit after SIGTERM: %v\n%s", err, s.logs.String())
		}
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		s.t.Fatalf("no exit within 20 s of SIGTERM\n%s", s.logs.String())
	}
}

// peakRSS returns the process's resident set high-water mark in bytes.
func (s *binServer) peakRSS() int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// metric reads one unlabelled sample from /metrics.
func (s *binServer) metric(name string) (float64, error) {
	res, err := http.Get("http://" + s.addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("/metrics has no %s", name)
}

// outcome is what a client learnt of one hit.
type outcome int

const (
	acked   outcome = iota // 202 without a drop reason: must be stored once
	refused                // any other answer: must not be stored
	unknown                // no answer (the server died): stored at most once
)

// hitLedger records every hit sent by path, with its outcome.
type hitLedger struct {
	mu       sync.Mutex
	outcomes map[string]outcome
	statuses map[int]int
	// noRetryAfter counts refusals (429, 503) without Retry-After.
	noRetryAfter atomic.Int64
}

func newLedger() *hitLedger {
	return &hitLedger{outcomes: map[string]outcome{}, statuses: map[int]int{}}
}

func (l *hitLedger) record(path string, o outcome, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.outcomes[path] = o
	if o != unknown {
		l.statuses[status]++
	}
}

func (l *hitLedger) count(o outcome) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, v := range l.outcomes {
		if v == o {
			n++
		}
	}
	return n
}

// load sends unique page views from concurrent clients until stop closes.
// Paths are prefix/w<worker>/n<i>; each worker is one visitor (its own
// forwarded address).
func (l *hitLedger) load(addr, prefix string, workers int, stop <-chan struct{}) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			defer client.CloseIdleConnections()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := fmt.Sprintf("%s/w%d/n%d", prefix, w, i)
				l.send(client, addr, fmt.Sprintf("198.51.%d.%d", w/250, 1+w%250), path)
			}
		})
	}
	wg.Wait()
}

// send posts one page view and records its outcome.
func (l *hitLedger) send(client *http.Client, addr, ip, path string) outcome {
	body := `{"n":"pageview","u":"https://example.org` + path + `","d":"example.org"}`
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/event", strings.NewReader(body))
	req.Header.Set("User-Agent", goodUA)
	req.Header.Set("X-Forwarded-For", ip)
	res, err := client.Do(req)
	if err != nil {
		l.record(path, unknown, 0)
		return unknown
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	o := refused
	if res.StatusCode == http.StatusAccepted && res.Header.Get("X-Shukei-Dropped") == "" {
		o = acked
	}
	if (res.StatusCode == http.StatusServiceUnavailable || res.StatusCode == http.StatusTooManyRequests) &&
		res.Header.Get("Retry-After") == "" {
		l.noRetryAfter.Add(1)
	}
	l.record(path, o, res.StatusCode)
	return o
}

// tally compares the ledger with the page views stored per path.
type tally struct {
	attempts, acknowledged, stored, lost, duplicated int
	// refusedStored counts refused hits that were stored anyway;
	// unknownStored the hits without an answer that were stored (fine);
	// strangers stored paths that were never sent.
	refusedStored, unknownStored, strangers int
}

func (l *hitLedger) tally(stored map[string]int64) tally {
	l.mu.Lock()
	defer l.mu.Unlock()
	var r tally
	for p, n := range stored {
		r.stored += int(n)
		if _, ok := l.outcomes[p]; !ok {
			r.strangers++
		}
	}
	for p, o := range l.outcomes {
		r.attempts++
		n := stored[p]
		if n > 1 {
			r.duplicated += int(n - 1)
		}
		switch o {
		case acked:
			r.acknowledged++
			if n == 0 {
				r.lost++
			}
		case refused:
			if n > 0 {
				r.refusedStored++
			}
		case unknown:
			if n > 0 {
				r.unknownStored++
			}
		}
	}
	return r
}

func (r tally) String() string {
	return fmt.Sprintf("attempts %d, acknowledged %d, stored %d, lost %d, duplicated %d (refused but stored %d, unanswered but stored %d, never sent %d)",
		r.attempts, r.acknowledged, r.stored, r.lost, r.duplicated, r.refusedStored, r.unknownStored, r.strangers)
}

// check fails the test unless every acknowledged hit is stored exactly
// once and nothing refused or never sent is stored.
func (r tally) check(t *testing.T) {
	t.Helper()
	if r.lost != 0 || r.duplicated != 0 || r.refusedStored != 0 || r.strangers != 0 {
		t.Errorf("%v", r)
	}
}

// storedByPath reads Σ pageviews by path from the DuckDB file of a data
// directory whose server has stopped.
func storedByPath(t *testing.T, data string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("duckdb", filepath.Join(data, duckDBFile)+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := db.QueryContext(ctx, `SELECT path, SUM(pageviews) FROM events GROUP BY path HAVING SUM(pageviews) <> 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	return storetest.CountByPath(t, rows)
}
