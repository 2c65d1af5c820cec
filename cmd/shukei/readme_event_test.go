package main

import (
	"os"
	"regexp"
	"testing"
)

// TestReadmeEventExampleCounts sends the README's curl example of the
// Events API exactly as written and checks that it is counted: a
// User-Agent no parser recognises is counted as Plausible counts it, not
// dropped as a bot.
func TestReadmeEventExampleCounts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`curl -X POST http://127\.0\.0\.1:8080/api/event -H 'User-Agent: ([^']*)' \\\n\s*-d '([^']*)'`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README has no curl example of POST /api/event")
	}
	ua, body := string(m[1]), m[2]
	srv := startTestServer(t, testOptions{args: []string{"-site", "example.org"}})
	status, answer := srv.post("/api/event", "text/plain", body, map[string]string{"User-Agent": ua})
	if status != 202 {
		t.Fatalf("status %d %s", status, answer)
	}
	srv.flush()
	res := srv.query(`{"site_id":"example.org","metrics":["visitors","pageviews"],"date_range":"all"}`)
	if v := *res.Results[0].Metrics[1]; v != 1 {
		t.Errorf("the README example counted %v page views, want 1", v)
	}
}
