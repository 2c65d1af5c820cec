package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/admin"
)

// runCmd runs a shukei command line and returns its exit code and output.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// seedStart is the clock of a server that seedWeek fills: before the
// week, so that publishing at start freezes only earlier weeks.
var seedStart = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// seedWeek serves twelve visitors of city.example on 2026-03-02 and
// three of quiet.example, then moves the clock to the next week, when
// the week 2026-03-02..08 is complete.
func seedWeek(t *testing.T, s *testServer, quiet bool) {
	t.Helper()
	s.clock.Set(seedStart)
	for i := range 12 {
		for _, d := range []string{"city.example", "quiet.example"} {
			if d == "quiet.example" && (i >= 3 || !quiet) {
				continue
			}
			payload := map[string]any{"n": "pageview", "u": "https://" + d + "/news", "d": d}
			if status, body := s.hit(fmt.Sprintf("203.0.%d.7", i), goodUA, payload, nil); status != http.StatusAccepted {
				t.Fatalf("hit: %d %s", status, body)
			}
		}
	}
	s.flush()
	s.clock.Set(time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC))
}

// TestPublicRoutesAndPublish serves the public page and files of a site
// that opted in (and 404 for one that did not), then writes the same
// files with `shukei publish` over the same -data: they are identical,
// because both read the one archive of frozen periods.
func TestPublicRoutesAndPublish(t *testing.T) {
	data := t.TempDir()
	s := startTestServer(t, testOptions{args: []string{"-data", data, "-site", "city.example=Asia/Tokyo",
		"-site", "quiet.example=Asia/Tokyo", "-site", "private.example", "-public", "city.example,quiet.example"}, start: seedStart})
	seedWeek(t, s, true)
	status, page := s.get(s.url + "/public/city.example?lang=en")
	if status != http.StatusOK || !strings.Contains(page, "Counts below 10 are not shown") {
		t.Fatalf("public page: %d\n%s", status, page)
	}
	status, daily := s.get(s.url + "/public/city.example/data/daily.csv")
	if status != http.StatusOK || !strings.Contains(daily, "2026-03-02,12,12,12\n") {
		t.Fatalf("daily.csv: %d\n%s", status, daily)
	}
	// Three visitors are below k: the week's total, its days and every
	// breakdown of it are withheld.
	if _, quiet := s.get(s.url + "/public/quiet.example/data/daily.csv"); strings.Contains(quiet, ",3") {
		t.Errorf("quiet.example's small count is published:\n%s", quiet)
	}
	for _, p := range []string{"/public/private.example", "/public/private.example/data/daily.csv", "/public/unknown.example"} {
		if status, _ := s.get(s.url + p); status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, status)
		}
	}
	s.stop()

	out := t.TempDir()
	code, stdout, stderr := runCmd("publish", "-site", "city.example=Asia/Tokyo", "-data", data, "-out", out, "-as-of", "2026-03-10", "-log-level", "warn")
	if code != 0 {
		t.Fatalf("publish: %d %s %s", code, stdout, stderr)
	}
	written, err := os.ReadFile(filepath.Join(out, "daily.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(written) != daily {
		t.Errorf("published file differs from the served one:\n%s\nserved:\n%s", written, daily)
	}
	for _, f := range []string{"index.json", "pages-7-days.json", "pages-28-days.csv", "realtime.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestPurgeCommand deletes the seeded day, and says how many rows went.
func TestPurgeCommand(t *testing.T) {
	data := t.TempDir()
	s := startTestServer(t, testOptions{args: []string{"-data", data, "-site", "city.example=Asia/Tokyo"}, start: seedStart})
	seedWeek(t, s, false)
	s.stop()
	code, stdout, stderr := runCmd("purge", "-site", "city.example=Asia/Tokyo", "-data", data, "-before", "2026-03-03")
	// The twelve page views of one minute are merged into one row.
	if code != 0 || !strings.Contains(stdout, "deleted 1 rows of city.example before 2026-03-03") {
		t.Fatalf("purge: %d %q %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "purge: deleted rows") || !strings.Contains(stderr, "rows=1 ") || strings.Contains(stderr, "/news") {
		t.Errorf("purge log: %s", stderr)
	}
	code, stdout, _ = runCmd("purge", "-site", "city.example=Asia/Tokyo", "-data", data, "-before", "2026-03-03")
	if code != 0 || !strings.Contains(stdout, "deleted 0 rows") {
		t.Errorf("second purge: %d %q", code, stdout)
	}
}

// TestNoticeCommand prints the notice of the configuration given.
func TestNoticeCommand(t *testing.T) {
	code, stdout, stderr := runCmd("notice", "-site", "city.example", "-lang", "ja", "-data", t.TempDir(),
		"-public", "city.example", "-respect-gpc", "city.example", "-retention-months", "6", "-public-url", "https://stats.city.example")
	if code != 0 {
		t.Fatalf("notice: %d %s", code, stderr)
	}
	for _, want := range []string{"## アクセス解析について", "6 か月", "GPC", "https://stats.city.example/public/city.example", "10 未満"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("notice lacks %q:\n%s", want, stdout)
		}
	}
	// The same notice as HTML to paste into the site's privacy policy.
	code, html, stderr := runCmd("notice", "-site", "city.example", "-lang", "ja", "-data", t.TempDir(), "-format", "html",
		"-public", "city.example", "-respect-gpc", "city.example", "-retention-months", "6", "-public-url", "https://stats.city.example")
	if code != 0 {
		t.Fatalf("notice -format html: %d %s", code, stderr)
	}
	for _, want := range []string{`<section class="shukei-privacy-notice" lang="ja">`, "<h2>アクセス解析について</h2>", "6 か月",
		`<a href="https://stats.city.example/public/city.example">`, `<a href="#shukei-optout">`, "</section>"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML notice lacks %q:\n%s", want, html)
		}
	}
}

// TestPublishingFlagsRefuseBadInput: every new flag and command refuses
// bad values with a message naming the flag, and touches nothing.
func TestPublishingFlagsRefuseBadInput(t *testing.T) {
	data := t.TempDir()
	base := []string{"-data", data, "-site", "a.example"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"notice", "-public", "b.example"}, "-public"},
		{[]string{"notice", "-respect-gpc", "../etc"}, "-respect-gpc"},
		{[]string{"notice", "-public", "a.example", "-min-cell-size", "1"}, "minimum cell size"},
		{[]string{"notice", "-public", "a.example", "-min-cell-size", "1001"}, "minimum cell size"},
		{[]string{"notice", "-public", "a.example", "-epsilon", "abc"}, "-epsilon"},
		{[]string{"notice", "-public", "a.example", "-epsilon", "0"}, "-epsilon"},
		{[]string{"notice", "-public", "a.example", "-epsilon", "1e9"}, "-epsilon"},
		{[]string{"notice", "-public", "a.example", "-epsilon", "NaN"}, "-epsilon"},
		{[]string{"notice", "-public", "a.example", "-round-to", "3"}, "rounding"},
		{[]string{"notice", "-retention-months", "0"}, "-retention-months"},
		{[]string{"notice", "-retention-months", "121"}, "-retention-months"},
		{[]string{"notice", "-lang", "fr"}, "-lang"},
		{[]string{"notice", "-format", "pdf"}, "-format"},
		{[]string{"notice", "-public-url", "javascript:alert(1)"}, "-public-url"},
		{[]string{"notice", "-site", "b.example"}, "exactly one site"},
		{[]string{"purge"}, "-before is required"},
		{[]string{"purge", "-before", "2026-13-01"}, "-before"},
		{[]string{"purge", "-before", "../../etc/passwd"}, "-before"},
		{[]string{"purge", "-before", "2026-1-1"}, "-before"},
		{[]string{"purge", "-before", "2199-01-01"}, "in the future"},
		{[]string{"publish"}, "-out are required"},
		{[]string{"publish", "-out", data, "-as-of", "2999-01-01"}, "-as-of"},
		{[]string{"serve", "-publish-interval", "1s"}, "-publish-interval"},
	} {
		args := append([]string{tc.args[0]}, base...)
		args = append(args, tc.args[1:]...)
		code, _, stderr := runCmd(args...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want a message with %q", tc.args, code, stderr, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(data, duckDBFile)); err == nil {
		t.Error("a refused command created the database")
	}
}

