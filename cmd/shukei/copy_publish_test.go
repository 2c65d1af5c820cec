package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
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
}
