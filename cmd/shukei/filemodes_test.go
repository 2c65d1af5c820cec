package main

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDataIsPrivate: whatever -data holds when the server starts (here a
// file 0644 and a directory 0755, as an older release or a copy left
// them) and whatever the server, DuckDB, the write-ahead log, the admin
// database and the publisher create, every file under -data is 0600 and
// every directory 0700 — checked after a publication and a stop, and
// after `shukei purge` (which compacts DuckDB into a new file).
func TestDataIsPrivate(t *testing.T) {
	data := t.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "old", "left.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o755); err != nil {
		t.Fatal(err)
	}
	s := startTestServer(t, testOptions{args: []string{"-data", data, "-site", "city.example=Asia/Tokyo",
		"-public", "city.example", "-min-cell-size", "2"}, start: seedStart})
	for i := range 5 {
		payload := map[string]any{"n": "pageview", "u": "https://city.example/news", "d": "city.example"}
		if status, body := s.hit(fmt.Sprintf("203.0.%d.7", i), goodUA, payload, nil); status != http.StatusAccepted {
			t.Fatalf("hit: %d %s", status, body)
		}
	}
	s.flush()
	s.clock.Set(seedStart.Add(8 * 24 * time.Hour))
	if status, _ := s.get(s.url + "/public/city.example/data/daily.csv"); status != http.StatusOK {
		t.Fatalf("daily.csv: %d", status)
	}
	checkDataPrivate(t, data, "running")
	s.stop()
	checkDataPrivate(t, data, "stopped")
	if code, stdout, stderr := runCmd("purge", "-site", "city.example=Asia/Tokyo", "-data", data, "-before", "2026-03-03"); code != 0 {
		t.Fatalf("purge: %d %s %s", code, stdout, stderr)
	}
	checkDataPrivate(t, data, "after a purge")
}

// checkDataPrivate checks that every file under data is 0600 and every
// directory 0700.
func checkDataPrivate(t *testing.T, data, when string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: %s is %v, want %v", when, p, info.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 6 {
		t.Errorf("%s: only %d entries under -data: the check proves little", when, n)
	}
}
