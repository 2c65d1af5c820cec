package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsWhileServerRuns runs publish, notice and purge on the -data
// of a running DuckDB server, whose store admits one process: each goes
// through the server's local administration endpoint. The commands name
// the site without its time zone; the server's configuration of the site
// (Asia/Tokyo) is the one used, so the published files are the ones the
// server serves, and publish -out writes the public page too.
func TestCommandsWhileServerRuns(t *testing.T) {
	data := t.TempDir()
	s := startTestServer(t, testOptions{args: []string{"-data", data, "-site", "city.example=Asia/Tokyo",
		"-public", "city.example", "-geoip-city"}, start: seedStart})
	seedWeek(t, s, false)
	status, daily := s.get(s.url + "/public/city.example/data/daily.csv")
	if status != http.StatusOK {
		t.Fatalf("daily.csv: %d", status)
	}

	out := t.TempDir()
	code, stdout, stderr := runCmd("publish", "-site", "city.example", "-data", data, "-out", out, "-log-level", "warn")
	if code != 0 {
		t.Fatalf("publish while the server runs: %d %s %s", code, stdout, stderr)
	}
	written, err := os.ReadFile(filepath.Join(out, "daily.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(written) != daily {
		t.Errorf("published daily.csv differs from the served one (the site's time zone?):\n%s\nserved:\n%s", written, daily)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatalf("publish -out wrote no public page: %v", err)
	}
	for _, want := range []string{`href="style.css"`, `href="daily.csv"`, `href="index.ja.html"`, "city.example"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("static page lacks %q", want)
		}
	}
	for _, f := range []string{"index.ja.html", "style.css", "index.json", "pages-7-days.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}

	// The notice says what this server does (-geoip-city was given to the
	// server only).
	code, stdout, stderr = runCmd("notice", "-site", "city.example", "-data", data)
	if code != 0 || !strings.Contains(stdout, "city.example") {
		t.Fatalf("notice while the server runs: %d %s %s", code, stdout, stderr)
	}

	code, stdout, stderr = runCmd("purge", "-site", "city.example", "-data", data, "-before", "2026-03-03")
	if code != 0 || !strings.Contains(stdout, "deleted 1 rows of city.example before 2026-03-03") {
		t.Fatalf("purge while the server runs: %d %q %q", code, stdout, stderr)
	}
	if q := s.query(`{"site_id":"city.example","metrics":["pageviews"],"date_range":["2026-03-01","2026-03-08"]}`); len(q.Results) == 1 && q.Results[0].Metrics[0] != nil && *q.Results[0].Metrics[0] != 0 {
		t.Errorf("after purge the server still counts: %+v", q.Results)
	}
}

// TestLocalEndpointRefusesStrangers: the endpoint wants this run's token,
// from this machine, unforwarded.
func TestLocalEndpointRefusesStrangers(t *testing.T) {
	data := t.TempDir()
	s := startTestServer(t, testOptions{args: []string{"-data", data, "-site", "city.example"}})
	b, err := os.ReadFile(filepath.Join(data, localAdminFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(data, localAdminFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", localAdminFile, fi.Mode().Perm())
	}
	var info localInfo
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	body := `{"site":"city.example","before":"2026-03-03"}`
	for name, headers := range map[string]map[string]string{
		"no token":        {},
		"wrong token":     {"Authorization": "Bearer x" + info.Token},
		"the Stats token": {"Authorization": "Bearer " + s.inst.token},
		"forwarded":       {"Authorization": "Bearer " + info.Token, "X-Forwarded-For": "198.51.100.7"},
	} {
		if status, _ := s.post("/local/purge", "application/json", []byte(body), headers); status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, status)
		}
	}
	if status, resp := s.post("/local/purge", "application/json", []byte(body), map[string]string{"Authorization": "Bearer " + info.Token}); status != http.StatusOK {
		t.Errorf("with the token: %d %s", status, resp)
	}
	s.stop()
	if _, err := os.Stat(filepath.Join(data, localAdminFile)); !os.IsNotExist(err) {
		t.Errorf("%s outlived the server: %v", localAdminFile, err)
	}
}

// TestCommandsAfterAKilledServer: a file left by a server that was killed
// (nothing answers at its address) does not stop the commands, which
// open the store themselves.
func TestCommandsAfterAKilledServer(t *testing.T) {
	data := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	b, _ := json.Marshal(localInfo{URL: "http://" + addr, Token: "left-behind"})
	if err := os.WriteFile(filepath.Join(data, localAdminFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd("purge", "-site", "city.example", "-data", data, "-before", "2026-03-03")
	if code != 0 || !strings.Contains(stdout, "deleted 0 rows") {
		t.Errorf("purge beside a stale %s: %d %q %q", localAdminFile, code, stdout, stderr)
	}
}
