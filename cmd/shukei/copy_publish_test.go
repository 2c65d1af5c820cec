package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// copyDir copies a directory tree (the data directory of a stopped
// server), keeping the files' modes.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree maps each file under dir (relative name) to its bytes.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	readFiles(t, out, "", dir)
	rel := map[string][]byte{}
	for name, b := range out {
		r, _ := filepath.Rel(dir, name)
		rel[r] = b
	}
	return rel
}

// TestCopiesPublishTheSame publishes with noise on from two copies of a
// data directory in which no period was frozen yet: each copy freezes the
// periods itself, and both write byte-identical files, because the noise
// is a function of the key kept in -data and of each cell. A third copy
// with another key publishes other numbers, so the comparison has teeth.
func TestCopiesPublishTheSame(t *testing.T) {
	data := t.TempDir()
	args := []string{"-data", data, "-site", "city.example=Asia/Tokyo", "-public", "city.example", "-epsilon", "1"}
	s := startTestServer(t, testOptions{args: args, start: seedStart})
	for i := range 300 {
		s.clock.Set(seedStart.Add(time.Duration(i) * 5 * time.Minute))
		payload := map[string]any{"n": "pageview", "u": fmt.Sprintf("https://city.example/news/%d", i%3), "d": "city.example"}
		if status, body := s.hit(fmt.Sprintf("198.51.%d.7", i), goodUA, payload, nil); status != http.StatusAccepted {
			t.Fatalf("hit: %d %s", status, body)
		}
	}
	s.flush()
	s.stop()

	root := t.TempDir()
	publish := func(name string, key []byte) map[string][]byte {
		t.Helper()
		dir := filepath.Join(root, name)
		copyDir(t, data, dir)
		if key != nil {
			if err := os.WriteFile(filepath.Join(dir, archiveDir, "noise.key"), key, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(root, name+"-out")
		code, stdout, stderr := runCmd("publish", "-site", "city.example=Asia/Tokyo", "-epsilon", "1", "-data", dir,
			"-out", out, "-as-of", "2026-03-10", "-log-level", "warn")
		if code != 0 {
			t.Fatalf("publish from %s: %d %s %s", name, code, stdout, stderr)
		}
		return readTree(t, out)
	}
	a, b := publish("copy-a", nil), publish("copy-b", nil)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("the copies wrote %d and %d files", len(a), len(b))
	}
	for name, fa := range a {
		if !bytes.Equal(fa, b[name]) {
			t.Errorf("%s differs between the copies:\n%s\n---\n%s", name, fa, b[name])
		}
	}
	other := publish("copy-other-key", bytes.Repeat([]byte{7}, 32))
	differ := 0
	for name, fa := range a {
		if !bytes.Equal(fa, other[name]) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("another key publishes the same files: the noise does not reach them, the test proves nothing")
	}

	// The same through a running server, on a fourth copy (nothing frozen
	// either): publish goes through its local administration endpoint and
	// writes the same files. The command names the site without its zone:
	// the server's (Tokyo) applies, to -as-of too, against the server's
	// clock — 20:00 UTC on the 20th is the 21st in Tokyo, not in UTC, and
	// the 22nd has begun nowhere. A purge while it runs (the compaction
	// rewrites the DuckDB file under it) leaves -data private.
	// (TestAsOfRefusesPeriodsNotEnded, TestDataIsPrivate and
	// TestPurgeLeavesNoByte check the rest of these rules.)
	running := filepath.Join(root, "copy-running")
	copyDir(t, data, running)
	srv := startTestServer(t, testOptions{args: append([]string{"-data", running}, args[2:]...), start: time.Date(2026, 3, 20, 20, 0, 0, 0, time.UTC)})
	command := func(args ...string) (int, string) {
		t.Helper()
		if _, err := os.Stat(filepath.Join(running, localAdminFile)); err != nil {
			t.Fatalf("no %s: %v would not go through the server: %v", localAdminFile, args, err)
		}
		code, stdout, stderr := runCmd(append(args, "-site", "city.example", "-data", running, "-log-level", "warn")...)
		return code, stdout + stderr
	}
	out := filepath.Join(root, "running-out")
	if code, msg := command("publish", "-epsilon", "1", "-out", out, "-as-of", "2026-03-10"); code != 0 {
		t.Fatalf("publish through the running server: %d %s", code, msg)
	}
	ran := readTree(t, out)
	if len(ran) != len(a) {
		t.Errorf("the running server wrote %d files, a copy %d", len(ran), len(a))
	}
	for name, fr := range ran {
		if !bytes.Equal(fr, a[name]) {
			t.Errorf("%s differs between the running server and a copy:\n%s\n---\n%s", name, fr, a[name])
		}
	}
	if code, msg := command("publish", "-out", t.TempDir(), "-as-of", "2026-03-21"); code != 0 {
		t.Errorf("as of today in the server's zone: %d %s", code, msg)
	}
	if code, msg := command("publish", "-out", t.TempDir(), "-as-of", "2026-03-22"); code == 0 || !strings.Contains(msg, "city.example") {
		t.Errorf("as of a day not begun in the server's zone: %d %s, want a refusal naming the site", code, msg)
	}
	if code, msg := command("purge", "-before", "2026-03-03"); code != 0 || !strings.Contains(msg, "deleted") {
		t.Fatalf("purge through the running server: %d %s", code, msg)
	}
	checkDataPrivate(t, running, "after a purge through the running server")
	srv.stop()
}
