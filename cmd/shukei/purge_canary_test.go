package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/internal/diskscan"
)

// letters is a random lowercase word: a value the scrubber keeps (no
// digits, so no id or token detector takes it), so it is stored.
func letters(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rand.IntN(26))
	}
	return string(b)
}

// TestPurgeLeavesNoByte is DESIGN §1.8 as a test: a site's rows with a
// canary path and campaign are stored, published (so the archive of
// frozen periods holds them too), the server stops, and `shukei purge`
// deletes them. Afterwards no byte of the canary may be anywhere under
// -data: not in the database file, its log, the collector's log or the
// publishing archive; another site's rows stay.
//
// On DuckDB, whose file admits one process, the purge runs twice: first
// while the server runs (through its local administration endpoint, the
// compaction done under the running server; the disk is scanned right
// after it, the server still running, then again once it stopped), then, for a second canary,
// with the server stopped (the command opens the store itself).
func TestPurgeLeavesNoByte(t *testing.T) {
	data := t.TempDir()
	purgeLeavesNoByte(t, data, nil, func() []string { return []string{data} }, func() []byte { return dumpStore(t, data) }, true)
}

// TestPurgeLeavesNoByteClickHouse is the same with the rows in ClickHouse,
// on one server and on two shards: the scan covers -data and the
// database's directories on every server.
func TestPurgeLeavesNoByteClickHouse(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			target := newClickHouseTarget(t, cluster)
			// Replaced parts go within seconds (the default is a minute).
			args := append([]string{}, target.args...)
			args[1] += "?old_parts_lifetime=1s"
			data := t.TempDir()
			dirs := func() []string {
				out := []string{data}
				for _, addr := range target.shards {
					out = append(out, chtest.DatabaseDirs(t, addr, target.cfg.Database)...)
				}
				return out
			}
			purgeLeavesNoByte(t, data, args, dirs, func() []byte { return dumpClickHouse(t, target.cfg) }, false)
		})
	}
}

func purgeLeavesNoByte(t *testing.T, data string, storeArgs []string, dirs func() []string, dump func() []byte, whileRunning bool) {
	args := append([]string{"-data", data, "-site", "purged.example=Asia/Tokyo",
		"-site", "kept.example=Asia/Tokyo", "-public", "purged.example", "-min-cell-size", "2"}, storeArgs...)
	s := startTestServer(t, testOptions{args: args, start: seedStart})
	canary := "purgecanary" + letters(10)
	for i := range 12 {
		for _, d := range []string{"purged.example", "kept.example"} {
			path := "/kept/page"
			if d == "purged.example" {
				path = "/" + canary + "/page?utm_campaign=" + canary + "camp"
			}
			payload := map[string]any{"n": "pageview", "u": "https://" + d + path, "d": d}
			if status, body := s.hit(fmt.Sprintf("203.0.%d.7", i), goodUA, payload, nil); status != http.StatusAccepted {
				t.Fatalf("hit: %d %s", status, body)
			}
		}
	}
	s.flush()
	// Once its block has ended, the canary week is frozen into the
	// archive and its pages published.
	s.clock.Set(blockPublished)
	if status, body := s.get(s.url + "/public/purged.example/data/pages-28-days.csv"); status != http.StatusOK || !strings.Contains(body, canary) {
		t.Fatalf("the canary page is not published: %d\n%s", status, body)
	}
	purge := func(canary, before string) {
		t.Helper()
		r, err := diskscan.Scan([]byte(canary), dirs()...)
		if err != nil {
			t.Fatal(err)
		}
		if r.Hits == 0 {
			t.Fatal("the canary is on no disk before the purge: the scan proves nothing")
		}
		t.Logf("before the purge: %d bytes, the canary %d times in %v", r.Bytes, r.Hits, r.Files)
		cmd := append([]string{"purge", "-site", "purged.example=Asia/Tokyo", "-data", data, "-before", before}, storeArgs...)
		code, stdout, stderr := runCmd(cmd...)
		if code != 0 || !strings.Contains(stdout, "deleted") {
			t.Fatalf("purge: %d %q %q", code, stdout, stderr)
		}
	}
	scanGone := func(canary, when string) {
		t.Helper()
		r, err := diskscan.Scan([]byte(canary), dirs()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes, the canary %d times", when, r.Bytes, r.Hits)
		if r.Hits > 0 {
			t.Errorf("%s the canary is still in %v", when, r.Files)
		}
	}
	first, before := canary, "2026-03-10"
	if whileRunning {
		if _, err := os.Stat(filepath.Join(data, localAdminFile)); err != nil {
			t.Fatalf("the running server wrote no %s: the purge would not go through it: %v", localAdminFile, err)
		}
		purge(first, before)
		// Gone at once, the server still running: the collector's
		// write-ahead log was emptied before the rows were deleted.
		scanGone(first, "right after the purge, the server still running,")
		// A second canary, a week later, purged once the server has stopped.
		canary, before = "purgecanary"+letters(10), "2026-03-18"
		for i := range 3 {
			payload := map[string]any{"n": "pageview", "u": "https://purged.example/" + canary, "d": "purged.example"}
			if status, body := s.hit(fmt.Sprintf("203.0.%d.9", i), goodUA, payload, nil); status != http.StatusAccepted {
				t.Fatalf("hit: %d %s", status, body)
			}
		}
		s.flush()
	}
	s.stop()
	if whileRunning {
		scanGone(first, "after the purge through the running server, once it stopped,")
	}
	purge(canary, before)
	scanGone(canary, "after the purge")
	if !bytes.Contains(dump(), []byte("/kept/page")) {
		t.Error("the other site's rows are gone too")
	}
}