// TestCommandsReadDashboardSettings: settings saved in the dashboard for
// a site take precedence over the flags in the offline commands, as they
// do in the server.
func TestCommandsReadDashboardSettings(t *testing.T) {
	data := t.TempDir()
	store, err := admin.Open(context.Background(), admin.Config{Path: filepath.Join(data, admin.FileName)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = store.PutSite(context.Background(), &admin.SiteRecord{Domain: "city.example", Origin: admin.OriginUI, TimeZone: "Asia/Tokyo",
		RespectGPC: true, Public: true, MinCellSize: 20, RoundTo: 5, RetentionMonths: 6, CreatedAt: time.Now()})
	if err := errors.Join(err, store.Close()); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd("notice", "-site", "city.example", "-data", data, "-retention-months", "30")
	if code != 0 {
		t.Fatalf("notice: %d %s", code, stderr)
	}
	for _, want := range []string{"below 20", "multiple of 5", "deleted 6 months", "Global Privacy Control"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("notice lacks %q:\n%s", want, stdout)
		}
	}
}

// TestNoiseSurvivesRestart: with noise on, the server draws it once;
// after a restart over the same -data the same noisy numbers are served,
// so repeated requests and restarts cannot average the noise away.
func TestNoiseSurvivesRestart(t *testing.T) {
	data := t.TempDir()
	args := []string{"-data", data, "-site", "city.example=Asia/Tokyo", "-public", "city.example", "-epsilon", "0.5"}
	s := startTestServer(t, testOptions{args: args, start: seedStart})
	seedWeek(t, s, false)
	_, first := s.get(s.url + "/public/city.example/data/daily.json")
	if !strings.Contains(first, `"epsilon": 0.5`) {
		t.Fatalf("no noise in force:\n%s", first)
	}
	for range 3 {
		if _, again := s.get(s.url + "/public/city.example/data/daily.json"); again != first {
			t.Fatalf("a repeated request drew new noise:\n%s\n%s", first, again)
		}
	}
	s.stop()
	s2 := startTestServer(t, testOptions{args: args, start: time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)})
	if _, again := s2.get(s2.url + "/public/city.example/data/daily.json"); again != first {
		t.Fatalf("a restart drew new noise:\n%s\n%s", first, again)
	}
}
