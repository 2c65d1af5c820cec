package main

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/internal/loggen"
)

// TestImportTwiceIsOnce imports a rotated log set twice, then as rotation
// goes on: the live file renamed and compressed with more lines, and a new
// live file. Every state of the store matches the ground truth of what
// the files hold, never more.
func TestImportTwiceIsOnce(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	lg := generateLog(loggen.Combined, tokyo)
	dir := t.TempDir()
	geo := writeSimGeo(t)
	data := t.TempDir()
	site := []string{"-site", "gt.example=Asia/Tokyo", "-geoip", geo, "-data", data, "-retention-months", "120"}

	// Day one: the live log holds the first 60% of the lines.
	cut := len(lg.Lines) * 6 / 10
	live := filepath.Join(dir, "access.log")
	writeLog(t, live, lg.Lines[:cut])
	first := importCmd(t, append(site, live)...)
	second := importCmd(t, append(site, live)...)
	if !strings.Contains(second, "already imported") || summaryCount(t, second, "counted") != 0 {
		t.Errorf("second import of the same file:\n%s", second)
	}
	partial := summaryCount(t, first, "counted")

	// Rotation: the live log, grown to 80%, is renamed and compressed;
	// a new live log holds the rest. Both imported, with the old name
	// given too (it no longer exists: refused, nothing stored).
	rotated := filepath.Join(dir, "access.log.1.gz")
	writeLog(t, rotated, lg.Lines[:len(lg.Lines)*8/10])
	writeLog(t, live, lg.Lines[len(lg.Lines)*8/10:])
	third := importCmd(t, append(site, rotated, live)...)
	if !strings.Contains(third, "continued from byte") {
		t.Errorf("the rotated file was not continued:\n%s", third)
	}
	if got := partial + summaryCount(t, third, "counted"); got != len(lg.Hits) {
		t.Errorf("page views counted over both runs %d, want %d\n%s\n%s", got, len(lg.Hits), first, third)
	}
	fourth := importCmd(t, append(site, live, rotated)...)
	if summaryCount(t, fourth, "counted") != 0 {
		t.Errorf("a third run counted again:\n%s", fourth)
	}

	srv := startTestServer(t, testOptions{args: site})
	tr := truth{simFromLog(lg, loggen.Combined, tokyo)}
	for _, c := range groundTruthCases(tr) {
		if c.name != "totals" && c.name != "by day" && c.name != "by page" {
			continue
		}
		t.Run(c.name, func(t *testing.T) { compareTables(t, c.query, srv.query(c.query).table(), c.want) })
	}
}

func writeLog(t *testing.T, path string, lines []loggen.Line) {
	t.Helper()
	if err := loggen.WriteFile(path, lines, loggen.Combined, time.UTC); err != nil {
		t.Fatal(err)
	}
}

