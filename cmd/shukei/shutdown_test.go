package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/query"
)

// binDir holds the binary buildBinary compiled; TestMain removes it.
var binDir string

// TestMain runs the tests and then removes the compiled binary, so test
// runs leave no copies of it behind.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary compiles shukei once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "shukei-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "shukei")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// TestSignalStopLosesNothing runs the real binary with a long flush
// interval, sends hits, and stops it with SIGTERM or SIGINT: every hit that
// got a 202 is in the database afterwards.
func TestSignalStopLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			data := t.TempDir()
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			addr := ln.Addr().String()
			ln.Close()
			cmd := exec.Command(bin, "serve", "-listen", addr, "-data", data, "-site", "example.org",
				"-flush-interval", "1m", "-api-token", "signal-test-token-0123456789")
			var logs syncBuffer
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitHealthy(t, addr)
			accepted := sendHits(t, addr, 400)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit: %v\n%s", err, logs.String())
				}
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("did not stop within 20s\n%s", logs.String())
			}
			if got := storedPageviews(t, data); got != accepted {
				t.Errorf("stored %d page views, %d were accepted", got, accepted)
			}
		})
	}
}

func waitHealthy(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server on %s did not start", addr)
}

// sendHits posts n page views from 8 concurrent clients and returns how
// many were accepted.
func sendHits(t *testing.T, addr string, n int) int64 {
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				body := fmt.Sprintf(`{"n":"pageview","u":"https://example.org/p/%d","d":"example.org"}`, i)
				req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/event", strings.NewReader(body))
				req.Header.Set("User-Agent", goodUA)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					continue
				}
				res.Body.Close()
				if res.StatusCode == http.StatusAccepted {
					accepted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return accepted.Load()
}

func storedPageviews(t *testing.T, data string) int64 {
	t.Helper()
	st, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(data, duckDBFile)}, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q := &query.Query{SiteID: "example.org", Metrics: []query.Metric{query.Pageviews}, DateRange: query.DateRange{Preset: query.RangeAll}}
	earliest, err := st.Earliest(context.Background(), "example.org")
	if err != nil {
		t.Fatal(err)
	}
	p, err := query.Build(q, time.Now(), time.UTC, earliest)
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Query(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return res.Groups[0].Sums[0]
}
