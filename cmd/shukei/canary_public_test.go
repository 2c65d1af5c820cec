package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCanaryPublished runs the canary on a site that publishes: besides the
// data directory (which now holds the archive of frozen public periods),
// logs and /metrics, it scans everything the public side serves — the
// page in both languages and every open-data file — so nothing a visitor
// sent can reach the public, not even after scrubbing went wrong
// (DESIGN §1.1, §1.6).
func TestCanaryPublished(t *testing.T) {
	srv := startTestServer(t, testOptions{args: append(append([]string{"-site", "canary.example", "-geoip", writeSimGeo(t)},
		publishArgs...), canaryPropArgs...), start: seedStart})
	canaries := sendCanaries(t, srv)
	served := fetchPublished(t, srv)
	sources := stopAndCollect(t, srv)
	for name, b := range served {
		sources[name] = b
	}
	sources["decoded columns"] = dumpStore(t, srv.cfg.store.data)
	scanCanaries(t, sources, canaries)
}

// blockPublished is a clock at which the block holding seedStart's week
// (2026-02-16..03-15) is published, in UTC and in Tokyo: breakdowns are
// published per block and its last week.
var blockPublished = seedStart.Add(14*24*time.Hour + 2*time.Hour)

// publishArgs make the canary site publish with k = 2, so that what twenty
// canary visitors share is published.
var publishArgs = []string{"-public", "canary.example", "-min-cell-size", "2"}

// fetchPublished moves the clock past the four-week block of the canary
// week (2026-02-16..03-15), so that its daily totals and its breakdowns
// are published, and fetches everything the public side serves: the page
// in both languages, the catalogue and every open-data file.
func fetchPublished(t *testing.T, srv *testServer) map[string][]byte {
	t.Helper()
	srv.clock.Set(blockPublished)
	served := map[string][]byte{}
	fetch := func(path string) string {
		t.Helper()
		status, body := srv.get(srv.url + path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		served["served "+path] = []byte(body)
		return body
	}
	fetch("/public/canary.example?lang=en")
	fetch("/public/canary.example?lang=ja")
	var index struct {
		Reports []struct {
			JSON string `json:"json"`
			CSV  string `json:"csv"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(fetch("/public/canary.example/data/index.json")), &index); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	if len(index.Reports) == 0 {
		t.Fatal("index.json lists no reports: the published side would not be scanned")
	}
	for _, r := range index.Reports {
		fetch("/public/canary.example/data/" + r.JSON)
		fetch("/public/canary.example/data/" + r.CSV)
	}
	// The scan has teeth only if the canary week was published: the
	// canary visitors are above k = 2, so the daily file shows them, and
	// the pages twenty visitors saw are named, in their scrubbed form.
	if daily := string(served["served /public/canary.example/data/daily.csv"]); !regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d,[1-9]`).MatchString(daily) {
		t.Fatalf("the canary week is not in daily.csv:\n%s", daily)
	}
	for _, want := range scrubbedPaths {
		if !strings.HasPrefix(want, "/") {
			continue // campaigns are not among the open data
		}
		found := false
		for _, b := range served {
			found = found || strings.Contains(string(b), want)
		}
		if !found {
			t.Errorf("%q is published nowhere: the public scan would not see the scrubbed pages", want)
		}
	}
	return served
}