// TestImportDryRun stores nothing and says what would be counted, day by
// day.
func TestImportDryRun(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	lg := generateLog(loggen.Combined, tokyo)
	path := filepath.Join(t.TempDir(), "access.log")
	writeLog(t, path, lg.Lines)
	data := t.TempDir()
	site := []string{"-site", "gt.example=Asia/Tokyo", "-data", data, "-retention-months", "120"}
	out := importCmd(t, append(site, "-dry-run", path)...)
	if got := summaryCount(t, out, "would count"); got != len(lg.Hits) {
		t.Errorf("dry run would count %d, want %d\n%s", got, len(lg.Hits), out)
	}
	if !strings.Contains(out, "2026-03-09") || !strings.Contains(out, "visitors") {
		t.Errorf("no day-by-day table:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(data, duckDBFile)); err == nil {
		t.Errorf("a dry run created the store")
	}
	// A real import afterwards counts everything: the dry run stored no
	// position either.
	if got := summaryCount(t, importCmd(t, append(site, path)...), "counted"); got != len(lg.Hits) {
		t.Errorf("import after a dry run counted %d, want %d", got, len(lg.Hits))
	}
}

// TestImportRefusals: a file in another format than the one named is
// refused after its first lines, naming what it looks like; malformed
// lines are shown by number, never by content.
func TestImportRefusals(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	lg := generateLog(loggen.Caddy, tokyo)
	dir := t.TempDir()
	caddy := filepath.Join(dir, "caddy.log")
	if err := loggen.WriteFile(caddy, lg.Lines, loggen.Caddy, time.UTC); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"import", "-site", "gt.example", "-data", t.TempDir(), "-format", "combined", caddy}, &stdout, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), "look like caddy") {
		t.Errorf("caddy log imported as combined: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}

	bad := filepath.Join(dir, "access.log")
	good := `203.0.113.9 - - [09/Mar/2026:13:55:36 +0900] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"` + "\n"
	broken := `198.51.100.77 - - [09/Mar/2026:13:55:36 +0900] "GET /secret?mail=person@mail.example HTTP/1.1" 200` + "\n"
	if err := os.WriteFile(bad, []byte(strings.Repeat(good, 5)+broken+good), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"import", "-site", "gt.example", "-data", t.TempDir(), "-retention-months", "120", bad}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String() + stderr.String()
	if !strings.Contains(out, "access.log line 6:") {
		t.Errorf("the malformed line is not named by its number:\n%s", out)
	}
	for _, leak := range []string{"198.51.100", "person@mail.example", "/secret"} {
		if strings.Contains(out, leak) {
			t.Errorf("the output quotes the malformed line (%s):\n%s", leak, out)
		}
	}
}

// TestImportCanary imports a log whose lines carry unique addresses,
// User-Agents, query values and e-mail addresses, some in malformed lines,
// then searches every byte the import and a server on its data wrote.
func TestImportCanary(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	sc := newScrubCanary()
	canaries := append([]canary(nil), sc.canaries...)
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	views := 0
	for i := range 10 {
		cv, cs := newCanaryValues(i)
		canaries = append(canaries, cs...)
		v4, v6, ua, email, order, token, queryVal, refPath, searchEmail, utmEmail :=
			cv.v4, cv.v6, cv.ua, cv.email, cv.order, cv.token, cv.queryVal, cv.refPath, cv.searchEmail, cv.utmEmail
		target := fmt.Sprintf("/users/%s/orders/%s/reset/%s?session=%s&q=%s&utm_source=news&utm_content=%s", email, order, token, queryVal, searchEmail, utmEmail)
		for j, ip := range []netip.Addr{v4, v6} {
			ts := at.Add(time.Duration(i*2+j) * time.Minute).Format("02/Jan/2006:15:04:05 -0700")
			fmt.Fprintf(&log, "%s - - [%s] \"GET %s HTTP/1.1\" 200 1 \"https://ref.example/%s?x=%s\" \"%s\"\n", ip, ts, target, refPath, queryVal, ua)
			views++
			if j == 0 {
				// The same line cut short: malformed, and reported by
				// number only.
				fmt.Fprintf(&log, "%s - - [%s] \"GET %s HTTP/1.1\" 200\n", ip, ts, target)
			}
			// The scrubber's hidden forms, each page the entry of a
			// visit of its own.
			for k, page := range sc.pages {
				ref := "-"
				if k == 0 {
					ref = sc.referrers[0]
				}
				ts := at.Add(time.Duration(i*2+j)*time.Minute + time.Duration(k+1)*time.Second).Format("02/Jan/2006:15:04:05 -0700")
				fmt.Fprintf(&log, "%s - - [%s] \"GET %s HTTP/1.1\" 200 1 \"%s\" \"%s Scrub/%d\"\n", ip, ts,
					strings.TrimPrefix(page, "https://canary.example"), ref, ua, k)
				views++
			}
		}
	}
	path := filepath.Join(dir, "access.log")
	if err := os.WriteFile(path, log.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	geo := writeSimGeo(t)
	var stdout, stderr bytes.Buffer
	args := []string{"import", "-site", "canary.example", "-data", data, "-geoip", geo, "-retention-months", "120", "-log-level", "debug", path}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got := summaryCount(t, stdout.String(), "counted"); got != views {
		t.Fatalf("counted %d page views, want %d:\n%s", got, views, stdout.String())
	}
	srv := startTestServer(t, testOptions{args: []string{"-site", "canary.example", "-data", data, "-geoip", geo, "-retention-months", "120"}})
	if got := srv.query(`{"site_id":"canary.example","metrics":["pageviews"],"date_range":"all"}`).Results[0].Metrics; *got[0] != float64(views) {
		t.Fatalf("stored page views %v, want %d", *got[0], views)
	}
	sources := stopAndCollect(t, srv)
	sources["import stdout"], sources["import stderr"] = stdout.Bytes(), stderr.Bytes()
	sources["decoded columns"] = dumpStore(t, data)
	scanCanaries(t, sources, canaries)
}

// TestServeFollowLog counts a site from its access log alone, inside the
// server: the log is followed as it grows and is rotated, the server is
// restarted in between, and the totals are the ground truth's.
func TestServeFollowLog(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	lg := generateLog(loggen.Combined, tokyo)
	parts := loggen.Split(lg.Lines, 3)
	dir := t.TempDir()
	live := filepath.Join(dir, "access.log")
	data := t.TempDir()
	args := []string{"-site", "gt.example=Asia/Tokyo", "-geoip", writeSimGeo(t), "-data", data, "-retention-months", "120", "-follow-log", "gt.example=" + live}
	pageviews := func(srv *testServer) float64 {
		return *srv.query(`{` + gtRange + `,"metrics":["pageviews"]}`).Results[0].Metrics[0]
	}
	waitPageviews := func(srv *testServer, want int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for pageviews(srv) < float64(want) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if got := pageviews(srv); got != float64(want) {
			t.Fatalf("%v page views, want %d\n%s", got, want, grepLines(srv.logs.String(), "log"))
		}
	}
	counts := func(lines []loggen.Line) int {
		n := 0
		for _, l := range lines {
			if l.Counts {
				n++
			}
		}
		return n
	}
	srv := startTestServer(t, testOptions{args: args})
	writeLog(t, live, parts[0])
	want := counts(parts[0])
	waitPageviews(srv, want)
	srv.stop()

	// While the server is stopped the log grows and is rotated.
	all := append(append([]loggen.Line(nil), parts[0]...), parts[1]...)
	writeLog(t, live+".1", all)
	if err := os.Remove(live); err != nil {
		t.Fatal(err)
	}
	srv = startTestServer(t, testOptions{args: append(args, "-follow-log", "gt.example="+live+".1")})
	writeLog(t, live, parts[2])
	want = len(lg.Hits)
	waitPageviews(srv, want)
	metrics := srv.metrics()
	if !strings.Contains(metrics, fmt.Sprintf("shukei_logfollow_pageviews_total %d", want-counts(parts[0]))) {
		t.Errorf("metrics do not count the followed page views:\n%s", grepLines(metrics, "logfollow"))
	}
	// Page views are exact; visitors and visits are not carried across
	// the restart (as for the live collector).
	tr := truth{simFromLog(lg, loggen.Combined, tokyo)}
	s := tr.s
	for _, c := range []gtCase{
		{"by day", `{` + gtRange + `,"metrics":["pageviews"],"dimensions":["time:day"]}`,
			columns(tr.count(isView, func(h *simHit) string { return s.day(h.at) }))},
		{"by page", `{` + gtRange + `,"metrics":["pageviews"],"dimensions":["event:page"]}`,
			columns(tr.count(isView, func(h *simHit) string { return h.path }))},
	} {
		t.Run(c.name, func(t *testing.T) { compareTables(t, c.query, srv.query(c.query).table(), c.want) })
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
