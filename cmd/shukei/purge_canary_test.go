package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

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

// bytesUnder sums the sizes and counts needle in every file under dir.
func bytesUnder(t *testing.T, dir string, needle []byte) (total int64, hits int, where []string) {
	t.Helper()
	r, err := diskscan.Scan(needle, dir)
	if err != nil {
		t.Fatal(err)
	}
	return r.Bytes, r.Hits, r.Files
}

// TestPurgeLeavesNoByte is DESIGN §1.8 as a test: a site's rows with a
// canary path and campaign are stored, published (so the archive of
// frozen periods holds them too), the server stops, and `shukei purge`
// deletes them. Afterwards no byte of the canary may be anywhere under
// -data: not in the database file, its log, the collector's log or the
// publishing archive; another site's rows stay.
func TestPurgeLeavesNoByte(t *testing.T) {
	data := t.TempDir()
	s := startTestServer(t, testOptions{args: []string{"-data", data, "-site", "purged.example=Asia/Tokyo",
		"-site", "kept.example=Asia/Tokyo", "-public", "purged.example", "-min-cell-size", "2"}, start: seedStart})
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
	// A week later the canary week is frozen into the archive.
	s.clock.Set(seedStart.Add(8 * 24 * time.Hour))
	if status, body := s.get(s.url + "/public/purged.example/data/pages-7-days.csv"); status != http.StatusOK || !strings.Contains(body, canary) {
		t.Fatalf("the canary page is not published: %d\n%s", status, body)
	}
	s.stop()
	total, hits, where := bytesUnder(t, data, []byte(canary))
	if hits == 0 {
		t.Fatal("the canary is nowhere under -data before the purge: the scan proves nothing")
	}
	t.Logf("before the purge: %d bytes under -data, the canary %d times in %v", total, hits, where)

	code, stdout, stderr := runCmd("purge", "-site", "purged.example=Asia/Tokyo", "-data", data, "-before", "2026-03-10")
	if code != 0 || !strings.Contains(stdout, "deleted") {
		t.Fatalf("purge: %d %q %q", code, stdout, stderr)
	}
	total, hits, where = bytesUnder(t, data, []byte(canary))
	t.Logf("after the purge: %d bytes under -data, the canary %d times", total, hits)
	if hits > 0 {
		t.Errorf("after the purge the canary is still in %v", where)
	}
	if dump := dumpStore(t, data); !bytes.Contains(dump, []byte("/kept/page")) {
		t.Error("the other site's rows are gone too")
	}
}
