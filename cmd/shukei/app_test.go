package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/shukei-analytics/shukei/collector/geo/geotest"
	"github.com/shukei-analytics/shukei/collector/wal"
	"github.com/shukei-analytics/shukei/dashboard/admin"
)

// TestFailedStartReleasesEverything makes a server's start fail after the
// store and the collector started (the admin database cannot be opened,
// or the listen address is taken) and checks that the start released
// everything: no goroutine is left (the log's committer and syncers, the
// applier, the sweeps), the write-ahead log's lock can be taken again,
// and no file of the data directory or the GeoIP database is still open.
func TestFailedStartReleasesEverything(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for name, tc := range map[string]struct {
		prepare func(t *testing.T, data string) []string
		want    string
		early   bool // fails before the collector starts
	}{
		"dashboard fails": {
			prepare: func(t *testing.T, data string) []string {
				// A directory where the admin database's file should be.
				if err := os.MkdirAll(filepath.Join(data, admin.FileName, "x"), 0o700); err != nil {
					t.Fatal(err)
				}
				return []string{"-listen", "127.0.0.1:0"}
			},
			want: "start dashboard",
		},
		"listen fails": {
			prepare: func(*testing.T, string) []string { return []string{"-listen", busy.Addr().String()} },
			want:    "listen on",
			early:   true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			data := t.TempDir()
			mmdb := filepath.Join(t.TempDir(), "city.mmdb")
			geotest.WriteCityDB(t, mmdb, []geotest.Record{{Network: "203.0.113.0/24", Country: "JP", Subdivision: "13", City: "Tokyo"}})
			args := append([]string{"-data", data, "-site", "example.org", "-geoip", mmdb, "-geoip-city"}, tc.prepare(t, data)...)
			cfg := &serveConfig{}
			if err := newServeFlagSet(cfg).Parse(args); err != nil {
				t.Fatal(err)
			}
			inst, err := startServer(context.Background(), cfg, serverDeps{log: discardLogger(), stdout: &bytes.Buffer{}})
			if err == nil {
				_ = inst.stop(context.Background())
				t.Fatal("the server started")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("start: %v, want an error containing %q", err, tc.want)
			}
			walDir := filepath.Join(data, "wal")
			if _, err := os.Stat(walDir); (err == nil) == tc.early {
				t.Fatalf("the collector started: %v, want %v", err == nil, !tc.early)
			}
			goleak.VerifyNone(t, before)
			// A query cancelled by the jobs' stop gives its connection back
			// from database/sql's own goroutine, and DuckDB closes its files
			// with the last connection: allow it a moment.
			var open []string
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if open = openFilesUnder(t, data, mmdb); len(open) == 0 {
					break
				}
			}
			if len(open) > 0 {
				t.Errorf("still open after the failed start: %v", open)
			}
			if tc.early {
				return
			}
			w, err := wal.Open(wal.Config{Dir: walDir}, nil, discardLogger())
			if err != nil {
				t.Fatalf("the write-ahead log's lock was not released: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// openFilesUnder lists this process's open files that are under dir or
// are one of files (from /proc/self/fd).
func openFilesUnder(t *testing.T, dir string, files ...string) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	var out []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err != nil {
			continue
		}
		if strings.HasPrefix(target, dir+string(filepath.Separator)) {
			out = append(out, target)
		}
		for _, f := range files {
			if target == f {
				out = append(out, target)
			}
		}
	}
	return out
}

// TestStopBeforeAndDuringServe: stopping the app ends serving whether the
// server has begun to accept connections or not, and serving then reports
// no error.
func TestStopBeforeAndDuringServe(t *testing.T) {
	for _, wait := range []bool{false, true} {
		srv := startTestServer(t, testOptions{args: []string{"-site", "example.org"}})
		if wait {
			res, err := http.Get(srv.url + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		if err := srv.inst.stop(ctx); err != nil {
			t.Errorf("stop (after a request: %v): %v", wait, err)
		}
		cancel()
		select {
		case err := <-srv.done:
			if err != nil {
				t.Errorf("after a request %v: serving ended with %v", wait, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("after a request %v: serving did not end", wait)
		}
		srv.inst = nil
	}
}
